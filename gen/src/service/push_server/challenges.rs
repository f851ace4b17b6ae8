//! Polls and answers: challenges go out signed, answers come back verified and are taken once.

use pocket_core::push::wire;
use rusqlite::{OptionalExtension, params};

use super::{ANSWER_WINDOW_SECONDS, AnswerForm, POLL_CLOCK_SKEW_SECONDS, PushServer};
use crate::service::error::ServiceError;

impl PushServer {
    /// The open challenges of a token, signed, for a poll whose own signature checks out.
    pub fn poll(
        &self,
        serial: &str,
        timestamp: &str,
        signature: &str,
    ) -> Result<Vec<wire::Challenge>, ServiceError> {
        let time = wire::parse_iso8601(timestamp).ok_or(ServiceError::NotVerified)?;
        if (time - (self.clock)()).abs() > POLL_CLOCK_SKEW_SECONDS {
            return Err(ServiceError::NotVerified);
        }
        let phone = self.phone_key(serial)?.ok_or(ServiceError::NotVerified)?;
        if !phone.verify(&[serial, timestamp], signature) {
            return Err(ServiceError::NotVerified);
        }
        let db = self.db();
        let mut statement = db.prepare(
            "SELECT nonce, title, question, presence_options FROM challenges
             WHERE serial = ?1 AND answered_at IS NULL AND created_at > ?2 ORDER BY created_at",
        )?;
        let rows = statement.query_map(
            params![serial, (self.clock)() - ANSWER_WINDOW_SECONDS],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            },
        )?;
        let mut challenges = Vec::new();
        for row in rows {
            let (nonce, title, question, presence) = row?;
            challenges.push(self.signed_challenge(serial, nonce, title, question, presence));
        }
        Ok(challenges)
    }

    fn signed_challenge(
        &self,
        serial: &str,
        nonce: String,
        title: String,
        question: String,
        presence: Option<String>,
    ) -> wire::Challenge {
        let mut challenge = wire::Challenge {
            nonce,
            url: self.url.to_string(),
            serial: serial.to_string(),
            question,
            title,
            sslverify: "1".into(),
            signature: String::new(),
            version: presence.as_ref().map(|_| "2".to_string()),
            require_presence: presence,
            capabilities: None,
            capabilities_signature: None,
        };
        challenge.signature = self.key.sign(&wire::challenge_message(&challenge));
        let capabilities = serde_json::json!({ "decline_reason": true });
        let signed = wire::canonical_json(
            &serde_json::json!({ "capabilities": capabilities, "nonce": challenge.nonce }),
        );
        challenge.capabilities_signature = Some(self.key.sign(&[&signed]));
        challenge.capabilities = Some(capabilities);
        challenge
    }

    /// An answer: verified against the phone's key, within the window, taken once. Returns
    /// whether it was taken. A wrong number leaves the request open, as privacyIDEA does.
    pub fn answer(&self, form: &AnswerForm) -> Result<bool, ServiceError> {
        let phone = self
            .phone_key(&form.serial)?
            .ok_or(ServiceError::NotVerified)?;
        let db = self.db();
        let row: Option<(String, Option<String>, i64)> = db
            .query_row(
                "SELECT transaction_id, presence_answer, created_at FROM challenges
                 WHERE serial = ?1 AND nonce = ?2 AND answered_at IS NULL",
                params![form.serial, form.nonce],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((transaction_id, presence_answer, created_at)) = row else {
            return Ok(false);
        };
        if (self.clock)() - created_at >= ANSWER_WINDOW_SECONDS {
            return Ok(false);
        }
        let (signed, accepted): (Vec<&str>, bool) = match (&form.decline, &form.presence_answer) {
            (Some(_), _) => {
                let mut parts = vec![form.nonce.as_str(), &form.serial, "decline"];
                parts.extend(form.decline_reason.as_deref());
                (parts, false)
            }
            (None, Some(choice)) => (
                vec![&form.nonce, &form.serial, choice],
                Some(choice) == presence_answer.as_ref(),
            ),
            // A plain accept where a number is required is not an accept.
            (None, None) => (vec![&form.nonce, &form.serial], presence_answer.is_none()),
        };
        if !phone.verify(&signed, &form.signature) {
            return Err(ServiceError::NotVerified);
        }
        if form.decline.is_none() && !accepted {
            return Ok(false);
        }
        let taken = db.execute(
            "UPDATE challenges SET answered_at = ?2, accepted = ?3 WHERE transaction_id = ?1 AND answered_at IS NULL",
            params![transaction_id, (self.clock)(), accepted],
        )?;
        Ok(taken == 1)
    }
}
