//! The container protocol on the wire: endpoints, field names, the texts the phone signs, and
//! the token lists each side sends. Learnt from privacyIDEA's code and checked against 3.14
//! (its `.rst` pages differ in places).

use serde::{Deserialize, Serialize};
use url::Url;

/// Endpoints, joined to the server's base address. Each also names the scope of a challenge.
pub const FINALIZE: &str = "container/register/finalize";
pub const CHALLENGE: &str = "container/challenge";
pub const SYNCHRONIZE: &str = "container/synchronize";
pub const ROLLOVER: &str = "container/rollover";
pub const TERMINATE: &str = "container/register/terminate/client";

/// Form fields.
pub const CONTAINER_SERIAL: &str = "container_serial";
pub const PUBLIC_CLIENT_KEY: &str = "public_client_key";
pub const SIGNATURE: &str = "signature";
pub const DEVICE_BRAND: &str = "device_brand";
pub const DEVICE_MODEL: &str = "device_model";
pub const PASSPHRASE: &str = "passphrase";
pub const SCOPE: &str = "scope";
pub const PUBLIC_ENC_KEY_CLIENT: &str = "public_enc_key_client";
pub const CONTAINER_DICT_CLIENT: &str = "container_dict_client";

/// privacyIDEA's error codes for containers.
pub const ERR_NOT_REGISTERED: i64 = 3001;
pub const ERR_INVALID_CHALLENGE: i64 = 3002;

/// An endpoint's address as privacyIDEA builds it (`create_endpoint_url`): the base with one
/// slash, then the path, unless the base already holds the path.
pub fn endpoint(base: &Url, path: &str) -> String {
    let base = base.as_str();
    if base.contains(path) {
        base.to_string()
    } else if base.ends_with('/') {
        format!("{base}{path}")
    } else {
        format!("{base}/{path}")
    }
}

/// What registration signs: `nonce|time|serial|scope`, then brand and model where sent, then
/// the passphrase where the link asked for one. The public key is not part of it.
pub fn finalize_message<'a>(
    nonce: &'a str,
    time: &'a str,
    serial: &'a str,
    scope: &'a str,
    device: Option<(&'a str, &'a str)>,
    passphrase: Option<&'a str>,
) -> Vec<&'a str> {
    let mut parts = vec![nonce, time, serial, scope];
    if let Some((brand, model)) = device {
        parts.extend([brand, model]);
    }
    parts.extend(passphrase);
    parts
}

/// What an answer to a challenge signs: `nonce|time_stamp|serial|scope`, then the sync's
/// public key and the phone's token list where they are sent.
pub fn challenge_message<'a>(
    challenge: &'a ContainerChallenge,
    serial: &'a str,
    scope: &'a str,
    sync: Option<(&'a str, &'a str)>,
) -> Vec<&'a str> {
    let mut parts = vec![
        challenge.nonce.as_str(),
        challenge.time_stamp.as_str(),
        serial,
        scope,
    ];
    if let Some((key, container)) = sync {
        parts.extend([key, container]);
    }
    parts
}

/// A challenge from `/container/challenge`.
#[derive(Debug, Clone, Deserialize)]
pub struct ContainerChallenge {
    pub nonce: String,
    pub time_stamp: String,
    #[serde(default)]
    pub enc_key_algorithm: Option<String>,
}

/// The settings the server's policies give the phone, sent with every registration and sync.
/// Each is read as privacyIDEA itself reads it ([`privacyidea_true`]): an administrator who
/// wrote `container_client_rollover=True` through the API gets the string "True" back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct ContainerPolicies {
    /// The phone may move the container to a new phone.
    #[serde(default, deserialize_with = "privacyidea_true")]
    pub container_client_rollover: bool,
    #[serde(default, deserialize_with = "privacyidea_true")]
    pub initially_add_tokens_to_container: bool,
    /// The phone must not delete the container's tokens.
    #[serde(default, deserialize_with = "privacyidea_true")]
    pub disable_client_token_deletion: bool,
    /// The phone must not unregister the container.
    #[serde(default, deserialize_with = "privacyidea_true")]
    pub disable_client_container_unregister: bool,
}

