//! privacyIDEA's PUSH protocol on the wire, in one place: the field names, the texts each
//! side signs, the reply envelope, the challenge's shape. The phone (`push`) and the reference
//! service (gen/) both use it; fixtures captured from privacyIDEA 3.14 and the interop tests
//! against it keep both honest.

mod envelope;
mod messages;

pub use envelope::{Envelope, EnvelopeResult, ServerError};
pub use messages::{
    AnswerText, canonical_json, capabilities_message, challenge_message, poll_message,
    registration_update_message,
};

use serde::{Deserialize, Serialize};

/// Form fields and query parameters.
pub const ENROLLMENT_CREDENTIAL: &str = "enrollment_credential";
pub const SERIAL: &str = "serial";
pub const FIREBASE_TOKEN: &str = "fbtoken";
pub const PUBLIC_KEY: &str = "pubkey";
pub const NONCE: &str = "nonce";
pub const SIGNATURE: &str = "signature";
pub const TIMESTAMP: &str = "timestamp";
pub const DECLINE: &str = "decline";
pub const DECLINE_REASON: &str = "decline_reason";
pub const PRESENCE_ANSWER: &str = "presence_answer";
/// The phone's new wake-up registration, in a signed update (`registration_update_message`).
pub const NEW_FIREBASE_TOKEN: &str = "new_fb_token";

/// In a rollout answer's `detail`: the server's public key.
pub const SERVER_PUBLIC_KEY: &str = "public_key";

/// In a rollout answer's `detail`: an `otpauth://totp` link for the same account, so that one
/// scan sets up both the push login and the code to type when no request arrives. Only our
/// reference service sends it.
pub const FALLBACK_TOTP: &str = "totp";

/// In an answer's reply `detail` (privacyIDEA 3.13+, code-to-phone): the code the user types
/// on the login page, shown only after a verified accept.
pub const DISPLAY_CODE: &str = "display_code";
/// Longest code to type accepted (privacyIDEA 3.14 sends two digits).
pub const MAX_DISPLAY_CODE: usize = 16;

/// Instant delivery, our reference service's extension: a poll reply whose `detail` carries
/// `LONG_POLL` (the most seconds the server will hold a poll) invites the phone to send
/// `LONG_POLL_WAIT` with its next polls; the server then answers as soon as a request arrives
/// or the time is up. privacyIDEA neither sends nor reads these, so polling stays unchanged.
pub const LONG_POLL: &str = "pocket_long_poll";
pub const LONG_POLL_WAIT: &str = "pocket_wait";

/// What a poll-only phone sends where a Firebase token would go.
pub const NO_FIREBASE_TOKEN: &str = "no firebase token";

/// Decline reasons (only where the server advertises the `decline_reason` capability).
pub const REASON_UNKNOWN_TRIGGER: &str = "unknown_trigger";
pub const REASON_CANCELLED: &str = "cancelled";

/// One open challenge, as a poll returns it. Every field is checked before use.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Challenge {
    pub nonce: String,
    pub url: String,
    pub serial: String,
    #[serde(default)]
    pub question: String,
    #[serde(default)]
    pub title: String,
    #[serde(default, deserialize_with = "string_or_scalar")]
    pub sslverify: String,
    pub signature: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_presence: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// A JSON object, sent as a string or as an object depending on the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capabilities_signature: Option<String>,
}

/// `"1"`, `1` and `true` all reach us for the same flag.
fn string_or_scalar<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::String(text) => text,
        serde_json::Value::Bool(flag) => if flag { "1" } else { "0" }.to_string(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges_read_flags_in_any_form() {
        for flag in [r#""0""#, "0", "false"] {
            let json = format!(
                r#"{{"nonce":"n","url":"u","serial":"s","signature":"x","sslverify":{flag}}}"#
            );
            let challenge: Challenge = serde_json::from_str(&json).unwrap();
            assert_eq!(challenge.sslverify, "0");
        }
    }
}
