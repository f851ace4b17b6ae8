//! Push tokens and login requests in the vault. Enrolling writes a `pending` row and the
//! phone's key before the rollout, and activates the row after it, so that a failed or
//! interrupted rollout leaves nothing behind once reconciled.

use std::sync::Arc;

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

    pub(super) fn parse(text: &str) -> Outcome {
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
        self.db.insert_pending_token(&id, enrollment, now)?;
        if let Err(error) = self.secrets.put_bytes(&key_id(&id), &key.to_pkcs8()?) {
            let _ = self.db.delete_pending_token(&id);
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
        if !self.db.activate_token(id, server_key)? {
            return Err(Error::PushTokenNotFound(id.to_string()));
        }
        self.push_token(id)?
            .ok_or_else(|| Error::PushTokenNotFound(id.to_string()))
    }

    /// Undoes the first half after a failed rollout.
    pub fn abandon_push_enrollment(&mut self, id: &str) -> Result<()> {
        self.secrets.delete(&key_id(id))?;
        self.db.delete_pending_token(id)
    }

    pub fn push_tokens(&self) -> Result<Vec<StoredPushToken>> {
        self.db.active_tokens()
    }

    pub fn push_token(&self, id: &str) -> Result<Option<StoredPushToken>> {
        self.db.active_token(id)
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
        self.refuse_if_managed(&crate::container::Held::Push(id.to_string()))?;
        self.remove_push_token_row(id)
    }

    pub(super) fn remove_push_token_row(&mut self, id: &str) -> Result<()> {
        if !self
            .db
            .set_token_state(id, AccountState::Active, AccountState::Deleting)?
        {
            return Err(Error::PushTokenNotFound(id.to_string()));
        }
        if let Err(error) = self.secrets.delete(&key_id(id)) {
            self.db
                .set_token_state(id, AccountState::Deleting, AccountState::Active)?;
            return Err(error);
        }
        self.device_keys.remove(id);
        self.db.delete_token(id)
    }

    /// Deletes a token already marked as deleting (by a sync); reconciliation finishes it if
    /// this fails.
    pub(super) fn finish_push_removal(&mut self, id: &str) -> Result<()> {
        self.secrets.delete(&key_id(id))?;
        self.device_keys.remove(id);
        self.db.delete_token(id)
    }

    /// Finishes interrupted enrollments and removals; part of [`Vault::reconcile`].
    pub(super) fn reconcile_push_tokens(&mut self) -> Result<usize> {
        let ids = self.db.unfinished_token_ids()?;
        for id in &ids {
            self.secrets.delete(&key_id(id))?;
            self.db.delete_token(id)?;
        }
        Ok(ids.len())
    }

    /// Records a verified request; false when it was seen before (a duplicate poll result).
    pub fn record_request(
        &mut self,
        token: &StoredPushToken,
        request: &PushRequest,
    ) -> Result<bool> {
        self.db.insert_request(token, request)
    }

    /// Claims a pending, unexpired request for answering: true for exactly one caller.
    pub fn claim_request(&mut self, token_id: &str, nonce: &str, now: u64) -> Result<bool> {
        self.db.claim_request(token_id, nonce, now)
    }

    /// The stored outcome of one request.
    pub fn request_outcome(&self, token_id: &str, nonce: &str) -> Result<Option<Outcome>> {
        self.db.request_outcome(token_id, nonce)
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
        self.db
            .settle_request(token_id, nonce, outcome, detail, now)
    }

    /// Requests still waiting for an answer, oldest first, with their token ids.
    pub fn open_requests(&self, now: u64) -> Result<Vec<(String, PushRequest)>> {
        self.db.open_requests(now)
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
        self.db.request(token_id, nonce)
    }

    /// Marks pending requests past their expiry as expired; returns how many.
    pub fn expire_requests(&mut self, now: u64) -> Result<usize> {
        self.db.expire_requests(now)
    }

    /// The newest requests first.
    pub fn request_history(&self, limit: usize) -> Result<Vec<RequestRecord>> {
        self.db.request_history(limit)
    }
}