impl ContainerPolicies {
    /// What a reply over an unchecked connection may change of the policies `held`: a
    /// restriction lifted, a permission granted, never the other way (anyone on the way could
    /// have written the reply, and a restriction there would lock the user out of their own
    /// phone's tokens).
    pub fn loosened_from(&self, held: &ContainerPolicies) -> ContainerPolicies {
        ContainerPolicies {
            container_client_rollover: held.container_client_rollover
                || self.container_client_rollover,
            initially_add_tokens_to_container: held.initially_add_tokens_to_container
                || self.initially_add_tokens_to_container,
            disable_client_token_deletion: held.disable_client_token_deletion
                && self.disable_client_token_deletion,
            disable_client_container_unregister: held.disable_client_container_unregister
                && self.disable_client_container_unregister,
        }
    }

    /// The policies in `value` (a reply's `policies`), each read on its own: one value of a
    /// shape nobody expected leaves the others as they are, and a `policies` that is not an
    /// object at all is no policy.
    pub fn from_reply(value: &serde_json::Value) -> ContainerPolicies {
        serde_json::from_value(value.clone()).unwrap_or_default()
    }
}

/// A policy value as privacyIDEA's own `is_true` reads it: `true`, `1`, "1", "True", "true"
/// and "TRUE" are true; anything else is false, never an error.
fn privacyidea_true<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<bool, D::Error> {
    Ok(match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::Bool(value) => value,
        serde_json::Value::Number(number) => number.as_f64() == Some(1.0),
        serde_json::Value::String(text) => matches!(text.as_str(), "1" | "True" | "true" | "TRUE"),
        _ => false,
    })
}

/// One token in the phone's list: known by serial, or by two consecutive codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ClientToken {
    Known { serial: String, tokentype: String },
    Codes { otp: [String; 2], tokentype: String },
}

/// `container_dict_client`, as JSON text (signed as sent).
pub fn client_dict(serial: &str, tokens: &[ClientToken]) -> String {
    serde_json::json!({
        "container_serial": serial,
        "type": "smartphone",
        "tokens": tokens,
    })
    .to_string()
}

/// The decrypted `container_dict_server`. Both lists must be there: a reply without them
/// would otherwise read as "the container holds nothing" and remove every token. Its `Debug`
/// counts the links, which carry secrets.
#[derive(Clone, Default, Deserialize)]
pub struct ServerDict {
    pub tokens: ServerTokens,
}

#[derive(Clone, Default, Deserialize)]
pub struct ServerTokens {
    /// Enrollment links of tokens new to the phone (new secrets: the server rolled them over).
    pub add: Vec<String>,
    /// Tokens the phone keeps, with what changed.
    pub update: Vec<ServerToken>,
}

impl std::fmt::Debug for ServerDict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerDict")
            .field("add", &self.tokens.add.len())
            .field("update", &self.tokens.update)
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct ServerToken {
    pub serial: String,
    #[serde(default)]
    pub tokentype: String,
    /// The server's next HOTP counter.
    #[serde(default)]
    pub counter: Option<u64>,
    /// The codes the phone sent for a token it did not know the serial of.
    #[serde(default)]
    pub otp: Option<Vec<String>>,
}

/// The `serial` an enrollment link carries (privacyIDEA adds it to every link it sends), read
/// and checked as the link's own reader does.
pub fn link_serial(link: &str) -> Option<String> {
    let url = Url::parse(link.trim()).ok()?;
    crate::link_query::LinkQuery::of(&url).serial().ok()
}

#[cfg(test)]
mod policy_tests {
    use super::*;

