//! The HTTP face of the push server: `POST /ttype/push` (rollout or answer), `GET /ttype/push`
//! (poll), answering in privacyIDEA's JSON envelope.

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::{Form, Query, State};
use pocket_core::push::wire;
use serde::Deserialize;
use serde_json::{Value, json};

use super::Service;
use super::error::ServiceError;
use super::push_server::{AnswerForm, LONG_POLL_MAX_SECONDS};

/// Every field optional: which ones are present decides what the POST is.
#[derive(Debug, Default, Deserialize)]
pub struct PostForm {
    serial: Option<String>,
    enrollment_credential: Option<String>,
    pubkey: Option<String>,
    fbtoken: Option<String>,
    nonce: Option<String>,
    signature: Option<String>,
    decline: Option<String>,
    decline_reason: Option<String>,
    presence_answer: Option<String>,
}

pub async fn post(
    State(service): State<Arc<Service>>,
    Form(form): Form<PostForm>,
) -> Result<Json<Value>, ServiceError> {
    let serial = form.serial.ok_or(ServiceError::Missing("serial"))?;
    if let (Some(credential), Some(pubkey)) = (&form.enrollment_credential, &form.pubkey) {
        // Poll-only: a real Firebase token would be kept for wake-ups; we have none to send.
        let _ = form.fbtoken;
        let (server_key, totp) = service.push.rollout(&serial, credential, pubkey)?;
        // The user is switched now, whether or not the security page is still open.
        service.users.finish_pairing_of(&serial)?;
        let detail = json!({"public_key": server_key, wire::FALLBACK_TOTP: totp});
        return Ok(Json(
            json!({"result": {"status": true, "value": true}, "detail": detail}),
        ));
    }
    let answer = AnswerForm {
        serial,
        nonce: form.nonce.ok_or(ServiceError::Missing("nonce"))?,
        signature: form.signature.ok_or(ServiceError::Missing("signature"))?,
        decline: form.decline,
        decline_reason: form.decline_reason,
        presence_answer: form.presence_answer,
    };
    let taken = service.push.answer(&answer)?;
    Ok(Json(json!({"result": {"status": true, "value": taken}})))
}

#[derive(Debug, Deserialize)]
pub struct PollQuery {
    serial: Option<String>,
    timestamp: Option<String>,
    signature: Option<String>,
    /// Instant delivery (`wire::LONG_POLL_WAIT`): seconds to wait for a request.
    pocket_wait: Option<String>,
}

pub async fn poll(
    State(service): State<Arc<Service>>,
    Query(query): Query<PollQuery>,
) -> Result<Json<Value>, ServiceError> {
    let (Some(serial), Some(timestamp), Some(signature)) =
        (query.serial, query.timestamp, query.signature)
    else {
        return Err(ServiceError::NotVerified);
    };
    let push = &service.push;
    let wait = match query.pocket_wait.as_deref() {
        Some(_) if !push.long_poll => 0,
        Some(text) => text
            .parse::<u64>()
            .map_err(|_| ServiceError::Invalid(wire::LONG_POLL_WAIT))?
            .min(LONG_POLL_MAX_SECONDS),
        None => 0,
    };
    let challenges = push
        .poll_waiting(&serial, &timestamp, &signature, Duration::from_secs(wait))
        .await?;
    let mut reply = json!({"result": {"status": true, "value": challenges}});
    if push.long_poll {
        reply["detail"] = json!({ wire::LONG_POLL: LONG_POLL_MAX_SECONDS });
    }
    Ok(Json(reply))
}
