//! The HTTP face of the push server: `POST /ttype/push` (rollout or answer), `GET /ttype/push`
//! (poll), answering in privacyIDEA's JSON envelope.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::{Form, Query, State};
use pocket_core::push::wire;
use serde_json::{Value, json};

use super::LoginService;
use super::error::ServiceError;
use super::push_server::{AnswerForm, LONG_POLL_MAX_SECONDS};

/// Every field optional: which ones are present decides what the POST is. Its `Debug` shows
/// which fields came, never the credential or the signature. Read by the protocol's own names
/// (`wire`), which the phone sends by.
#[derive(Default)]
pub struct PostForm {
    serial: Option<String>,
    enrollment_credential: Option<String>,
    pubkey: Option<String>,
    fbtoken: Option<String>,
    new_fbtoken: Option<String>,
    timestamp: Option<String>,
    nonce: Option<String>,
    signature: Option<String>,
    decline: Option<String>,
    decline_reason: Option<String>,
    presence_answer: Option<String>,
}

impl PostForm {
    fn read(mut fields: HashMap<String, String>) -> PostForm {
        let mut take = |name: &str| fields.remove(name);
        PostForm {
            serial: take(wire::SERIAL),
            enrollment_credential: take(wire::ENROLLMENT_CREDENTIAL),
            pubkey: take(wire::PUBLIC_KEY),
            fbtoken: take(wire::FIREBASE_TOKEN),
            new_fbtoken: take(wire::NEW_FIREBASE_TOKEN),
            timestamp: take(wire::TIMESTAMP),
            nonce: take(wire::NONCE),
            signature: take(wire::SIGNATURE),
            decline: take(wire::DECLINE),
            decline_reason: take(wire::DECLINE_REASON),
            presence_answer: take(wire::PRESENCE_ANSWER),
        }
    }
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
            .field("new_fbtoken", &present(&self.new_fbtoken))
            .field("timestamp", &self.timestamp)
            .field("nonce", &self.nonce)
            .field("signature", &present(&self.signature))
            .field("decline", &self.decline)
            .field("decline_reason", &self.decline_reason)
            .field("presence_answer", &self.presence_answer)
            .finish()
    }
}

pub async fn post(
    State(service): State<Arc<LoginService>>,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Json<Value>, ServiceError> {
    let form = PostForm::read(fields);
    let serial = form.serial.ok_or(ServiceError::Missing("serial"))?;
    if let (Some(credential), Some(pubkey)) = (&form.enrollment_credential, &form.pubkey) {
        let (server_key, totp) =
            service
                .push
                .rollout(&serial, credential, pubkey, form.fbtoken.as_deref())?;
        // The user is switched now, whether or not the security page is still open.
        service.users.finish_pairing_of(&serial)?;
        let detail = json!({wire::SERVER_PUBLIC_KEY: server_key, wire::FALLBACK_TOTP: totp});
        return Ok(Json(json!(wire::Envelope::ok(true, Some(detail)))));
    }
    if let Some(registration) = &form.new_fbtoken {
        let (Some(timestamp), Some(signature)) = (&form.timestamp, &form.signature) else {
            return Err(ServiceError::NotVerified);
        };
        service
            .push
            .update_registration(&serial, registration, timestamp, signature)?;
        return Ok(Json(json!(wire::Envelope::ok(true, None))));
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
    Ok(Json(json!(wire::Envelope::ok(taken, None))))
}

pub async fn poll(
    State(service): State<Arc<LoginService>>,
    Query(mut query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ServiceError> {
    let (Some(serial), Some(timestamp), Some(signature)) = (
        query.remove(wire::SERIAL),
        query.remove(wire::TIMESTAMP),
        query.remove(wire::SIGNATURE),
    ) else {
        return Err(ServiceError::NotVerified);
    };
    let push = &service.push;
    // Instant delivery: seconds to wait for a request.
    let wait = match query.get(wire::LONG_POLL_WAIT).map(String::as_str) {
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
    let detail = push
        .long_poll
        .then(|| json!({ wire::LONG_POLL: LONG_POLL_MAX_SECONDS }));
    Ok(Json(json!(wire::Envelope::ok(challenges, detail))))
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
        PostForm::read(
            url::form_urlencoded::parse(text.as_bytes())
                .into_owned()
                .collect(),
        )
    }
}
