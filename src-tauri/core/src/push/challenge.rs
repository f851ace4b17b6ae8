//! Verifying a challenge before anything of it is shown.

use url::Url;

use super::client::Answer;
use super::token::PushToken;
use super::wire::{self, Challenge};
use crate::error::{Error, Result};

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

impl PushRequest {
    /// The answer as it goes to the server: a decline's reason only where the server said,
    /// with this request, that it takes one. Refused as [`PushRequest::check_answer`] says.
    pub fn as_sent(&self, answer: Answer) -> Result<Answer> {
        self.check_answer(&answer)?;
        Ok(match answer {
            Answer::Decline { reason } => Answer::Decline {
                reason: reason.filter(|_| self.takes_decline_reason),
            },
            other => other,
        })
    }

    /// Whether Pocket may send `answer`: where the server asked the user to pick a number,
    /// only one of the numbers it offered, never a plain accept; a decline always.
    pub fn check_answer(&self, answer: &Answer) -> Result<()> {
        match answer {
            Answer::Decline { .. } => Ok(()),
            Answer::Accept if self.presence_options.is_empty() => Ok(()),
            Answer::Accept => Err(Error::PresenceRequired),
            Answer::Presence(choice) if self.presence_options.contains(choice) => Ok(()),
            Answer::Presence(_) => Err(Error::NotAnOption),
        }
    }
}

/// Why a challenge was dropped unseen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dropped {
    WrongSerial,
    WrongUrl,
    BadSignature,
    /// A field that could shift across the `|` separators of the signed text, or one the
    /// protocol does not allow: the signature would not say what the fields say.
    Malformed,
    /// Of a version Pocket does not know (a newer mode, or one changed on the way: the
    /// version is not in the signed text): never guessed at, and kept in the history as a
    /// request Pocket could not answer.
    Unsupported,
}

/// The challenge versions Pocket knows: none (or "1") for a plain request, "2" for one that
/// asks the user to pick an option.
fn known_version(c: &Challenge) -> bool {
    matches!(
        (
            c.version.as_deref().map(str::trim),
            c.require_presence.is_some()
        ),
        (None | Some("1"), false) | (Some("2"), true)
    )
}

/// Most numbers a login request may ask the user to choose between.
const MAX_PRESENCE_OPTIONS: usize = 10;
const MAX_OPTION_CHARS: usize = 16;

