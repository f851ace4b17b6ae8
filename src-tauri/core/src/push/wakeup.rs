//! What a wake-up message carries. privacyIDEA hands its push gateway each challenge as a
//! JSON object (the same fields a poll returns: `nonce`, `url`, `serial`, `question`,
//! `title`, `sslverify`, `signature`, and the optional ones); a relay passes that object on
//! unchanged, encrypted to the phone (Web Push) or in the data of an APNs or FCM message. The
//! phone reads it here and then treats it exactly like a polled challenge: verified, recorded
//! once, prompted. Polling stays the source of truth; a wake-up only makes the phone look now.

use super::wire::Challenge;
use crate::error::{Error, Result};

/// The challenge in a wake-up message's plaintext, still to be verified.
pub fn challenge_from_message(plaintext: &[u8]) -> Result<Challenge> {
    serde_json::from_slice(plaintext)
        .map_err(|e| Error::ServerReply(format!("the wake-up message holds no login request: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wake_up_carries_the_same_challenge_as_a_poll() {
        let challenge = Challenge {
            nonce: "N".into(),
            url: "https://mfa.example.com/ttype/push".into(),
            serial: "PIPU1".into(),
            question: "Log in?".into(),
            title: "Corp".into(),
            sslverify: "1".into(),
            signature: "SIG".into(),
            require_presence: Some("11,17,21".into()),
            version: Some("2".into()),
            capabilities: None,
            capabilities_signature: None,
        };
        let message = serde_json::to_vec(&challenge).unwrap();
        assert_eq!(challenge_from_message(&message).unwrap(), challenge);
        for damaged in [&br#"{"nonce":"N"}"#[..], b"[1]", b"", b"\xff"] {
            assert!(
                matches!(challenge_from_message(damaged), Err(Error::ServerReply(why)) if why.starts_with("the wake-up message holds no login request")),
                "{damaged:?}"
            );
        }
    }
}
