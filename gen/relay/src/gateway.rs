//! What privacyIDEA's HTTP gateway posts to, and what operators look at: `POST /gateway`
//! (the registration and the challenge), `GET /health`, `GET /metrics`. Built as
//! `fn app(state) -> Router` so tests call it without a socket.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use pocket_core::push::{WakeChannel, wire};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::deliver::Deliverer;
use crate::metrics::Metrics;
use crate::outcome::Outcome;

/// The header privacyIDEA's gateway is configured to send (`header.X-Pocket-Relay-Secret`).
pub const SECRET_HEADER: &str = "x-pocket-relay-secret";
/// A registration and a challenge are a few kilobytes.
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// privacyIDEA waits 3 s for its gateway by default: the answer comes before that, with the
/// first attempt's outcome where it is known by then.
pub const FIRST_ANSWER: Duration = Duration::from_millis(2000);
/// Deliveries under way at once; past this the relay answers 503 instead of queueing.
pub const MAX_IN_FLIGHT: usize = 1024;
/// Deliveries under way at once to one push service: one that never answers cannot take the
/// slots every other phone needs.
pub const MAX_IN_FLIGHT_PER_HOST: usize = 64;
/// From the first byte of a request to its answer.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Relay {
    pub deliverer: Deliverer,
    pub metrics: Metrics,
    /// SHA-256 of the gateway secret: compared in constant time whatever its length.
    secret_digest: Zeroizing<[u8; 32]>,
    in_flight: Arc<tokio::sync::Semaphore>,
    per_host: Arc<std::sync::Mutex<std::collections::HashMap<String, usize>>>,
}

/// A delivery's place in the per-host count, given back when it ends.
struct HostSlot {
    host: String,
    counts: Arc<std::sync::Mutex<std::collections::HashMap<String, usize>>>,
}

impl Drop for HostSlot {
    fn drop(&mut self) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = counts.get_mut(&self.host) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.host);
            }
        }
    }
}

impl Relay {
    pub fn new(deliverer: Deliverer, gateway_secret: &str) -> Relay {
        Relay {
            deliverer,
            metrics: Metrics::default(),
            secret_digest: Zeroizing::new(Sha256::digest(gateway_secret.as_bytes()).into()),
            in_flight: Arc::new(tokio::sync::Semaphore::new(MAX_IN_FLIGHT)),
            per_host: Default::default(),
        }
    }

    fn host_slot(&self, channel: &WakeChannel) -> Option<HostSlot> {
        let host = match channel {
            WakeChannel::WebPush { endpoint, .. } => endpoint.host_str().unwrap_or("").to_string(),
            other => other.kind().to_string(),
        };
        let mut counts = self.per_host.lock().unwrap_or_else(|e| e.into_inner());
        let count = counts.entry(host.clone()).or_default();
        if *count >= MAX_IN_FLIGHT_PER_HOST {
            return None;
        }
        *count += 1;
        Some(HostSlot {
            host,
            counts: self.per_host.clone(),
        })
    }

    fn authorized(&self, headers: &HeaderMap) -> bool {
        let given = headers
            .get(SECRET_HEADER)
            .map(|value| value.as_bytes())
            .unwrap_or_default();
        let digest: [u8; 32] = Sha256::digest(given).into();
        digest.ct_eq(&*self.secret_digest).into()
    }
}

pub fn app(relay: Arc<Relay>) -> Router {
    Router::new()
        .route("/gateway", post(gateway))
        .route("/health", get(health))
        .route("/metrics", get(metrics))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .with_state(relay)
}

/// The gateway's JSON body: privacyIDEA puts the token's `firebase_token` where the gateway
/// options say `{phone}` and the challenge object where they say `{message}`.
#[derive(Deserialize)]
struct GatewayPost {
    registration: String,
    message: Value,
}

fn answer(status: StatusCode, result: &str, reason: Option<String>) -> Response {
    let mut body = json!({"result": result});
    if let Some(reason) = reason {
        body["reason"] = reason.into();
    }
    (status, axum::Json(body)).into_response()
}