/// The fields' own rules, before the signature over them means anything. The signed text
/// joins them with `|`: if one could hold a `|`, `sslverify = "1|11,17,21"` without
/// `require_presence` would be signed exactly like a number-matching request, and could be
/// shown as a plain Accept.
fn well_formed(c: &Challenge) -> bool {
    let no_separator = |field: &str| !field.contains('|');
    (c.sslverify == "0" || c.sslverify == "1")
        && !c.nonce.is_empty()
        && no_separator(&c.nonce)
        && no_separator(&c.url)
        && no_separator(&c.serial)
        && c.require_presence.as_deref().is_none_or(|options| {
            let options: Vec<&str> = options.split(',').map(str::trim).collect();
            no_separator(&options.concat())
                && (1..=MAX_PRESENCE_OPTIONS).contains(&options.len())
                && options
                    .iter()
                    .all(|o| !o.is_empty() && o.chars().count() <= MAX_OPTION_CHARS)
        })
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
    if !well_formed(c) {
        return Err(Dropped::Malformed);
    }
    if !token
        .server_key
        .verify(&wire::challenge_message(c), &c.signature)
    {
        return Err(Dropped::BadSignature);
    }
    if !known_version(c) {
        return Err(Dropped::Unsupported);
    }
    let presence_options = c
        .require_presence
        .as_deref()
        .map(|options| options.split(',').map(|o| o.trim().to_string()).collect())
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
    let signed = wire::capabilities_message(&object, &c.nonce);
    token.server_key.verify(&[&signed], signature)
        && object.get(name).and_then(|v| v.as_bool()) == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::push::{MIN_KEY_BITS, SigningKey};

    fn token(server: &SigningKey) -> PushToken {
        PushToken {
            serial: "PIPU1".into(),
            label: "alice".into(),
            issuer: "Corp".into(),
            url: Url::parse("https://mfa.example.com/ttype/push").unwrap(),
            verify_tls: true,
            server_key: server.verifying_key(),
            unlock: None,
        }
    }

    /// A challenge as the server signs it.
    fn signed(server: &SigningKey, presence: Option<&str>) -> Challenge {
        let mut c = Challenge {
            nonce: "NONCE2345".into(),
            url: "https://mfa.example.com/ttype/push".into(),
            serial: "PIPU1".into(),
            question: "Log in?".into(),
            title: "Corp".into(),
            sslverify: "1".into(),
            signature: String::new(),
            require_presence: presence.map(str::to_string),
            version: presence.map(|_| "2".to_string()),
            capabilities: None,
            capabilities_signature: None,
        };
        c.signature = server.sign(&wire::challenge_message(&c));
        c
    }

    /// `c` signed again by `server` as it stands, then verified.
    fn resigned(server: &SigningKey, mut c: Challenge) -> Result<PushRequest, Dropped> {
        c.signature = server.sign(&wire::challenge_message(&c));
        verify_challenge(&token(server), &c, 0)
    }

    #[test]
    fn number_matching_cannot_be_shifted_into_sslverify_to_show_a_plain_accept() {
        let server = SigningKey::generate(MIN_KEY_BITS).unwrap();
        let genuine = signed(&server, Some("11,17,21"));
        let request = verify_challenge(&token(&server), &genuine, 0).unwrap();
        assert_eq!(request.presence_options, ["11", "17", "21"]);
        // The same signed text, "…|1|11,17,21", with the options moved into sslverify.
        let mut shifted = genuine.clone();
        shifted.sslverify = "1|11,17,21".into();
        shifted.require_presence = None;
        shifted.version = None;
        assert_eq!(
            wire::challenge_message(&shifted).join("|"),
            wire::challenge_message(&genuine).join("|")
        );
        assert_eq!(
            verify_challenge(&token(&server), &shifted, 0),
            Err(Dropped::Malformed)
        );
    }

    #[test]
    fn fields_that_break_the_protocol_drop_the_challenge() {
        let server = SigningKey::generate(MIN_KEY_BITS).unwrap();
        let resign = |c: Challenge| resigned(&server, c);
        let plain = signed(&server, None);
        assert!(resign(plain.clone()).is_ok());
        for sslverify in ["", "2", "true", "1 "] {
            let c = Challenge {
                sslverify: sslverify.into(),
                ..plain.clone()
            };
            assert_eq!(resign(c), Err(Dropped::Malformed), "{sslverify:?}");
        }
        for options in ["", "11,,17", "1|2", &"1,".repeat(11)] {
            assert_eq!(
                resign(signed(&server, Some(options))),
                Err(Dropped::Malformed),
                "{options:?}"
            );
        }
        let nonce = Challenge {
            nonce: "N|X".into(),
            ..plain.clone()
        };
        assert_eq!(resign(nonce), Err(Dropped::Malformed));
    }

    #[test]
    fn a_signed_request_of_an_unknown_version_is_not_guessed_at() {
        let server = SigningKey::generate(MIN_KEY_BITS).unwrap();
        let resign = |c: Challenge| resigned(&server, c);
        let plain = signed(&server, None);
        let presence = signed(&server, Some("11,17,21"));
        let with_version = |c: &Challenge, v: Option<&str>| Challenge {
            version: v.map(str::to_string),
            ..c.clone()
        };
        assert!(resign(with_version(&plain, Some("1"))).is_ok());
        for (c, version) in [
            (&plain, Some("3")),
            (&plain, Some("2")),
            (&presence, None),
            (&presence, Some("3")),
        ] {
            assert_eq!(
                resign(with_version(c, version)),
                Err(Dropped::Unsupported),
                "{version:?} with options {:?}",
                c.require_presence
            );
        }
    }

    #[test]
    fn only_an_offered_number_answers_a_number_matching_request() {
        let request = PushRequest {
            serial: "PIPU1".into(),
            nonce: "N".into(),
            title: String::new(),
            question: String::new(),
            presence_options: vec!["11".into(), "17".into()],
            takes_decline_reason: false,
            received_at: 0,
            expires_at: 120,
        };
        let code = |answer| request.check_answer(&answer).map_err(|e| e.code());
        assert_eq!(code(Answer::Accept), Err("presence_required"));
        assert_eq!(code(Answer::Presence("12".into())), Err("not_an_option"));
        assert_eq!(code(Answer::Presence("17".into())), Ok(()));
        assert_eq!(code(Answer::Decline { reason: None }), Ok(()));
        let plain = PushRequest {
            presence_options: vec![],
            ..request
        };
        assert_eq!(
            plain.check_answer(&Answer::Accept).map_err(|e| e.code()),
            Ok(())
        );
        assert_eq!(
            plain
                .check_answer(&Answer::Presence("17".into()))
                .map_err(|e| e.code()),
            Err("not_an_option")
        );
    }

    #[test]
    fn a_decline_reason_goes_only_to_servers_that_take_one() {
        use crate::push::DeclineReason;
        let mut request = PushRequest {
            serial: "PIPU1".into(),
            nonce: "N".into(),
            title: String::new(),
            question: String::new(),
            presence_options: vec![],
            takes_decline_reason: false,
            received_at: 0,
            expires_at: 120,
        };
        let not_me = || Answer::Decline {
            reason: Some(DeclineReason::NotMe),
        };
        assert_eq!(
            request.as_sent(not_me()).unwrap(),
            Answer::Decline { reason: None }
        );
        request.takes_decline_reason = true;
        assert_eq!(request.as_sent(not_me()).unwrap(), not_me());
        assert_eq!(
            DeclineReason::from_wire("cancelled"),
            Some(DeclineReason::Cancelled)
        );
        assert_eq!(DeclineReason::from_wire("maybe"), None);
    }
}
