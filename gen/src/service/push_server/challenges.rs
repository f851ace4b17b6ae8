//! Polls and answers: challenges go out signed, answers come back verified and are taken once.

use std::time::Duration;

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
        self.verify_poll(serial, timestamp, signature)?;
        Ok(self
            .open_challenges(serial)?
            .into_iter()
            .map(|(c, _)| c)
            .collect())
    }

    /// A long poll: like `poll`, but with nothing open it waits up to `wait` for a request.
    pub async fn poll_waiting(
        &self,
        serial: &str,
        timestamp: &str,
        signature: &str,
        wait: Duration,
    ) -> Result<Vec<wire::Challenge>, ServiceError> {
        self.verify_poll(serial, timestamp, signature)?;
        let notify = self.waiter(serial);
        // Registered before looking, so a request raised in between still wakes us.
        let woken = notify.notified();
        tokio::pin!(woken);
        woken.as_mut().enable();
        let open = self.open_challenges(serial)?;
        if wait.is_zero() || open.iter().any(|(_, delivered)| !delivered) {
            return Ok(open.into_iter().map(|(c, _)| c).collect());
        }
        let open = tokio::select! {
            _ = woken => self.open_challenges(serial)?,
            _ = tokio::time::sleep(wait) => open,
        };
        Ok(open.into_iter().map(|(c, _)| c).collect())
    }

    fn verify_poll(
        &self,
        serial: &str,
        timestamp: &str,
        signature: &str,
    ) -> Result<(), ServiceError> {
        let signed = wire::poll_message(serial, timestamp);
        self.verify_timestamped(serial, timestamp, signature, &signed)
    }

    /// A request the phone signed with a timestamp (a poll, a registration update): the
    /// time within the allowed skew, the signature over `signed` the enrolled phone's.
    pub(super) fn verify_timestamped(
        &self,
        serial: &str,
        timestamp: &str,
        signature: &str,
        signed: &[&str],
    ) -> Result<(), ServiceError> {
        let time = pocket_core::clock::parse_iso8601(timestamp).ok_or(ServiceError::NotVerified)?;
        if (time - (self.clock)()).abs() > POLL_CLOCK_SKEW_SECONDS {
            return Err(ServiceError::NotVerified);
        }
        let phone = self.phone_key(serial)?.ok_or(ServiceError::NotVerified)?;
        if !phone.verify(signed, signature) {
            return Err(ServiceError::NotVerified);
        }
        Ok(())
    }

    /// The open challenges, signed, each with whether an earlier poll delivered it; all of
    /// them count as delivered from now on.
    fn open_challenges(&self, serial: &str) -> Result<Vec<(wire::Challenge, bool)>, ServiceError> {
        let db = self.db();
        let mut statement = db.prepare(
            "SELECT nonce, title, question, presence_options, delivered FROM challenges
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
                    r.get::<_, bool>(4)?,
                ))
            },
        )?;
        let open = rows.collect::<Result<Vec<_>, _>>()?;
        drop(statement);
        if open.iter().any(|row| !row.4) {
            db.execute(
                "UPDATE challenges SET delivered = 1 WHERE serial = ?1 AND answered_at IS NULL",
                params![serial],
            )?;
        }
        // Signing takes milliseconds: not under the database lock.
        drop(db);
        Ok(open
            .into_iter()
            .map(|(nonce, title, question, presence, delivered)| {
                let challenge = self.signed_challenge(serial, nonce, title, question, presence);
                (challenge, delivered)
            })
            .collect())
    }

    /// The signed challenge of an open request, as a wake-up message carries it.
    pub fn wake_up_message(&self, transaction_id: &str) -> Result<wire::Challenge, ServiceError> {
        let row: Option<(String, String, String, String, Option<String>)> = self
            .db()
            .query_row(
                "SELECT serial, nonce, title, question, presence_options FROM challenges
                 WHERE transaction_id = ?1 AND answered_at IS NULL",
                params![transaction_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let (serial, nonce, title, question, presence) = row.ok_or(ServiceError::UnknownRequest)?;
        Ok(self.signed_challenge(&serial, nonce, title, question, presence))
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
        let capabilities = serde_json::json!({ wire::DECLINE_REASON: true });
        let signed = wire::capabilities_message(&capabilities, &challenge.nonce);
        challenge.capabilities_signature = Some(self.key.sign(&[&signed]));
        challenge.capabilities = Some(capabilities);
        challenge
    }

    /// An answer: verified against the phone's key, within the window, taken once. Returns
    /// whether it was taken as an accept or a decline. A wrong number closes the request as
    /// rejected (one answer per request: a guesser gets one try) and counts towards the
    /// cool-down; privacyIDEA leaves it open instead.
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
        let text = wire::AnswerText::from_form(
            form.decline.as_deref(),
            form.decline_reason.as_deref(),
            form.presence_answer.as_deref(),
        );
        let accepted = match text {
            wire::AnswerText::Decline { .. } => false,
            wire::AnswerText::Presence(choice) => Some(choice) == presence_answer.as_deref(),
            // A plain accept where a number is required is not an accept.
            wire::AnswerText::Accept => presence_answer.is_none(),
        };
        let signed = text.signed(&form.nonce, &form.serial);
        if !phone.verify(&signed, &form.signature) {
            return Err(ServiceError::NotVerified);
        }
        let now = (self.clock)();
        let taken = db.execute(
            "UPDATE challenges SET answered_at = ?2, accepted = ?3 WHERE transaction_id = ?1 AND answered_at IS NULL",
            params![transaction_id, now, accepted],
        )?;
        if taken == 1 {
            PushServer::record_decision(&db, &form.serial, accepted, now)?;
        }
        // A wrong number is taken too, as a rejection, but the phone hears that it failed.
        Ok(taken == 1 && (accepted || form.decline.is_some()))
    }
}
