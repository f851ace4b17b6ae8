//! privacyIDEA's JSON envelope around every reply: `{"result": {"status", "value", "error"},
//! "detail"}`, read by the phone and written by the reference service.

use serde::{Deserialize, Serialize};

/// privacyIDEA's JSON envelope: `{"result": {"status", "value", "error"}, "detail"}`.
#[derive(Debug, Deserialize, Serialize)]
pub struct Envelope<T> {
    pub result: EnvelopeResult<T>,
    #[serde(default)]
    pub detail: Option<serde_json::Value>,
    /// The server's clock when it answered (privacyIDEA: Unix seconds with a fraction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<f64>,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct EnvelopeResult<T> {
    pub status: bool,
    #[serde(default = "none")]
    pub value: Option<T>,
    #[serde(default)]
    pub error: Option<ServerError>,
}

fn none<T>() -> Option<T> {
    None
}

#[derive(Debug, Deserialize, Serialize)]
pub struct ServerError {
    #[serde(default)]
    pub code: Option<i64>,
    #[serde(default)]
    pub message: String,
}

impl<T> Envelope<T> {
    /// A successful reply with `value`, and `detail` where there is one.
    pub fn ok(value: T, detail: Option<serde_json::Value>) -> Envelope<T> {
        Envelope {
            result: EnvelopeResult {
                status: true,
                value: Some(value),
                error: None,
            },
            detail,
            time: None,
        }
    }

    /// A refusal with privacyIDEA's error code (the HTTP status, at the reference service)
    /// and a message.
    pub fn refused(code: i64, message: impl Into<String>) -> Envelope<T> {
        Envelope {
            result: EnvelopeResult {
                status: false,
                value: None,
                error: Some(ServerError {
                    code: Some(code),
                    message: message.into(),
                }),
            },
            detail: None,
            time: None,
        }
    }
}
