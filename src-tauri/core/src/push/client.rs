//! HTTP to the push server: rollout, poll, answer. Every reply is checked like input.

use std::time::Duration;

use super::crypto::{SigningKey, VerifyingKey};
use super::enrollment::PushEnrollment;
use super::http::send;
use super::registration::WakeChannel;
use super::token::PushToken;
use super::wire::{self, Challenge, Envelope};
use crate::error::{Error, Result};

/// What the user decided about a login request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Accept,
    /// The reason goes to the server only where it advertised that it takes one.
    Decline {
        reason: Option<DeclineReason>,
    },
    /// Number matching: the option the user picked.
    Presence(String),
}

/// Why the user declined, where the server takes a reason. A plain "Reject" gives
/// none: it claims nothing about who tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclineReason {
    /// "This wasn't me": someone else has the password.
    NotMe,
    /// "I did, but I changed my mind."
    Cancelled,
}

impl DeclineReason {
    pub fn as_wire(self) -> &'static str {
        match self {
            DeclineReason::NotMe => wire::REASON_UNKNOWN_TRIGGER,
            DeclineReason::Cancelled => wire::REASON_CANCELLED,
        }
    }

    pub fn from_wire(text: &str) -> Option<DeclineReason> {
        [DeclineReason::NotMe, DeclineReason::Cancelled]
            .into_iter()
            .find(|reason| reason.as_wire() == text)
    }
}

impl Answer {
    /// The answer as the wire carries it.
    pub fn text(&self) -> wire::AnswerText<'_> {
        match self {
            Answer::Accept => wire::AnswerText::Accept,
            Answer::Decline { reason } => wire::AnswerText::Decline {
                reason: reason.map(DeclineReason::as_wire),
            },
            Answer::Presence(choice) => wire::AnswerText::Presence(choice),
        }
    }
}

/// What the server answered to a rollout. Its `Debug` leaves the code account's link out.
#[derive(Clone)]
pub struct Rollout {
    pub server_key: VerifyingKey,
    /// Our reference service's extension: a TOTP account for typing a code when no request
    /// arrives, delivered over the same authenticated rollout. privacyIDEA sends none.
    pub fallback_totp: Option<zeroize::Zeroizing<String>>,
}

impl std::fmt::Debug for Rollout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rollout")
            .field("server_key", &self.server_key)
            .field(
                "fallback_totp",
                &self.fallback_totp.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// One poll's reply.
#[derive(Debug, Clone)]
pub struct Polled {
    pub challenges: Vec<Challenge>,
    /// The server's offer of instant delivery: the longest it will hold a poll.
    pub long_poll: Option<Duration>,
}

/// A poll's signed timestamp must stay within the server's minute of skew while it is held.
const MAX_LONG_POLL_SECONDS: u64 = 50;
/// How long past its wait a held poll may take before it counts as lost.
const LONG_POLL_GRACE: Duration = Duration::from_secs(10);

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Per request, from sending to the reply's last byte.
const TOTAL_TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Clone)]
pub struct PushClient {
    verifying: reqwest::Client,
    /// For tokens enrolled with `sslverify=0`, and only for them.
    trusting: reqwest::Client,
    /// The servers' times, from every reply.
    pub(super) clocks: std::sync::Arc<crate::clock::ServerClocks>,
}

impl PushClient {
    /// Certificates are checked against the system's store (a company's own CA installed
    /// there works) and the bundled Mozilla roots. Redirects are not followed: a push server
    /// answers where it was enrolled, and a form body (credential, signed answer) must not go
    /// anywhere else.
    pub fn new() -> Result<PushClient> {
        PushClient::with(|builder| builder)
    }

    /// The same client, with `adjust` applied to both builders (tests point host names at
    /// loopback with `resolve`).
    pub fn with(
        adjust: impl Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder,
    ) -> Result<PushClient> {
        let build = |accept_invalid: bool| {
            adjust(
                reqwest::Client::builder()
                    .connect_timeout(CONNECT_TIMEOUT)
                    .timeout(TOTAL_TIMEOUT)
                    .redirect(reqwest::redirect::Policy::none())
                    .tls_built_in_native_certs(true)
                    .tls_built_in_webpki_certs(true)
                    .danger_accept_invalid_certs(accept_invalid),
            )
            .build()
            .map_err(|e| Error::HttpClientUnavailable(e.to_string()))
        };
        Ok(PushClient {
            verifying: build(false)?,
            trusting: build(true)?,
            clocks: Default::default(),
        })
    }

