//! The texts each side signs: a challenge, a poll, an answer, the capabilities.

use super::{Challenge, DECLINE, DECLINE_REASON, PRESENCE_ANSWER};

/// The string the server signs for a challenge.
pub fn challenge_message(c: &Challenge) -> Vec<&str> {
    let mut parts = vec![
        c.nonce.as_str(),
        &c.url,
        &c.serial,
        &c.question,
        &c.title,
        &c.sslverify,
    ];
    if let Some(options) = &c.require_presence {
        parts.push(options);
    }
    parts
}

/// What a poll signs: `serial|timestamp`.
pub fn poll_message<'a>(serial: &'a str, timestamp: &'a str) -> [&'a str; 2] {
    [serial, timestamp]
}

/// What a registration update signs: `new_fb_token|serial|timestamp`.
pub fn registration_update_message<'a>(
    registration: &'a str,
    serial: &'a str,
    timestamp: &'a str,
) -> [&'a str; 3] {
    [registration, serial, timestamp]
}

/// An answer as it travels: the fields beside `serial`, `nonce` and `signature`, and the
/// signed text `nonce|serial…`. The phone builds it from the user's choice; the server
/// from the form it received, and so both sign and verify the same text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerText<'a> {
    Accept,
    Decline { reason: Option<&'a str> },
    Presence(&'a str),
}

impl<'a> AnswerText<'a> {
    /// The answer a form holds: `decline` (with its reason) wins over a presence answer.
    pub fn from_form(
        decline: Option<&'a str>,
        reason: Option<&'a str>,
        presence: Option<&'a str>,
    ) -> AnswerText<'a> {
        match (decline, presence) {
            (Some(_), _) => AnswerText::Decline { reason },
            (None, Some(choice)) => AnswerText::Presence(choice),
            (None, None) => AnswerText::Accept,
        }
    }

    /// The extra form fields.
    pub fn form_fields(&self) -> Vec<(&'static str, &'a str)> {
        match *self {
            AnswerText::Accept => vec![],
            AnswerText::Decline { reason: None } => vec![(DECLINE, "1")],
            AnswerText::Decline {
                reason: Some(reason),
            } => vec![(DECLINE, "1"), (DECLINE_REASON, reason)],
            AnswerText::Presence(choice) => vec![(PRESENCE_ANSWER, choice)],
        }
    }

    /// The parts of the signed text, joined with `|` by the signature.
    pub fn signed(&self, nonce: &'a str, serial: &'a str) -> Vec<&'a str> {
        let mut parts = vec![nonce, serial];
        match *self {
            AnswerText::Accept => {}
            AnswerText::Decline { reason } => {
                parts.push("decline");
                parts.extend(reason);
            }
            AnswerText::Presence(choice) => parts.push(choice),
        }
        parts
    }
}

/// What `capabilities_signature` signs: the canonical JSON of the capabilities and the nonce.
pub fn capabilities_message(capabilities: &serde_json::Value, nonce: &str) -> String {
    canonical_json(&serde_json::json!({ "capabilities": capabilities, "nonce": nonce }))
}

/// RFC 8785 canonical JSON, for the objects this protocol signs (keys sorted, no spaces).
pub fn canonical_json(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            // RFC 8785 orders by UTF-16 code units.
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            let fields: Vec<String> = keys
                .into_iter()
                .map(|k| {
                    format!(
                        "{}:{}",
                        serde_json::Value::String(k.clone()),
                        canonical_json(&map[k])
                    )
                })
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        serde_json::Value::Array(items) => {
            format!(
                "[{}]",
                items
                    .iter()
                    .map(canonical_json)
                    .collect::<Vec<_>>()
                    .join(",")
            )
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_and_drops_spaces() {
        let value = serde_json::json!({"nonce": "N", "capabilities": {"decline_reason": true, "a": [1, "x"]}});
        assert_eq!(
            canonical_json(&value),
            r#"{"capabilities":{"a":[1,"x"],"decline_reason":true},"nonce":"N"}"#
        );
        assert_eq!(
            capabilities_message(&serde_json::json!({"decline_reason": true}), "N"),
            r#"{"capabilities":{"decline_reason":true},"nonce":"N"}"#
        );
    }

    #[test]
    fn answers_sign_what_the_protocol_says() {
        let signed = |answer: AnswerText<'_>| answer.signed("N", "S").join("|");
        assert_eq!(signed(AnswerText::Accept), "N|S");
        assert_eq!(signed(AnswerText::Decline { reason: None }), "N|S|decline");
        assert_eq!(
            signed(AnswerText::Decline {
                reason: Some("unknown_trigger")
            }),
            "N|S|decline|unknown_trigger"
        );
        assert_eq!(signed(AnswerText::Presence("17")), "N|S|17");
        // The server reads back what the phone sent.
        for answer in [
            AnswerText::Accept,
            AnswerText::Decline { reason: None },
            AnswerText::Decline {
                reason: Some("cancelled"),
            },
            AnswerText::Presence("17"),
        ] {
            let form = answer.form_fields();
            let get = |name| form.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
            assert_eq!(
                AnswerText::from_form(get(DECLINE), get(DECLINE_REASON), get(PRESENCE_ANSWER)),
                answer
            );
        }
    }
}