async fn gateway(
    State(relay): State<Arc<Relay>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if !relay.authorized(&headers) {
        relay.metrics.count_request("unauthorized");
        log::warn!("a gateway request without the right secret was refused");
        return answer(StatusCode::UNAUTHORIZED, "unauthorized", None);
    }
    let (registration, channel, message) = match read_post(&body) {
        Ok(read) => read,
        Err(reason) => {
            relay.metrics.count_request("bad_request");
            log::warn!("a gateway request was refused: {reason}");
            return answer(StatusCode::BAD_REQUEST, "bad_request", Some(reason));
        }
    };
    if channel == WakeChannel::PollOnly {
        // privacyIDEA's own text for a phone that is only polled; anything else (another app's
        // Firebase token) is a phone this relay cannot reach, and privacyIDEA should know.
        if registration == wire::NO_FIREBASE_TOKEN {
            relay.metrics.count_request("poll_only");
            return answer(StatusCode::OK, "poll_only", None);
        }
        relay.metrics.count_request("unsupported");
        return answer(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unsupported",
            Some("the registration is not one this relay can deliver to".into()),
        );
    }
    if let Err(error) = relay.deliverer.supports(&channel) {
        relay.metrics.count_request("unsupported");
        return answer(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unsupported",
            Some(error.to_string()),
        );
    }
    let (Ok(permit), Some(host_slot)) = (
        relay.in_flight.clone().try_acquire_owned(),
        relay.host_slot(&channel),
    ) else {
        relay.metrics.count_request("busy");
        return answer(StatusCode::SERVICE_UNAVAILABLE, "busy", None);
    };
    relay.metrics.count_request("accepted");
    let (first_tx, first_rx) = tokio::sync::oneshot::channel();
    let delivering = relay.clone();
    tokio::spawn(async move {
        let outcome = delivering
            .deliverer
            .deliver(&channel, &message, Some(first_tx))
            .await;
        delivering
            .metrics
            .count_delivery(channel.kind(), outcome.label());
        match &outcome {
            Outcome::Delivered => log::info!("{} delivery: delivered", channel.kind()),
            Outcome::Gone(why) => log::warn!(
                "{} delivery: the registration is gone ({why}){}",
                channel.kind(),
                endpoint_host(&channel)
            ),
            Outcome::Failed(why) | Outcome::Retry { why, .. } => {
                log::warn!(
                    "{} delivery failed: {why}{}",
                    channel.kind(),
                    endpoint_host(&channel)
                )
            }
        }
        drop((permit, host_slot));
    });
    match tokio::time::timeout(FIRST_ANSWER, first_rx).await {
        Ok(Ok(Outcome::Delivered)) => answer(StatusCode::OK, "delivered", None),
        Ok(Ok(Outcome::Gone(why))) => answer(StatusCode::GONE, "gone", Some(why)),
        Ok(Ok(Outcome::Failed(why))) => answer(StatusCode::BAD_GATEWAY, "failed", Some(why)),
        // Still trying: the answer cannot wait for the retries.
        _ => answer(StatusCode::ACCEPTED, "retrying", None),
    }
}

/// The registration and the challenge object. privacyIDEA sends the object itself; a
/// gateway configured to send it as text is read too.
fn read_post(body: &[u8]) -> Result<(String, WakeChannel, Value), String> {
    let post: GatewayPost = serde_json::from_slice(body)
        .map_err(|e| format!("the body is not the gateway's JSON: {e}"))?;
    let channel = WakeChannel::parse(&post.registration).map_err(|e| e.to_string())?;
    let message = match post.message {
        Value::String(text) => serde_json::from_str(&text)
            .map_err(|_| "the message is not a JSON object".to_string())?,
        other => other,
    };
    // The phone checks everything; the relay only refuses what cannot be a challenge.
    let has = |field: &str| message.get(field).is_some_and(Value::is_string);
    if !message.is_object() || !["nonce", "serial", "signature"].into_iter().all(has) {
        return Err("the message is not a push challenge".into());
    }
    Ok((post.registration, channel, message))
}

/// Where a Web Push endpoint is, for the log; never its path, which identifies the phone.
fn endpoint_host(channel: &WakeChannel) -> String {
    match channel {
        WakeChannel::WebPush { endpoint, .. } => {
            format!(" at {}", endpoint.host_str().unwrap_or_default())
        }
        _ => String::new(),
    }
}

async fn health(State(relay): State<Arc<Relay>>) -> Response {
    (
        StatusCode::OK,
        axum::Json(json!({"status": "ok", "channels": relay.deliverer.channels()})),
    )
        .into_response()
}

async fn metrics(State(relay): State<Arc<Relay>>) -> Response {
    (
        [("content-type", "text/plain; version=0.0.4")],
        relay.metrics.render(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_push_service_cannot_take_every_delivery_slot() {
        let relay = Relay::new(
            Deliverer {
                webpush: None,
                apns: None,
                fcm: None,
            },
            "a gateway secret of forty characters, ok",
        );
        let slow = WakeChannel::WebPush {
            endpoint: url::Url::parse("https://slow.example/up").unwrap(),
            p256dh: vec![4; 65],
            auth: vec![0; 16],
        };
        let other = WakeChannel::WebPush {
            endpoint: url::Url::parse("https://ntfy.example/up").unwrap(),
            p256dh: vec![4; 65],
            auth: vec![0; 16],
        };
        let mut held: Vec<HostSlot> = (0..MAX_IN_FLIGHT_PER_HOST)
            .map(|_| relay.host_slot(&slow).expect("a slot"))
            .collect();
        assert!(relay.host_slot(&slow).is_none(), "the slow service is full");
        assert!(relay.host_slot(&other).is_some(), "others still get theirs");
        held.pop();
        assert!(
            relay.host_slot(&slow).is_some(),
            "a finished delivery frees its slot"
        );
    }
}
