//! Verifying a challenge before anything of it is shown (§3.4).

use url::Url;

use super::token::PushToken;
use super::wire::{self, Challenge};

/// privacyIDEA's app drops a request two minutes after receiving it; so does Pocket.
pub const LOCAL_EXPIRY_SECONDS: u64 = 120;

/// A login request that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushRequest {
    pub serial: String,
    pub nonce: String,
    pub title: String,
    /// Server-controlled text: shown as plain text, never as markup.
    pub question: String,
    /// Number matching: the options to choose from; empty when a plain accept is asked.
    pub presence_options: Vec<String>,
    /// Whether the server takes a reason with a decline.
    pub takes_decline_reason: bool,
    pub received_at: u64,
    pub expires_at: u64,
}

/// Why a challenge was dropped unseen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dropped {
    WrongSerial,
    WrongUrl,
    BadSignature,
}

pub fn verify_challenge(
    token: &PushToken,
    c: &Challenge,
    received_at: u64,
) -> Result<PushRequest, Dropped> {
    if c.serial != token.serial {
        return Err(Dropped::WrongSerial);
    }
    if Url::parse(&c.url).ok().as_ref() != Some(&token.url) {
        return Err(Dropped::WrongUrl);
    }
    if !token
        .server_key
        .verify(&wire::challenge_message(c), &c.signature)
    {
        return Err(Dropped::BadSignature);
    }
    let presence_options = c
        .require_presence
        .as_deref()
        .map(|options| {
            options
                .split(',')
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    Ok(PushRequest {
        serial: c.serial.clone(),
        nonce: c.nonce.clone(),
        title: c.title.clone(),
        question: c.question.clone(),
        presence_options,
        takes_decline_reason: capability(token, c, "decline_reason"),
        received_at,
        expires_at: received_at + LOCAL_EXPIRY_SECONDS,
    })
}

/// A capability counts only under a valid `capabilities_signature`; a forged one is ignored.
fn capability(token: &PushToken, c: &Challenge, name: &str) -> bool {
    let (Some(capabilities), Some(signature)) = (&c.capabilities, &c.capabilities_signature) else {
        return false;
    };
    let object = match capabilities {
        serde_json::Value::String(text) => {
            serde_json::from_str(text).unwrap_or(serde_json::Value::Null)
        }
        other => other.clone(),
    };
    let signed =
        wire::canonical_json(&serde_json::json!({ "capabilities": object, "nonce": c.nonce }));
    token.server_key.verify(&[&signed], signature)
        && object.get(name).and_then(|v| v.as_bool()) == Some(true)
}
