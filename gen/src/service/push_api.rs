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

/// Every field optional: which ones are present decides what the POST is. Its `Debug` shows
/// which fields came, never the credential or the signature.
#[derive(Default, Deserialize)]
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

impl std::fmt::Debug for PostForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let present = |field: &Option<String>| field.as_ref().map(|_| "<present>");
        f.debug_struct("PostForm")
            .field("serial", &self.serial)
            .field(
                "enrollment_credential",
                &present(&self.enrollment_credential),
            )
            .field("pubkey", &present(&self.pubkey))
            .field("fbtoken", &present(&self.fbtoken))
            .field("nonce", &self.nonce)
            .field("signature", &present(&self.signature))
            .field("decline", &self.decline)
            .field("decline_reason", &self.decline_reason)
            .field("presence_answer", &self.presence_answer)
            .finish()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rollout_form_never_prints_its_credential() {
        let form: PostForm = serde_urlencoded_form(
            "serial=PKT1&enrollment_credential=0c71de0c99&pubkey=MIIB&signature=ABCDEFGH",
        );
        let shown = format!("{form:?}");
        for secret in ["0c71de0c99", "MIIB", "ABCDEFGH"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("PKT1"), "{shown}");
    }

    fn serde_urlencoded_form(text: &str) -> PostForm {
        let pairs: std::collections::HashMap<String, String> =
            url::form_urlencoded::parse(text.as_bytes())
                .into_owned()
                .collect();
        serde_json::from_value(serde_json::to_value(pairs).unwrap()).unwrap()
    }
}
