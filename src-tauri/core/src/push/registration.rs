//! The phone's wake-up registration: the text it sends as `fbtoken` at rollout and with every
//! signed `new_fb_token` update, which privacyIDEA keeps as the token's `firebase_token` and
//! hands to its push gateway with each challenge. It names one channel and everything a relay
//! needs to reach the phone on it, and nothing else:
//!
//! - `pocket:1:webpush:P256DH:AUTH:ENDPOINT` (UnifiedPush and other Web Push services; the
//!   keys in unpadded base64url, the endpoint last because a URL may hold colons);
//! - `pocket:1:apns:production:TOKEN` or `pocket:1:apns:development:TOKEN` (hex);
//! - `pocket:1:fcm:TOKEN`;
//! - privacyIDEA's own `no firebase token` for a phone that is only polled.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use url::Url;

use super::wire;
use crate::error::{Error, Result};

/// privacyIDEA keeps the text whole; a relay refuses anything longer before reading it.
pub const MAX_REGISTRATION_BYTES: usize = 2048;
/// Web Push services hand out endpoints of a few hundred bytes.
const MAX_ENDPOINT_BYTES: usize = 1024;
/// Apple's device tokens are 32 bytes today; Apple says they may grow.
const MAX_APNS_TOKEN_HEX: usize = 200;
/// Firebase's registration tokens are about 160 characters.
const MAX_FCM_TOKEN_BYTES: usize = 1024;
const PREFIX: &str = "pocket:1:";
const WEB_PUSH: &str = "webpush";
const APNS: &str = "apns";
const FCM: &str = "fcm";

/// How a phone is woken when a login request waits for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WakeChannel {
    /// Nothing wakes it: requests wait until Pocket is opened and polls.
    PollOnly,
    WebPush {
        endpoint: Url,
        /// The phone's P-256 public key, an uncompressed point.
        p256dh: Vec<u8>,
        auth: Vec<u8>,
    },
    Apns {
        /// Hex, lower case.
        device_token: String,
        /// Apple's development environment (builds signed for development).
        development: bool,
    },
    Fcm {
        token: String,
    },
}

impl WakeChannel {
    /// The channel's name for logs, metrics and the settings screen.
    pub fn kind(&self) -> &'static str {
        match self {
            WakeChannel::PollOnly => "poll",
            WakeChannel::WebPush { .. } => WEB_PUSH,
            WakeChannel::Apns { .. } => APNS,
            WakeChannel::Fcm { .. } => FCM,
        }
    }

    /// The text sent as `fbtoken`.
    pub fn registration(&self) -> String {
        match self {
            WakeChannel::PollOnly => wire::NO_FIREBASE_TOKEN.to_string(),
            WakeChannel::WebPush {
                endpoint,
                p256dh,
                auth,
            } => format!(
                "{PREFIX}{WEB_PUSH}:{}:{}:{endpoint}",
                URL_SAFE_NO_PAD.encode(p256dh),
                URL_SAFE_NO_PAD.encode(auth)
            ),
            WakeChannel::Apns {
                device_token,
                development,
            } => format!(
                "{PREFIX}{APNS}:{}:{device_token}",
                if *development {
                    "development"
                } else {
                    "production"
                }
            ),
            WakeChannel::Fcm { token } => format!("{PREFIX}{FCM}:{token}"),
        }
    }

    /// Reads a registration. Text that is not Pocket's (privacyIDEA's placeholder, another
    /// app's Firebase token, nothing) is a phone that can only be polled; Pocket's own text
    /// that is damaged or breaks a limit is refused with the reason.
    pub fn parse(text: &str) -> Result<WakeChannel> {
        if text.len() > MAX_REGISTRATION_BYTES {
            return Err(Error::TooLong {
                param: wire::FIREBASE_TOKEN,
                limit: MAX_REGISTRATION_BYTES,
            });
        }
        let Some(rest) = text.strip_prefix(PREFIX) else {
            return Ok(WakeChannel::PollOnly);
        };
        // The signed update joins the registration to other fields with `|`.
        if rest.contains('|') {
            return Err(invalid("a registration holds no `|`".into()));
        }
        let (kind, rest) = rest.split_once(':').unwrap_or((rest, ""));
        match kind {
            WEB_PUSH => parse_web_push(rest),
            APNS => parse_apns(rest),
            FCM => parse_fcm(rest),
            other => Err(invalid(format!(
                "the channel {other:?} is not one Pocket knows"
            ))),
        }
    }
}

