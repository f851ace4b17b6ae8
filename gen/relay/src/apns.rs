//! APNs delivery: HTTP/2 with a provider token (ES256, the publisher's `.p8` key), as an
//! alert the system shows even when Pocket is not running. The alert's title and question
//! are privacyIDEA's notification text; the challenge itself rides beside them (`pocket`),
//! for the app to verify before it offers an answer.

use std::sync::Mutex;

use serde_json::{Value, json};

use crate::config::ApnsConfig;
use crate::error::{RelayError, Result};
use crate::outcome::{Outcome, read_reply};

/// Apple refuses tokens older than an hour and ones renewed more often than every 20 minutes.
const PROVIDER_TOKEN_SECONDS: u64 = 40 * 60;
/// APNs takes at most this much payload.
const MAX_PAYLOAD_BYTES: usize = 4096;
/// The notification category the app registers with its Accept and Reject actions.
pub const CATEGORY: &str = "POCKET_LOGIN_REQUEST";

pub struct Apns {
    config: ApnsConfig,
    client: reqwest::Client,
    /// The provider token and when it was made.
    token: Mutex<Option<(String, u64)>>,
}

impl Apns {
    pub fn new(config: ApnsConfig) -> Result<Apns> {
        let mut builder = crate::http::client_builder();
        // Apple's servers negotiate HTTP/2 over TLS; a stand-in on plain HTTP speaks it
        // from the first byte.
        if config.production_url.scheme() == "http" || config.development_url.scheme() == "http" {
            builder = builder.http2_prior_knowledge();
        }
        let client = builder
            .build()
            .map_err(|e| RelayError::ConfigInvalid(e.to_string()))?;
        Ok(Apns {
            config,
            client,
            token: Mutex::new(None),
        })
    }

    fn provider_token(&self, now_unix: u64) -> String {
        let mut kept = self.token.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((token, made)) = kept.as_ref()
            && now_unix < made + PROVIDER_TOKEN_SECONDS
        {
            return token.clone();
        }
        let token = crate::jwt::es256(
            &json!({"alg": "ES256", "kid": self.config.key_id}),
            &json!({"iss": self.config.team_id, "iat": now_unix}),
            &self.config.key,
        );
        *kept = Some((token.clone(), now_unix));
        token
    }

    /// The payload: the alert, and the challenge beside it.
    pub fn payload(message: &Value) -> Value {
        let text = |field: &str| message.get(field).and_then(Value::as_str).unwrap_or("");
        json!({
            "aps": {
                "alert": {"title": text("title"), "body": text("question")},
                "sound": "default",
                "category": CATEGORY,
                "interruption-level": "time-sensitive",
            },
            "pocket": message,
        })
    }

    /// One attempt to hand `message` to APNs for `device_token`.
    pub async fn send(
        &self,
        device_token: &str,
        development: bool,
        message: &Value,
        now_unix: u64,
    ) -> Outcome {
        let body = Apns::payload(message).to_string();
        if body.len() > MAX_PAYLOAD_BYTES {
            return Outcome::Failed("the message is larger than APNs takes".into());
        }
        let base = if development {
            &self.config.development_url
        } else {
            &self.config.production_url
        };
        let url = match base.join(&format!("3/device/{device_token}")) {
            Ok(url) => url,
            Err(error) => return Outcome::Failed(error.to_string()),
        };
        let sent = self
            .client
            .post(url)
            .header(
                "authorization",
                format!("bearer {}", self.provider_token(now_unix)),
            )
            .header("apns-topic", &self.config.topic)
            .header("apns-push-type", "alert")
            .header("apns-priority", "10")
            .header(
                "apns-expiration",
                (now_unix + crate::webpush::TTL_SECONDS).to_string(),
            )
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await;
        match sent {
            Ok(reply) => {
                let outcome = read_reply(reply, &["BadDeviceToken", "Unregistered"]).await;
                if let Outcome::Failed(why) = &outcome
                    && why.contains("ExpiredProviderToken")
                {
                    // Apple's clock says the token is old: a new one on the next try.
                    *self.token.lock().unwrap_or_else(|e| e.into_inner()) = None;
                    return Outcome::Retry {
                        after: None,
                        why: why.clone(),
                    };
                }
                outcome
            }
            Err(error) => Outcome::from_error(&error),
        }
    }
}
