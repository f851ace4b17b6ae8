//! Web Push delivery (RFC 8030) as UnifiedPush servers take it: the message encrypted to the
//! phone (RFC 8291, pocket-core), signed for the push service with VAPID (RFC 8292).

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use url::Url;

use crate::config::WebPushConfig;
use crate::error::{RelayError, Result};
use crate::outcome::{Outcome, read_reply};

/// How long a push service keeps a message for a phone that is offline: about as long as
/// privacyIDEA keeps the challenge (120 s by default).
pub const TTL_SECONDS: u64 = 120;
/// VAPID tokens may live up to a day (RFC 8292 section 2); half of it leaves room for skew.
const VAPID_LIFETIME_SECONDS: u64 = 12 * 3600;

pub struct WebPush {
    config: WebPushConfig,
    client: reqwest::Client,
}

impl WebPush {
    pub fn new(config: WebPushConfig) -> Result<WebPush> {
        let mut builder = crate::http::client_builder();
        if !config.allow_private_endpoints {
            builder = builder.dns_resolver(Arc::new(crate::guard::PublicOnly));
        }
        let client = builder
            .build()
            .map_err(|e| RelayError::ConfigInvalid(e.to_string()))?;
        Ok(WebPush { config, client })
    }

    /// The application server key phones and distributors may ask for (`k=` in every request).
    pub fn public_key(&self) -> String {
        let point = self
            .config
            .vapid_key
            .verifying_key()
            .to_encoded_point(false);
        URL_SAFE_NO_PAD.encode(point.as_bytes())
    }

    /// The `Authorization` header for a request to `endpoint`'s push service.
    pub fn authorization(&self, endpoint: &Url, now_unix: u64) -> String {
        let claims = json!({
            "aud": endpoint.origin().ascii_serialization(),
            "exp": now_unix + VAPID_LIFETIME_SECONDS,
            "sub": self.config.subject,
        });
        let token = crate::jwt::es256(
            &json!({"typ": "JWT", "alg": "ES256"}),
            &claims,
            &self.config.vapid_key,
        );
        format!("vapid t={token}, k={}", self.public_key())
    }

    /// One attempt to hand `message` to the push service at `endpoint`.
    pub async fn send(
        &self,
        endpoint: &Url,
        p256dh: &[u8],
        auth: &[u8],
        message: &[u8],
        now_unix: u64,
    ) -> Outcome {
        if !self.config.allow_private_endpoints
            && let Err(error) = crate::guard::check_endpoint(endpoint)
        {
            return Outcome::Failed(error.to_string());
        }
        let body = match pocket_core::push::webpush::encrypt(p256dh, auth, message) {
            Ok(body) => body,
            Err(error) => return Outcome::Failed(error.to_string()),
        };
        let sent = self
            .client
            .post(endpoint.clone())
            .header("TTL", TTL_SECONDS.to_string())
            .header("Urgency", "high")
            .header("Content-Encoding", "aes128gcm")
            .header("Content-Type", "application/octet-stream")
            .header("Authorization", self.authorization(endpoint, now_unix))
            .body(body)
            .send()
            .await;
        match sent {
            Ok(reply) => read_reply(reply, &[]).await,
            Err(error) => Outcome::from_error(&error),
        }
    }
}