    /// What the servers' replies said of the time.
    pub fn clocks(&self) -> &std::sync::Arc<crate::clock::ServerClocks> {
        &self.clocks
    }

    /// Measures this device's clock against the server at `url`.
    pub async fn measure_clock(
        &self,
        url: &url::Url,
        verify_tls: bool,
    ) -> Result<crate::clock::ClockSample> {
        super::http::probe_clock(&self.clocks, self.http(verify_tls).get(url.clone())).await
    }

    /// The client for a server enrolled with (`true`) or without certificate checks.
    pub(crate) fn http(&self, verify_tls: bool) -> &reqwest::Client {
        if verify_tls {
            &self.verifying
        } else {
            &self.trusting
        }
    }

    /// Sends the phone's public key for poll-only delivery; returns the server's answer.
    pub async fn rollout(&self, enrollment: &PushEnrollment, key: &SigningKey) -> Result<Rollout> {
        self.rollout_with(enrollment, key, &WakeChannel::PollOnly)
            .await
    }

    /// Sends the phone's public key and the channel that wakes it.
    pub async fn rollout_with(
        &self,
        enrollment: &PushEnrollment,
        key: &SigningKey,
        channel: &WakeChannel,
    ) -> Result<Rollout> {
        let firebase_token = channel.registration();
        let form = [
            (
                wire::ENROLLMENT_CREDENTIAL,
                enrollment.enrollment_credential.clone(),
            ),
            (wire::SERIAL, enrollment.serial.clone()),
            (wire::FIREBASE_TOKEN, firebase_token),
            (wire::PUBLIC_KEY, key.public_key_base64()?),
        ];
        let request = self
            .http(enrollment.verify_tls)
            .post(enrollment.url.clone())
            .form(&form);
        let envelope: Envelope<bool> = send(&self.clocks, request).await?;
        if envelope.result.value != Some(true) {
            return Err(Error::ServerRefused(
                "the server did not accept the rollout".into(),
            ));
        }
        let public_key = envelope
            .detail
            .as_ref()
            .and_then(|d| d.get(wire::SERVER_PUBLIC_KEY))
            .and_then(|k| k.as_str())
            .ok_or_else(|| Error::ServerReply("the rollout answer has no public key".into()))?;
        let fallback_totp = envelope
            .detail
            .as_ref()
            .and_then(|d| d.get(wire::FALLBACK_TOTP))
            .and_then(|t| t.as_str())
            .map(|t| zeroize::Zeroizing::new(t.to_string()));
        Ok(Rollout {
            server_key: VerifyingKey::from_base64(public_key)?,
            fallback_totp,
        })
    }

    /// The open challenges for `token`, unverified: see `verify_challenge`.
    pub async fn poll(
        &self,
        token: &PushToken,
        key: &SigningKey,
        now_unix: u64,
    ) -> Result<Vec<Challenge>> {
        Ok(self
            .poll_waiting(token, key, now_unix, None)
            .await?
            .challenges)
    }

    /// A poll that, with `wait`, asks the server to hold it until a request arrives (only for
    /// servers that offered instant delivery, `wire::LONG_POLL`).
    pub async fn poll_waiting(
        &self,
        token: &PushToken,
        key: &SigningKey,
        now_unix: u64,
        wait: Option<Duration>,
    ) -> Result<Polled> {
        let timestamp = crate::clock::iso8601(now_unix);
        let signature = key.sign(&wire::poll_message(&token.serial, &timestamp));
        let mut query = vec![
            (wire::SERIAL, token.serial.clone()),
            (wire::TIMESTAMP, timestamp),
            (wire::SIGNATURE, signature),
        ];
        let mut request = self.http(token.verify_tls).get(token.url.clone());
        if let Some(wait) = wait {
            query.push((wire::LONG_POLL_WAIT, wait.as_secs().to_string()));
            request = request.timeout(wait + LONG_POLL_GRACE);
        }
        // A held poll is answered at its end, not in the middle of its round trip: its time
        // says nothing of the clock.
        let unrecorded = crate::clock::ServerClocks::default();
        let clocks = if wait.is_some() {
            &unrecorded
        } else {
            &*self.clocks
        };
        let envelope: Envelope<Vec<serde_json::Value>> =
            send(clocks, request.query(&query)).await?;
        let long_poll = envelope
            .detail
            .as_ref()
            .and_then(|d| d.get(wire::LONG_POLL))
            .and_then(serde_json::Value::as_u64)
            .filter(|seconds| *seconds > 0)
            .map(|seconds| Duration::from_secs(seconds.min(MAX_LONG_POLL_SECONDS)));
        // One malformed challenge must not hide the others.
        let challenges = envelope
            .result
            .value
            .unwrap_or_default()
            .into_iter()
            .filter_map(|c| serde_json::from_value(c).ok())
            .collect();
        Ok(Polled {
            challenges,
            long_poll,
        })
    }

