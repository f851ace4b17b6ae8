//! Errors as they cross IPC: `{code, message, field}`. The UI branches on `code` (stable) and
//! shows its own translated text; `message` is English detail for logs and bug reports.

use pocket_core::error::ErrorKind;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct IpcError {
    /// One of `pocket_core::error::ErrorKind`'s codes.
    #[cfg_attr(test, ts(type = "ErrorCode"))]
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional, type = "string"))]
    pub field: Option<&'static str>,
}

impl IpcError {
    pub fn screen_capture(error: String) -> IpcError {
        log::error!("screen capture: {error}");
        IpcError {
            code: ErrorKind::ScreenCapture.code(),
            message: error,
            field: None,
        }
    }

    /// A failure inside the app (a task that panicked): the cause goes to the log only.
    pub fn internal(error: &dyn std::fmt::Display) -> IpcError {
        log::error!("internal: {error}");
        IpcError {
            code: ErrorKind::Internal.code(),
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
            code: ErrorKind::Clipboard.code(),
            message: "the clipboard is not available".into(),
            field: None,
        }
    }
}

impl From<pocket_core::Error> for IpcError {
    fn from(error: pocket_core::Error) -> IpcError {
        IpcError::from(&error)
    }
}

impl From<&pocket_core::Error> for IpcError {
    fn from(error: &pocket_core::Error) -> IpcError {
        let message = match error {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape the UI's `IpcError` reads; `field` only where an input is wrong.
    #[test]
    fn errors_serialize_as_the_ui_reads_them() {
        let wrong = IpcError::from(pocket_core::Error::MissingParameter("secret"));
        assert_eq!(
            serde_json::to_value(&wrong).unwrap(),
            serde_json::json!({"code": "missing_parameter", "message": "the secret parameter is missing", "field": "secret"})
        );
        let internal = IpcError::internal(&"a task panicked with a secret in its message");
        assert_eq!(
            serde_json::to_value(&internal).unwrap(),
            serde_json::json!({"code": "internal", "message": "internal error"})
        );
    }
}
