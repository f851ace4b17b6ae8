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
use pocket_core::push::WakeChannel;
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

pub struct Relay {
    pub deliverer: Deliverer,
    pub metrics: Metrics,
    /// SHA-256 of the gateway secret: compared in constant time whatever its length.
    secret_digest: Zeroizing<[u8; 32]>,
    in_flight: Arc<tokio::sync::Semaphore>,
}

impl Relay {
    pub fn new(deliverer: Deliverer, gateway_secret: &str) -> Relay {
        Relay {
            deliverer,
            metrics: Metrics::default(),
            secret_digest: Zeroizing::new(Sha256::digest(gateway_secret.as_bytes()).into()),
            in_flight: Arc::new(tokio::sync::Semaphore::new(MAX_IN_FLIGHT)),
        }
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
    let (channel, message) = match read_post(&body) {
        Ok(read) => read,
        Err(reason) => {
            relay.metrics.count_request("bad_request");
            log::warn!("a gateway request was refused: {reason}");
            return answer(StatusCode::BAD_REQUEST, "bad_request", Some(reason));
        }
    };
    if channel == WakeChannel::PollOnly {
        relay.metrics.count_request("poll_only");
        return answer(StatusCode::OK, "poll_only", None);
    }
    if let Err(error) = relay.deliverer.supports(&channel) {
        relay.metrics.count_request("unsupported");
        return answer(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unsupported",
            Some(error.to_string()),
        );
    }
    let Ok(permit) = relay.in_flight.clone().try_acquire_owned() else {
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
        drop(permit);
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
fn read_post(body: &[u8]) -> Result<(WakeChannel, Value), String> {
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
    Ok((channel, message))
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
