//! FCM delivery (HTTP v1 API) for store builds: a high-priority data message carrying the
//! challenge's fields, which wakes the app's messaging service to verify it and show the
//! notification. The access token comes from the publisher's service account (an RS256
//! assertion exchanged at its token URI) and is kept until shortly before it expires.

use std::sync::Mutex;

use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::config::FcmConfig;
use crate::error::{RelayError, Result};
use crate::outcome::{Outcome, read_reply};

const SCOPE: &str = "https://www.googleapis.com/auth/firebase.messaging";
const ASSERTION_SECONDS: u64 = 3600;
/// An access token is renewed this long before Google says it expires.
const RENEW_EARLY_SECONDS: u64 = 300;

pub struct Fcm {
    config: FcmConfig,
    client: reqwest::Client,
    /// The access token and until when it may be used.
    access: Mutex<Option<(String, u64)>>,
}

#[derive(Deserialize)]
struct TokenReply {
    access_token: String,
    expires_in: u64,
}

impl Fcm {
    pub fn new(config: FcmConfig) -> Result<Fcm> {
        let client = crate::http::client_builder()
            .build()
            .map_err(|e| RelayError::ConfigInvalid(e.to_string()))?;
        Ok(Fcm {
            config,
            client,
            access: Mutex::new(None),
        })
    }

    fn kept_token(&self, now_unix: u64) -> Option<String> {
        let kept = self.access.lock().unwrap_or_else(|e| e.into_inner());
        kept.as_ref()
            .filter(|(_, until)| now_unix < *until)
            .map(|(token, _)| token.clone())
    }

    async fn access_token(&self, now_unix: u64) -> Result<String, Outcome> {
        if let Some(token) = self.kept_token(now_unix) {
            return Ok(token);
        }
        let assertion = crate::jwt::rs256(
            &json!({"alg": "RS256", "typ": "JWT"}),
            &json!({
                "iss": self.config.client_email,
                "scope": SCOPE,
                "aud": self.config.token_uri.as_str(),
                "iat": now_unix,
                "exp": now_unix + ASSERTION_SECONDS,
            }),
            &self.config.key,
        )
        .map_err(|e| Outcome::Failed(e.to_string()))?;
        let reply = self
            .client
            .post(self.config.token_uri.clone())
            .form(&[
                ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ("assertion", &assertion),
            ])
            .send()
            .await
            .map_err(|e| Outcome::from_error(&e))?;
        if !reply.status().is_success() {
            return Err(match read_reply(reply, &[]).await {
                Outcome::Retry { after, why } => Outcome::Retry { after, why },
                other => Outcome::Failed(format!(
                    "the service account was refused a token: {}",
                    match other {
                        Outcome::Failed(why) | Outcome::Gone(why) => why,
                        _ => String::new(),
                    }
                )),
            });
        }
        let token: TokenReply = reply
            .json()
            .await
            .map_err(|e| Outcome::Failed(RelayError::ServiceReply(e.to_string()).to_string()))?;
        let until = now_unix + token.expires_in.saturating_sub(RENEW_EARLY_SECONDS);
        *self.access.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((token.access_token.clone(), until));
        Ok(token.access_token)
    }

    /// The request body: FCM's data values are strings, so other values go as JSON text.
    pub fn body(registration_token: &str, message: &Value) -> Value {
        let data: Map<String, Value> = message
            .as_object()
            .into_iter()
            .flatten()
            .map(|(key, value)| {
                let text = match value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                (key.clone(), Value::String(text))
            })
            .collect();
        json!({
            "message": {
                "token": registration_token,
                "data": data,
                "android": {"priority": "HIGH", "ttl": format!("{}s", crate::webpush::TTL_SECONDS)},
            }
        })
    }

    /// One attempt to hand `message` to FCM for `registration_token`.
    pub async fn send(&self, registration_token: &str, message: &Value, now_unix: u64) -> Outcome {
        let access = match self.access_token(now_unix).await {
            Ok(token) => token,
            Err(outcome) => return outcome,
        };
        let url = match self.config.api_url.join(&format!(
            "v1/projects/{}/messages:send",
            self.config.project_id
        )) {
            Ok(url) => url,
            Err(error) => return Outcome::Failed(error.to_string()),
        };
        let sent = self
            .client
            .post(url)
            .bearer_auth(access)
            .json(&Fcm::body(registration_token, message))
            .send()
            .await;
        match sent {
            Ok(reply) if reply.status() == reqwest::StatusCode::UNAUTHORIZED => {
                *self.access.lock().unwrap_or_else(|e| e.into_inner()) = None;
                Outcome::Retry {
                    after: None,
                    why: "401 the access token was refused".into(),
                }
            }
            Ok(reply) => read_reply(reply, &["UNREGISTERED"]).await,
            Err(error) => Outcome::from_error(&error),
        }
    }
}
