//! Push tokens and login requests in the vault. Enrolling writes a `pending` row and the
//! phone's key before the rollout, and activates the row after it, so that a failed or
//! interrupted rollout leaves nothing behind once reconciled.

use std::sync::Arc;

use rusqlite::{OptionalExtension, params};
use url::Url;

use super::{AccountState, Vault};
use crate::error::{Error, Result};
use crate::push::{PushEnrollment, PushRequest, PushToken, SigningKey, VerifyingKey};

/// A push token as stored, with its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPushToken {
    pub id: String,
    pub token: PushToken,
}

/// What became of a login request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Pending,
    /// An answer is on its way; no second one may start.
    Sending,
    Accepted,
    Declined,
    Expired,
    /// The answer could not be delivered, or the server did not take it.
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pending => "pending",
            Outcome::Sending => "sending",
            Outcome::Accepted => "accepted",
            Outcome::Declined => "declined",
            Outcome::Expired => "expired",
            Outcome::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Outcome {
        match text {
            "sending" => Outcome::Sending,
            "accepted" => Outcome::Accepted,
            "declined" => Outcome::Declined,
            "expired" => Outcome::Expired,
            "failed" => Outcome::Failed,
            _ => Outcome::Pending,
        }
    }
}

/// One line of the request history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub token_id: String,
    pub serial: String,
    pub issuer: String,
    pub title: String,
    pub question: String,
    pub nonce: String,
    pub received_at: u64,
    pub outcome: Outcome,
    pub detail: String,
    pub answered_at: Option<u64>,
}

/// The keychain id of a push token's private key.
fn key_id(token_id: &str) -> String {
    format!("push-key:{token_id}")
}

impl Vault {
    /// First half of an enrollment: the token row, pending, and the phone's key.
    pub fn begin_push_enrollment(
        &mut self,
        enrollment: &PushEnrollment,
        key: &SigningKey,
        now: u64,
    ) -> Result<String> {
        let id = uuid::Uuid::new_v4().to_string();
        self.db.conn.execute(
            "INSERT INTO push_tokens (id, serial, label, issuer, url, verify_tls, server_key, state, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, 'pending', ?7)",
            params![
                id,
                enrollment.serial,
                enrollment.label,
                enrollment.issuer,
                enrollment.url.as_str(),
                enrollment.verify_tls,
                now as i64
            ],
        )?;
        if let Err(error) = self.secrets.put_bytes(&key_id(&id), &key.to_pkcs8()?) {
            let _ = self
                .db
                .conn
                .execute("DELETE FROM push_tokens WHERE id = ?1", params![id]);
            return Err(error);
        }
        Ok(id)
    }

    /// Second half, once the server took the rollout: the token becomes usable.
    pub fn finish_push_enrollment(
        &mut self,
        id: &str,
        server_key: &VerifyingKey,
    ) -> Result<StoredPushToken> {
        let changed = self.db.conn.execute(
            "UPDATE push_tokens SET server_key = ?2, state = 'active' WHERE id = ?1 AND state = 'pending'",
            params![id, server_key.to_base64()?],
        )?;
        if changed == 0 {
            return Err(Error::PushTokenNotFound(id.to_string()));
        }
        self.push_token(id)?
            .ok_or_else(|| Error::PushTokenNotFound(id.to_string()))
    }

    /// Undoes the first half after a failed rollout.
    pub fn abandon_push_enrollment(&mut self, id: &str) -> Result<()> {
        self.secrets.delete(&key_id(id))?;
        self.db.conn.execute(
            "DELETE FROM push_tokens WHERE id = ?1 AND state = 'pending'",
            params![id],
        )?;
        Ok(())
    }

    pub fn push_tokens(&self) -> Result<Vec<StoredPushToken>> {
        let mut statement = self.db.conn.prepare(
            "SELECT id, serial, label, issuer, url, verify_tls, server_key FROM push_tokens
             WHERE state = 'active' ORDER BY created_at, id",
        )?;
        let rows = statement.query_map([], read_token)?;
        let mut tokens = Vec::new();
        for row in rows {
            tokens.push(row??);
        }
        Ok(tokens)
    }

    pub fn push_token(&self, id: &str) -> Result<Option<StoredPushToken>> {
        self.db
            .conn
            .query_row(
                "SELECT id, serial, label, issuer, url, verify_tls, server_key FROM push_tokens
                 WHERE id = ?1 AND state = 'active'",
                params![id],
                read_token,
            )
            .optional()?
            .transpose()
    }