    /// Sends the signed answer; true when the server took it.
    pub async fn answer(
        &self,
        token: &PushToken,
        key: &SigningKey,
        nonce: &str,
        answer: &Answer,
    ) -> Result<bool> {
        Ok(self.answer_reply(token, key, nonce, answer).await?.taken)
    }

    /// Sends the signed answer; what the server said, with the code to type on the login
    /// page where it asks for one (privacyIDEA's code-to-phone).
    pub async fn answer_reply(
        &self,
        token: &PushToken,
        key: &SigningKey,
        nonce: &str,
        answer: &Answer,
    ) -> Result<AnswerReply> {
        let text = answer.text();
        let signature = key.sign(&text.signed(nonce, &token.serial));
        let mut form = vec![
            (wire::SERIAL, token.serial.as_str()),
            (wire::NONCE, nonce),
            (wire::SIGNATURE, signature.as_str()),
        ];
        form.extend(text.form_fields());
        let request = self
            .http(token.verify_tls)
            .post(token.url.clone())
            .form(&form);
        let envelope: Envelope<bool> = send(&self.clocks, request).await?;
        let taken = envelope.result.value == Some(true);
        let display_code = match envelope
            .detail
            .as_ref()
            .and_then(|d| d.get(wire::DISPLAY_CODE))
        {
            // Only an accept the server took has a code to type. One that is not a code
            // leaves the accept as it is (the server took it), shown without a code.
            Some(code) if taken && !matches!(answer, Answer::Decline { .. }) => display_code(code)
                .inspect_err(|error| log::warn!("{error}"))
                .ok(),
            _ => None,
        };
        Ok(AnswerReply {
            taken,
            display_code,
        })
    }
}

/// What the server said to an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerReply {
    pub taken: bool,
    /// The code the user types on the login page to finish it (code-to-phone).
    pub display_code: Option<String>,
}

/// The code to show, checked: a few letters or digits, nothing a screen could misrender.
fn display_code(value: &serde_json::Value) -> Result<String> {
    let code = match value {
        serde_json::Value::String(text) => text.trim().to_string(),
        serde_json::Value::Number(number) => number.to_string(),
        _ => String::new(),
    };
    if (1..=wire::MAX_DISPLAY_CODE).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        Ok(code)
    } else {
        Err(Error::ServerReply(
            "the code to type on the login page is not a code".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_to_type_is_a_few_letters_or_digits() {
        assert_eq!(display_code(&serde_json::json!("42")).unwrap(), "42");
        assert_eq!(display_code(&serde_json::json!(7)).unwrap(), "7");
        for bad in [
            serde_json::json!(""),
            serde_json::json!("<b>42</b>"),
            serde_json::json!("4 2"),
            serde_json::json!("x".repeat(17)),
            serde_json::json!(null),
            serde_json::json!(["42"]),
        ] {
            assert_eq!(
                display_code(&bad).unwrap_err().code(),
                "server_reply",
                "{bad}"
            );
        }
    }

    #[test]
    fn a_client_that_cannot_be_built_is_not_a_network_error() {
        // rustls has no TLS version up to 1.1: reqwest cannot build such a client.
        let error = PushClient::with(|b| b.max_tls_version(reqwest::tls::Version::TLS_1_1))
            .err()
            .expect("no client");
        assert_eq!(error.code(), "http_client_unavailable");
    }

    #[test]
    fn a_rollout_never_prints_the_code_account_it_brought() {
        let server = SigningKey::generate(crate::push::MIN_KEY_BITS).unwrap();
        let rollout = Rollout {
            server_key: server.verifying_key(),
            fallback_totp: Some(zeroize::Zeroizing::new(
                "otpauth://totp/Corp:a?secret=JBSWY3DPEHPK3PXP".into(),
            )),
        };
        let shown = format!("{rollout:?}");
        assert!(
            !shown.contains("JBSWY3DPEHPK3PXP") && shown.contains("redacted"),
            "{shown}"
        );
    }
}
