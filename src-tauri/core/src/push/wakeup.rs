//! How a phone learns that a login request waits.
//!
//! Today Pocket polls while it runs (`poller`): privacyIDEA's poll-only mode, which needs no
//! third party. Waking a closed app needs the platform's push service — FCM on Android, APNs
//! on iOS (privacyIDEA reaches both through Firebase) — with credentials that belong to
//! whoever publishes the app. The pieces are:
//!
//! 1. The app registers with the push service through a Tauri push plugin and gets a
//!    registration token; a [`WakeUp`] hands it to the rollout as `fbtoken`.
//! 2. The server, configured with the same Firebase project, sends a data message for each
//!    challenge. Its data are the fields of a polled challenge: `nonce`, `url`, `serial`,
//!    `question`, `title`, `sslverify`, `signature`, and optionally `require_presence`,
//!    `version`, `capabilities`, `capabilities_signature`.
//! 3. The app reads them with [`challenge_from_message`] and treats the result exactly like a
//!    polled challenge: `verify_challenge`, record, prompt. Polling stays on as the fallback,
//!    because push services drop and delay messages.

use std::collections::BTreeMap;

use super::wire::Challenge;
use crate::error::{Error, Result};

pub trait WakeUp: Send + Sync {
    /// This install's push registration token, sent as `fbtoken` at rollout; `None` asks the
    /// server for poll-only delivery.
    fn registration_token(&self) -> Option<String>;
}

/// Poll-only delivery: challenges wait on the server until the app polls.
pub struct PollOnly;

impl WakeUp for PollOnly {
    fn registration_token(&self) -> Option<String> {
        None
    }
}

/// A challenge from a push message's data, to be verified like a polled one.
pub fn challenge_from_message(data: &BTreeMap<String, String>) -> Result<Challenge> {
    let value = serde_json::to_value(data).map_err(|e| Error::ServerReply(e.to_string()))?;
    serde_json::from_value(value)
        .map_err(|e| Error::ServerReply(format!("a push message without a challenge: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_push_message_carries_the_same_challenge_as_a_poll() {
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
        let data: BTreeMap<String, String> = serde_json::from_value::<
            BTreeMap<String, serde_json::Value>,
        >(serde_json::to_value(&challenge).unwrap())
        .unwrap()
        .into_iter()
        .map(|(k, v)| (k, v.as_str().unwrap_or_default().to_string()))
        .collect();
        assert_eq!(challenge_from_message(&data).unwrap(), challenge);
        assert!(matches!(
            challenge_from_message(&BTreeMap::from([("nonce".into(), "N".into())])),
            Err(Error::ServerReply(_))
        ));
        assert_eq!(PollOnly.registration_token(), None);
    }
}
