//! The SQL of push tokens and login requests.

use rusqlite::{OptionalExtension, params};
use url::Url;

use super::Db;
use crate::error::{Error, Result};
use crate::push::{PushEnrollment, PushRequest, PushToken, VerifyingKey};
use crate::vault::account::AccountState;
use crate::vault::push::{Outcome, RequestRecord, StoredPushToken};

const SELECT_TOKEN: &str =
    "SELECT id, serial, label, issuer, url, verify_tls, server_key, unlock_demand FROM push_tokens";

const SELECT_REQUEST: &str = "SELECT token_id, serial, nonce, title, question, presence_options,
    takes_decline_reason, received_at, expires_at FROM push_requests";

impl Db {
    pub fn insert_pending_token(
        &self,
        id: &str,
        enrollment: &PushEnrollment,
        now: u64,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO push_tokens (id, serial, label, issuer, url, verify_tls, server_key, state, created_at, unlock_demand)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, 'pending', ?7, ?8)",
            params![
                id,
                enrollment.serial,
                enrollment.label,
                enrollment.issuer,
                enrollment.url.as_str(),
                enrollment.verify_tls,
                now as i64,
                enrollment.unlock.map_or("", |d| d.as_str()),
            ],
        )?;
        Ok(())
    }

    /// A pending token becomes active with the server's key; false when there was none.
    pub fn activate_token(&self, id: &str, server_key: &VerifyingKey) -> Result<bool> {
        let changed = self.conn.execute(
            "UPDATE push_tokens SET server_key = ?2, state = 'active' WHERE id = ?1 AND state = 'pending'",
            params![id, server_key.to_base64()?],
        )?;
        Ok(changed == 1)
    }

    pub fn delete_pending_token(&self, id: &str) -> Result<()> {
        self.conn.execute(
            "DELETE FROM push_tokens WHERE id = ?1 AND state = 'pending'",
            params![id],
        )?;
        Ok(())
    }

    pub fn active_tokens(&self) -> Result<Vec<StoredPushToken>> {
        let mut statement = self.conn.prepare(&format!(
            "{SELECT_TOKEN} WHERE state = 'active' ORDER BY created_at, id"
        ))?;
        let rows = statement.query_map([], read_token)?;
        let mut tokens = Vec::new();
        for row in rows {
            tokens.push(row??);
        }
        Ok(tokens)
    }

    pub fn active_token(&self, id: &str) -> Result<Option<StoredPushToken>> {
        self.conn
            .query_row(
                &format!("{SELECT_TOKEN} WHERE id = ?1 AND state = 'active'"),
                params![id],
                read_token,
            )
            .optional()?
            .transpose()
    }

    /// Moves an active token to `state` (deleting, or back to active); false when none was.
    pub fn set_token_state(&self, id: &str, from: AccountState, to: AccountState) -> Result<bool> {
        let changed = self.conn.execute(
            "UPDATE push_tokens SET state = ?3 WHERE id = ?1 AND state = ?2",
            params![id, from.as_str(), to.as_str()],
        )?;
        Ok(changed == 1)
    }

    pub fn delete_token(&self, id: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM push_tokens WHERE id = ?1", params![id])?;
        Ok(())
    }

    /// Tokens a crash left pending or half-deleted.
    pub fn unfinished_token_ids(&self) -> Result<Vec<String>> {
        let mut statement = self
            .conn
            .prepare("SELECT id FROM push_tokens WHERE state != ?1")?;
        let ids = statement
            .query_map(params![AccountState::Active.as_str()], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// Records a verified request; false when it was seen before.
    pub fn insert_request(&self, token: &StoredPushToken, request: &PushRequest) -> Result<bool> {
        let inserted = self.conn.execute(
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

    /// Marks a pending, unexpired request as being answered: true for exactly one caller.
    pub fn claim_request(&self, token_id: &str, nonce: &str, now: u64) -> Result<bool> {
        let changed = self.conn.execute(
            "UPDATE push_requests SET outcome = 'sending'
             WHERE token_id = ?1 AND nonce = ?2 AND outcome = 'pending' AND expires_at > ?3",
            params![token_id, nonce, now as i64],
        )?;
        Ok(changed == 1)
    }

    pub fn request_outcome(&self, token_id: &str, nonce: &str) -> Result<Option<Outcome>> {
        Ok(self
            .conn
            .query_row(
                "SELECT outcome FROM push_requests WHERE token_id = ?1 AND nonce = ?2",
                params![token_id, nonce],
                |row| row.get::<_, String>(0),
            )
            .optional()?
            .map(|text| Outcome::parse(&text)))
    }

    /// Sets the outcome of a request that is pending or being answered; once.
    pub fn settle_request(
        &self,
        token_id: &str,
        nonce: &str,
        outcome: Outcome,
        detail: &str,
        now: u64,
    ) -> Result<bool> {
        let changed = self.conn.execute(
            "UPDATE push_requests SET outcome = ?3, detail = ?4, answered_at = ?5
             WHERE token_id = ?1 AND nonce = ?2 AND outcome IN ('pending', 'sending')",
            params![token_id, nonce, outcome.as_str(), detail, now as i64],
        )?;
        Ok(changed == 1)
    }

    pub fn open_requests(&self, now: u64) -> Result<Vec<(String, PushRequest)>> {
        let mut statement = self.conn.prepare(&format!(
            "{SELECT_REQUEST} WHERE outcome = 'pending' AND expires_at > ?1 ORDER BY received_at"
        ))?;
        let rows = statement.query_map(params![now as i64], read_request)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn request(&self, token_id: &str, nonce: &str) -> Result<Option<PushRequest>> {
        Ok(self
            .conn
            .query_row(
                &format!("{SELECT_REQUEST} WHERE token_id = ?1 AND nonce = ?2"),
                params![token_id, nonce],
                read_request,
            )
            .optional()?
            .map(|(_, request)| request))
    }

    pub fn expire_requests(&self, now: u64) -> Result<usize> {
        Ok(self.conn.execute(
            "UPDATE push_requests SET outcome = 'expired', answered_at = ?1
             WHERE outcome = 'pending' AND expires_at <= ?1",
            params![now as i64],
        )?)
    }

    pub fn request_history(&self, limit: usize) -> Result<Vec<RequestRecord>> {
        let mut statement = self.conn.prepare(
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

/// Rows are checked like input: a damaged URL or key is an error, not a panic.
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
            unlock: crate::push::UnlockDemand::from_stored(&row.get::<_, String>(7)?),
        })
    })();
    Ok(token.map(|token| StoredPushToken { id, token }))
}