    /// Whether a token with this serial from this server is already enrolled.
    pub fn has_push_token(&self, serial: &str, url: &Url) -> Result<bool> {
        Ok(self
            .push_tokens()?
            .iter()
            .any(|t| t.token.serial == serial && &t.token.url == url))
    }

    /// The phone's key for a token, read from the keychain once per run.
    pub fn device_key(&mut self, id: &str) -> Result<Arc<SigningKey>> {
        if let Some(key) = self.device_keys.get(id) {
            return Ok(key.clone());
        }
        let key = Arc::new(SigningKey::from_pkcs8(
            &self.secrets.get_bytes(&key_id(id))?,
        )?);
        self.device_keys.insert(id.to_string(), key.clone());
        Ok(key)
    }

    /// Removes a token and its key, in the same crash-safe order as accounts.
    pub fn remove_push_token(&mut self, id: &str) -> Result<()> {
        let changed = self.db.conn.execute(
            "UPDATE push_tokens SET state = 'deleting' WHERE id = ?1 AND state = 'active'",
            params![id],
        )?;
        if changed == 0 {
            return Err(Error::PushTokenNotFound(id.to_string()));
        }
        if let Err(error) = self.secrets.delete(&key_id(id)) {
            self.db.conn.execute(
                "UPDATE push_tokens SET state = 'active' WHERE id = ?1",
                params![id],
            )?;
            return Err(error);
        }
        self.device_keys.remove(id);
        self.db
            .conn
            .execute("DELETE FROM push_tokens WHERE id = ?1", params![id])?;
        Ok(())
    }

    /// Finishes interrupted enrollments and removals; part of [`Vault::reconcile`].
    pub(super) fn reconcile_push_tokens(&mut self) -> Result<usize> {
        let mut statement = self
            .db
            .conn
            .prepare("SELECT id FROM push_tokens WHERE state != ?1")?;
        let ids: Vec<String> = statement
            .query_map(params![AccountState::Active.as_str()], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        drop(statement);
        for id in &ids {
            self.secrets.delete(&key_id(id))?;
            self.db
                .conn
                .execute("DELETE FROM push_tokens WHERE id = ?1", params![id])?;
        }
        Ok(ids.len())
    }

    /// Records a verified request; false when it was seen before (a duplicate poll result).
    pub fn record_request(
        &mut self,
        token: &StoredPushToken,
        request: &PushRequest,
    ) -> Result<bool> {
        let inserted = self.db.conn.execute(
            "INSERT OR IGNORE INTO push_requests
               (token_id, nonce, serial, issuer, title, question, presence_options,
                takes_decline_reason, received_at, expires_at, outcome)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'pending')",
            params![
                token.id,
                request.nonce,
                request.serial,
                token.token.issuer,
                request.title,
                request.question,
                request.presence_options.join(","),
                request.takes_decline_reason,
                request.received_at as i64,
                request.expires_at as i64
            ],
        )?;
        Ok(inserted == 1)
    }

    /// Claims a pending, unexpired request for answering: true for exactly one caller.
    pub fn claim_request(&mut self, token_id: &str, nonce: &str, now: u64) -> Result<bool> {
        let changed = self.db.conn.execute(
            "UPDATE push_requests SET outcome = 'sending'
             WHERE token_id = ?1 AND nonce = ?2 AND outcome = 'pending' AND expires_at > ?3",
            params![token_id, nonce, now as i64],
        )?;
        Ok(changed == 1)
    }

    /// The stored outcome of one request.
    pub fn request_outcome(&self, token_id: &str, nonce: &str) -> Result<Option<Outcome>> {
        Ok(self
            .db
            .conn
            .query_row(
                "SELECT outcome FROM push_requests WHERE token_id = ?1 AND nonce = ?2",
                params![token_id, nonce],
                |row| row.get::<_, String>(0),
            )
            .optional()?
            .map(|text| Outcome::parse(&text)))
    }

    /// Sets what became of a request that is pending or being answered; once.
    pub fn settle_request(
        &mut self,
        token_id: &str,
        nonce: &str,
        outcome: Outcome,
        detail: &str,
        now: u64,
    ) -> Result<bool> {
        let changed = self.db.conn.execute(
            "UPDATE push_requests SET outcome = ?3, detail = ?4, answered_at = ?5
             WHERE token_id = ?1 AND nonce = ?2 AND outcome IN ('pending', 'sending')",
            params![token_id, nonce, outcome.as_str(), detail, now as i64],
        )?;
        Ok(changed == 1)
    }

