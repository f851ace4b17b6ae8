//! What one attempt to hand a message to a push service came to, read from its answer the
//! same way for every service.

use std::time::Duration;

use reqwest::StatusCode;

use crate::error::RelayError;

/// The longest a push service's `Retry-After` is waited for; a login request lasts minutes.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    /// The registration no longer reaches a phone (404/410): the app was removed, or the
    /// distributor dropped it. The phone registers again when it next runs.
    Gone(String),
    /// Worth another try (429, 5xx, no connection), after `after` where the service said.
    Retry {
        after: Option<Duration>,
        why: String,
    },
    /// Refused for good.
    Failed(String),
}

impl Outcome {
    /// The outcome's name in metrics and answers.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Delivered => "delivered",
            Outcome::Gone(_) => "gone",
            Outcome::Retry { .. } => "retry",
            Outcome::Failed(_) => "failed",
        }
    }

    /// From a push service's status; `gone` are the statuses that mean "no such phone" for
    /// this service, `reason` what its body said.
    pub fn from_status(
        status: StatusCode,
        retry_after: Option<&reqwest::header::HeaderValue>,
        reason: String,
    ) -> Outcome {
        let why = format!("{} {reason}", status.as_u16()).trim().to_string();
        if status.is_success() {
            Outcome::Delivered
        } else if status == StatusCode::NOT_FOUND || status == StatusCode::GONE {
            Outcome::Gone(why)
        } else if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            Outcome::Retry {
                after: retry_after.and_then(parse_retry_after),
                why,
            }
        } else {
            Outcome::Failed(why)
        }
    }

    /// A request that got no answer.
    pub fn from_error(error: &reqwest::Error) -> Outcome {
        // The chain's last cause says what happened (refused, a private address, TLS).
        let mut cause: &dyn std::error::Error = error;
        while let Some(inner) = cause.source() {
            if let Some(refusal @ RelayError::PrivateEndpoint) = inner.downcast_ref::<RelayError>()
            {
                // The resolver found only addresses inside: trying again finds the same.
                return Outcome::Failed(refusal.to_string());
            }
            cause = inner;
        }
        let why = if error.is_timeout() {
            "the push service did not answer in time".to_string()
        } else {
            format!("the push service cannot be reached: {cause}")
        };
        if error.is_builder() {
            Outcome::Failed(why)
        } else {
            Outcome::Retry { after: None, why }
        }
    }
}

/// `Retry-After` in seconds (the date form is rare among push services and read as none).
fn parse_retry_after(value: &reqwest::header::HeaderValue) -> Option<Duration> {
    let seconds: u64 = value.to_str().ok()?.trim().parse().ok()?;
    Some(Duration::from_secs(seconds).min(MAX_RETRY_AFTER))
}

/// How much of a push service's error body is read: enough for its reason, bounded against a
/// hostile endpoint that streams without end.
const MAX_REASON_BYTES: usize = 4096;

/// The outcome of a push service's reply; `gone_when` turns service-specific refusals (APNs'
/// `BadDeviceToken`) into `Gone`.
pub async fn read_reply(mut reply: reqwest::Response, gone_when: &[&str]) -> Outcome {
    let status = reply.status();
    let retry_after = reply.headers().get("retry-after").cloned();
    if status.is_success() {
        return Outcome::Delivered;
    }
    let mut body = Vec::new();
    while body.len() < MAX_REASON_BYTES {
        match reply.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    body.truncate(MAX_REASON_BYTES);
    let reason = reason_from_body(&String::from_utf8_lossy(&body));
    if gone_when.iter().any(|word| reason.contains(word)) {
        return Outcome::Gone(format!("{} {reason}", status.as_u16()));
    }
    Outcome::from_status(status, retry_after.as_ref(), reason)
}

/// A push service's error body, cut short for the log: its first line, printable only.
fn reason_from_body(body: &str) -> String {
    body.chars()
        .take(200)
        .take_while(|c| *c != '\n')
        .filter(|c| !c.is_control())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn statuses_read_the_same_for_every_service() {
        let read = |status: u16, after: Option<&str>| {
            let after = after.map(|a| HeaderValue::from_str(a).unwrap());
            Outcome::from_status(
                StatusCode::from_u16(status).unwrap(),
                after.as_ref(),
                String::new(),
            )
        };
        assert_eq!(read(201, None), Outcome::Delivered);
        assert_eq!(read(410, None), Outcome::Gone("410".into()));
        assert_eq!(read(404, None), Outcome::Gone("404".into()));
        assert_eq!(
            read(429, Some("3")),
            Outcome::Retry {
                after: Some(Duration::from_secs(3)),
                why: "429".into()
            }
        );
        assert_eq!(
            read(503, Some("86400")),
            Outcome::Retry {
                after: Some(MAX_RETRY_AFTER),
                why: "503".into()
            }
        );
        assert_eq!(
            read(500, Some("Wed, 21 Oct 2015 07:28:00 GMT")),
            Outcome::Retry {
                after: None,
                why: "500".into()
            }
        );
        assert_eq!(read(400, None), Outcome::Failed("400".into()));
        assert_eq!(read(413, None), Outcome::Failed("413".into()));
        assert_eq!(
            reason_from_body("BadDeviceToken\nmore\u{7}"),
            "BadDeviceToken"
        );
    }
}