fn invalid(reason: String) -> Error {
    Error::InvalidParameter {
        param: wire::FIREBASE_TOKEN,
        reason,
    }
}

fn parse_web_push(rest: &str) -> Result<WakeChannel> {
    let mut parts = rest.splitn(3, ':');
    let (Some(p256dh), Some(auth), Some(endpoint)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid(
            "a Web Push channel needs keys and an endpoint".into(),
        ));
    };
    let key = |text: &str, what: &str, length: usize| {
        URL_SAFE_NO_PAD
            .decode(text)
            .ok()
            .filter(|bytes| bytes.len() == length)
            .ok_or_else(|| invalid(format!("the {what} is not {length} bytes of base64url")))
    };
    let p256dh = key(p256dh, "public key", 65)?;
    let auth = key(auth, "auth secret", 16)?;
    if endpoint.len() > MAX_ENDPOINT_BYTES {
        return Err(invalid("the endpoint is too long".into()));
    }
    let endpoint =
        Url::parse(endpoint).map_err(|e| invalid(format!("the endpoint is not a URL: {e}")))?;
    // A push service is reached over TLS; plain HTTP only on this machine, where tests run one.
    let local = super::transport::is_loopback(&endpoint);
    if !(endpoint.scheme() == "https" || endpoint.scheme() == "http" && local) {
        return Err(invalid("the endpoint is not an https:// URL".into()));
    }
    if !endpoint.username().is_empty() || endpoint.password().is_some() {
        return Err(invalid("the endpoint carries a user name".into()));
    }
    Ok(WakeChannel::WebPush {
        endpoint,
        p256dh,
        auth,
    })
}

fn parse_apns(rest: &str) -> Result<WakeChannel> {
    let (environment, token) = rest.split_once(':').unwrap_or((rest, ""));
    let development = match environment {
        "production" => false,
        "development" => true,
        _ => return Err(invalid("an APNs channel names its environment".into())),
    };
    let hex = token.len() % 2 == 0
        && token
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if token.is_empty() || token.len() > MAX_APNS_TOKEN_HEX || !hex {
        return Err(invalid(
            "the APNs device token is not lower-case hex".into(),
        ));
    }
    Ok(WakeChannel::Apns {
        device_token: token.to_string(),
        development,
    })
}