    /// Requests still waiting for an answer, oldest first, with their token ids.
    pub fn open_requests(&self, now: u64) -> Result<Vec<(String, PushRequest)>> {
        let mut statement = self.db.conn.prepare(&format!(
            "{SELECT_REQUEST} WHERE outcome = 'pending' AND expires_at > ?1 ORDER BY received_at"
        ))?;
        let rows = statement.query_map(params![now as i64], read_request)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Requests still waiting for an answer, oldest first, each with its token; those past
    /// their time are marked expired first.
    pub fn open_requests_with_tokens(
        &mut self,
        now: u64,
    ) -> Result<Vec<(StoredPushToken, PushRequest)>> {
        self.expire_requests(now)?;
        let tokens = self.push_tokens()?;
        Ok(self
            .open_requests(now)?
            .into_iter()
            .filter_map(|(token_id, request)| {
                let token = tokens.iter().find(|t| t.id == token_id)?;
                Some((token.clone(), request))
            })
            .collect())
    }

    /// A recorded request, whatever became of it.
    pub fn request(&self, token_id: &str, nonce: &str) -> Result<Option<PushRequest>> {
        Ok(self
            .db
            .conn
            .query_row(
                &format!("{SELECT_REQUEST} WHERE token_id = ?1 AND nonce = ?2"),
                params![token_id, nonce],
                read_request,
            )
            .optional()?
            .map(|(_, request)| request))
    }

    /// Marks pending requests past their expiry as expired; returns how many.
    pub fn expire_requests(&mut self, now: u64) -> Result<usize> {
        Ok(self.db.conn.execute(
            "UPDATE push_requests SET outcome = 'expired', answered_at = ?1
             WHERE outcome = 'pending' AND expires_at <= ?1",
            params![now as i64],
        )?)
    }

    /// The newest requests first.
    pub fn request_history(&self, limit: usize) -> Result<Vec<RequestRecord>> {
        let mut statement = self.db.conn.prepare(
            "SELECT token_id, serial, issuer, title, question, nonce, received_at, outcome, detail, answered_at
             FROM push_requests ORDER BY received_at DESC, rowid DESC LIMIT ?1",
        )?;
        let rows = statement.query_map(params![limit as i64], |row| {
            Ok(RequestRecord {
                token_id: row.get(0)?,
                serial: row.get(1)?,
                issuer: row.get(2)?,
                title: row.get(3)?,
                question: row.get(4)?,
                nonce: row.get(5)?,
                received_at: row.get::<_, i64>(6)? as u64,
                outcome: Outcome::parse(&row.get::<_, String>(7)?),
                detail: row.get(8)?,
                answered_at: row.get::<_, Option<i64>>(9)?.map(|t| t as u64),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

const SELECT_REQUEST: &str = "SELECT token_id, serial, nonce, title, question, presence_options,
    takes_decline_reason, received_at, expires_at FROM push_requests";

fn read_request(row: &rusqlite::Row<'_>) -> rusqlite::Result<(String, PushRequest)> {
    let options: String = row.get(5)?;
    Ok((
        row.get(0)?,
        PushRequest {
            serial: row.get(1)?,
            nonce: row.get(2)?,
            title: row.get(3)?,
            question: row.get(4)?,
            presence_options: options
                .split(',')
                .filter(|o| !o.is_empty())
                .map(str::to_string)
                .collect(),
            takes_decline_reason: row.get(6)?,
            received_at: row.get::<_, i64>(7)? as u64,
            expires_at: row.get::<_, i64>(8)? as u64,
        },
    ))
}

fn read_token(row: &rusqlite::Row<'_>) -> rusqlite::Result<Result<StoredPushToken>> {
    let id: String = row.get(0)?;
    let url: String = row.get(4)?;
    let server_key: Option<String> = row.get(6)?;
    let token = (|| {
        let url = Url::parse(&url).map_err(|_| Error::invalid("url", "stored URL is damaged"))?;
        let server_key = VerifyingKey::from_base64(&server_key.unwrap_or_default())?;
        Ok(PushToken {
            serial: row.get(1)?,
            label: row.get(2)?,
            issuer: row.get(3)?,
            url,
            verify_tls: row.get(5)?,
            server_key,
        })
    })();
    Ok(token.map(|token| StoredPushToken { id, token }))
}
