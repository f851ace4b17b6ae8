//! Errors as they cross IPC: `{code, message, field}`. The UI branches on `code` (stable) and
//! shows its own translated text; `message` is English detail for logs and bug reports.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct IpcError {
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
}

impl IpcError {
    pub fn screen_capture(error: String) -> IpcError {
        log::error!("screen capture: {error}");
        IpcError {
            code: "screen_capture",
            message: error,
            field: None,
        }
    }

    /// A failure inside the app (a task that panicked): the cause goes to the log only.
    pub fn internal(error: &dyn std::fmt::Display) -> IpcError {
        log::error!("internal: {error}");
        IpcError {
            code: "internal",
            message: "internal error".into(),
            field: None,
        }
    }

    /// A file the user chose could not be opened or read.
    pub fn file(error: std::io::Error) -> IpcError {
        pocket_core::Error::FileUnreadable(error.to_string()).into()
    }

    pub fn clipboard(error: impl std::fmt::Display) -> IpcError {
        log::error!("clipboard: {error}");
        IpcError {
            code: "clipboard",
            message: "the clipboard is not available".into(),
            field: None,
        }
    }
}

impl From<pocket_core::Error> for IpcError {
    fn from(error: pocket_core::Error) -> IpcError {
        let message = match &error {
            // Internal detail stays in the log.
            pocket_core::Error::Database(_) => {
                log::error!("{error}");
                "internal database error".to_string()
            }
            _ => error.to_string(),
        };
        IpcError {
            code: error.code(),
            message,
            field: error.field(),
        }
    }
}