fn parse_fcm(token: &str) -> Result<WakeChannel> {
    let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-');
    if token.is_empty() || token.len() > MAX_FCM_TOKEN_BYTES || !token.bytes().all(allowed) {
        return Err(invalid(
            "the FCM token has characters FCM does not use".into(),
        ));
    }
    Ok(WakeChannel::Fcm {
        token: token.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn web_push(endpoint: &str) -> WakeChannel {
        let mut p256dh = vec![4u8];
        p256dh.extend([7u8; 64]);
        WakeChannel::WebPush {
            endpoint: Url::parse(endpoint).unwrap(),
            p256dh,
            auth: vec![9; 16],
        }
    }

    #[test]
    fn every_channel_reads_back_as_written() {
        for channel in [
            WakeChannel::PollOnly,
            web_push("https://ntfy.example.net/upAbC?up=1"),
            web_push("http://127.0.0.1:8080/push/a:b"),
            WakeChannel::Apns {
                device_token: "ab".repeat(32),
                development: true,
            },
            WakeChannel::Apns {
                device_token: "0f".repeat(32),
                development: false,
            },
            WakeChannel::Fcm {
                token: "cXyZ:APA91b-h_0".into(),
            },
        ] {
            let text = channel.registration();
            assert_eq!(WakeChannel::parse(&text).unwrap(), channel, "{text}");
        }
        assert_eq!(
            web_push("https://push.example/x").registration(),
            format!(
                "pocket:1:webpush:BAcH{}Bwc:CQkJCQkJCQkJCQkJCQkJCQ:https://push.example/x",
                "BwcH".repeat(20)
            )
        );
    }

    #[test]
    fn text_that_is_not_pockets_is_a_polled_phone() {
        for text in [
            "no firebase token",
            "",
            "dGhpcyBpcyBmY20",
            "pocket:2:webpush:x",
        ] {
            assert_eq!(WakeChannel::parse(text).unwrap(), WakeChannel::PollOnly);
        }
    }

    #[test]
    fn damaged_registrations_say_what_is_wrong() {
        let refused = |text: &str| match WakeChannel::parse(text) {
            Err(Error::InvalidParameter { param, reason }) => {
                assert_eq!(param, "fbtoken");
                reason
            }
            other => panic!("{text}: {other:?}"),
        };
        let good = web_push("https://push.example/x").registration();
        let keys = good
            .strip_prefix("pocket:1:webpush:")
            .unwrap()
            .rsplit_once(":https")
            .unwrap()
            .0;
        assert_eq!(
            refused("pocket:1:webpush:AAAA:AAAA:https://push.example/x"),
            "the public key is not 65 bytes of base64url"
        );
        assert_eq!(
            refused(&format!(
                "pocket:1:webpush:{}:AAAA:https://push.example/x",
                keys.split_once(':').unwrap().0
            )),
            "the auth secret is not 16 bytes of base64url"
        );
        assert_eq!(
            refused(&format!("pocket:1:webpush:{keys}:http://push.example/x")),
            "the endpoint is not an https:// URL"
        );
        assert_eq!(
            refused(&format!(
                "pocket:1:webpush:{keys}:https://me:pw@push.example/x"
            )),
            "the endpoint carries a user name"
        );
        assert_eq!(
            refused(&format!("pocket:1:webpush:{keys}:not a url")),
            "the endpoint is not a URL: relative URL without a base"
        );
        assert_eq!(
            refused(&format!(
                "pocket:1:webpush:{keys}:https://push.example/{}",
                "a".repeat(1024)
            )),
            "the endpoint is too long"
        );
        assert_eq!(
            refused("pocket:1:webpush:"),
            "a Web Push channel needs keys and an endpoint"
        );
        assert_eq!(
            refused("pocket:1:apns:staging:abcd"),
            "an APNs channel names its environment"
        );
        assert_eq!(
            refused("pocket:1:apns:production:ABCD"),
            "the APNs device token is not lower-case hex"
        );
        assert_eq!(
            refused("pocket:1:apns:production:abc"),
            "the APNs device token is not lower-case hex"
        );
        assert_eq!(
            refused("pocket:1:fcm:a b"),
            "the FCM token has characters FCM does not use"
        );
        assert_eq!(
            refused("pocket:1:fcm:"),
            "the FCM token has characters FCM does not use"
        );
        assert_eq!(
            refused("pocket:1:sms:123"),
            "the channel \"sms\" is not one Pocket knows"
        );
        assert_eq!(
            refused(&format!("pocket:1:webpush:{keys}:https://push.example/a|b")),
            "a registration holds no `|`"
        );
        assert!(matches!(
            WakeChannel::parse(&"x".repeat(MAX_REGISTRATION_BYTES + 1)),
            Err(Error::TooLong {
                param: "fbtoken",
                limit: MAX_REGISTRATION_BYTES
            })
        ));
    }
}