    #[test]
    fn policies_read_as_privacyidea_reads_them() {
        // As privacyIDEA 3.14 returns a policy an administrator set to "True" through the API.
        let read = ContainerPolicies::from_reply(&serde_json::json!({
            "container_client_rollover": "True",
            "initially_add_tokens_to_container": "yes",
            "disable_client_token_deletion": 1,
            "disable_client_container_unregister": "TRUE",
            "something_new": {"a": [1]},
        }));
        assert_eq!(
            read,
            ContainerPolicies {
                container_client_rollover: true,
                initially_add_tokens_to_container: false,
                disable_client_token_deletion: true,
                disable_client_container_unregister: true,
            }
        );
        // One value of an odd shape does not throw away the others.
        let odd = ContainerPolicies::from_reply(&serde_json::json!({
            "container_client_rollover": true,
            "disable_client_token_deletion": {"value": true},
        }));
        assert!(odd.container_client_rollover && !odd.disable_client_token_deletion);
        assert_eq!(
            ContainerPolicies::from_reply(&serde_json::json!("True")),
            ContainerPolicies::default()
        );
    }

    #[test]
    fn an_unchecked_reply_lifts_restrictions_and_adds_none() {
        let strict = ContainerPolicies {
            disable_client_token_deletion: true,
            disable_client_container_unregister: true,
            ..Default::default()
        };
        let open = ContainerPolicies {
            container_client_rollover: true,
            ..Default::default()
        };
        // A forged reply that would lock the user out changes nothing.
        assert_eq!(strict.loosened_from(&open), open);
        // One that lifts what the server had set is taken.
        assert_eq!(open.loosened_from(&strict), open);
        assert_eq!(strict.loosened_from(&strict), strict);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_join_like_privacyidea() {
        let with = Url::parse("http://127.0.0.1:5055/").unwrap();
        let under = Url::parse("https://pi.example.com/pi").unwrap();
        assert_eq!(
            endpoint(&with, SYNCHRONIZE),
            "http://127.0.0.1:5055/container/synchronize"
        );
        assert_eq!(
            endpoint(&under, FINALIZE),
            "https://pi.example.com/pi/container/register/finalize"
        );
    }

    #[test]
    fn the_signed_texts_follow_the_server() {
        let finalize = finalize_message(
            "N",
            "T",
            "SMPH1",
            "http://x/container/register/finalize",
            Some(("Pocket", "Linux")),
            Some("1234"),
        );
        assert_eq!(
            finalize.join("|"),
            "N|T|SMPH1|http://x/container/register/finalize|Pocket|Linux|1234"
        );
        let challenge = ContainerChallenge {
            nonce: "N".into(),
            time_stamp: "T".into(),
            enc_key_algorithm: None,
        };
        assert_eq!(
            challenge_message(&challenge, "SMPH1", "S", Some(("K", "{}"))).join("|"),
            "N|T|SMPH1|S|K|{}"
        );
        let tokens = [
            ClientToken::Known {
                serial: "TOTP1".into(),
                tokentype: "totp".into(),
            },
            ClientToken::Codes {
                otp: ["123456".into(), "654321".into()],
                tokentype: "hotp".into(),
            },
        ];
        assert_eq!(
            client_dict("SMPH1", &tokens),
            r#"{"container_serial":"SMPH1","tokens":[{"serial":"TOTP1","tokentype":"totp"},{"otp":["123456","654321"],"tokentype":"hotp"}],"type":"smartphone"}"#
        );
    }

    #[test]
    fn links_name_their_serial() {
        assert_eq!(
            link_serial("otpauth://totp/TOTP0001?secret=AB&issuer=privacyIDEA&serial=TOTP0001")
                .as_deref(),
            Some("TOTP0001")
        );
        assert_eq!(link_serial("otpauth://totp/x?secret=AB"), None);
        // A fragment is not part of the query; a serial that could shift a signed text is none.
        assert_eq!(
            link_serial("otpauth://totp/x?secret=AB&serial=T1#serial=T2").as_deref(),
            Some("T1")
        );
        assert_eq!(link_serial("otpauth://totp/x?serial=T%7C1"), None);
    }
}
