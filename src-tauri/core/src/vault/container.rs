//! Containers in the vault. Registering writes a `pending` row and the phone's key before the
//! server is asked, like a push enrollment. A sync's changes are applied in one transaction:
//! new secrets go to the keychain under pending rows first, then one transaction makes them
//! active and marks what goes as deleting, then those are deleted. A crash at any point
//! leaves what reconciliation finishes: never an account without its secret.

use std::sync::Arc;

use super::Vault;
use crate::container::{
    AccountSerial, ContainerKey, ContainerLink, ContainerServer, Held, Member, SyncPlan, tokentype,
    wire::ContainerPolicies,
};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerState {
    Pending,
    Registered,
    /// Another phone registered the container since: this one's key is no longer accepted.
    Moved,
    /// The server no longer has the container registered.
    Unregistered,
}

impl ContainerState {
    pub fn as_str(self) -> &'static str {
        match self {
            ContainerState::Pending => "pending",
            ContainerState::Registered => "registered",
            ContainerState::Moved => "moved",
            ContainerState::Unregistered => "unregistered",
        }
    }

    pub(super) fn parse(text: &str) -> Option<ContainerState> {
        [
            ContainerState::Pending,
            ContainerState::Registered,
            ContainerState::Moved,
            ContainerState::Unregistered,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// A container as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredContainer {
    pub id: String,
    pub serial: String,
    pub issuer: String,
    pub server: url::Url,
    pub verify_tls: bool,
    pub state: ContainerState,
    pub policies: ContainerPolicies,
    pub last_sync_at: Option<u64>,
    /// The kind of the last sync's failure; empty after a good one.
    pub last_error: String,
}

impl StoredContainer {
    pub fn server(&self) -> ContainerServer {
        ContainerServer {
            serial: self.serial.clone(),
            server: self.server.clone(),
            verify_tls: self.verify_tls,
        }
    }
}

/// What a sync changed, as the vault writes it.
#[derive(Debug, Default)]
pub struct SyncChanges {
    /// New accounts.
    pub activated: Vec<AccountSerial>,
    pub joined: Vec<AccountSerial>,
    pub counters: Vec<(String, u64)>,
    pub removed: Vec<Held>,
    /// The user's own accounts the server let go of: they leave the container and stay.
    pub released: Vec<Held>,
    /// The server's policies, as JSON.
    pub policies: String,
}

/// What applying a sync's code accounts did; push tokens follow with their rollouts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub added: usize,
    pub removed: usize,
    pub joined: usize,
}

fn key_id(container_id: &str) -> String {
    format!("container-key:{container_id}")
}

impl Vault {
    /// First half of a registration: the container row, pending, with the accounts the
    /// user chose to offer its server (see [`Vault::offerable_accounts`]), and the phone's key.
    pub fn begin_container(
        &mut self,
        link: &ContainerLink,
        key: &ContainerKey,
        offer: &[String],
        now: u64,
    ) -> Result<String> {
        let offer = self.checked_offer(&link.issuer, offer)?;
        let id = uuid::Uuid::new_v4().to_string();
        self.db.insert_pending_container(&id, link, &offer, now)?;
        if let Err(error) = self.secrets.put_bytes(&key_id(&id), &key.to_pkcs8()?) {
            let _ = self.db.delete_container(&id);
            return Err(error);
        }
        Ok(id)
    }

    /// Second half, once the server took the registration.
    pub fn finish_container(
        &mut self,
        id: &str,
        policies: &ContainerPolicies,
    ) -> Result<StoredContainer> {
        let policies = serde_json::to_string(policies).map_err(|e| Error::Crypto(e.to_string()))?;
        if !self.db.register_container(id, &policies)? {
            return Err(Error::ContainerNotFound(id.to_string()));
        }
        self.container(id)
    }

    /// Undoes the first half after a refused registration.
    pub fn abandon_container(&mut self, id: &str) -> Result<()> {
        self.secrets.delete(&key_id(id))?;
        self.db.delete_container(id)
    }

    /// Registrations a crash interrupted; part of [`Vault::reconcile`].
    pub(super) fn reconcile_containers(&mut self) -> Result<usize> {
        let ids = self.db.pending_container_ids()?;
        for id in &ids {
            self.abandon_container(id)?;
        }
        Ok(ids.len())
    }

    pub fn containers(&self) -> Result<Vec<StoredContainer>> {
        self.db.containers()
    }

    pub fn container(&self, id: &str) -> Result<StoredContainer> {
        self.db
            .container(id)?
            .ok_or_else(|| Error::ContainerNotFound(id.to_string()))
    }

    /// Whether this container, from this server, is registered here already.
    pub fn has_container(&self, link: &ContainerLink) -> Result<bool> {
        Ok(self.containers()?.iter().any(|c| {
            c.serial == link.serial
                && c.server == link.server
                && c.state == ContainerState::Registered
        }))
    }

    pub fn container_key(&self, id: &str) -> Result<Arc<ContainerKey>> {
        Ok(Arc::new(ContainerKey::from_pkcs8(
            &self.secrets.get_bytes(&key_id(id))?,
        )?))
    }

    pub fn members(&self, container_id: &str) -> Result<Vec<Member>> {
        self.db.members(container_id)
    }

    /// The container managing an account or push token, if any.
    pub fn managing_container(&self, held: &Held) -> Result<Option<StoredContainer>> {
        match self.db.container_of(held)? {
            Some(id) => self.db.container(&id),
            None => Ok(None),
        }
    }

    /// Applies a sync's code-account changes (push tokens need their rollouts and follow):
    /// all of them, or none.
    pub fn apply_sync(
        &mut self,
        container_id: &str,
        plan: &SyncPlan,
        policies: &ContainerPolicies,
        now: u64,
    ) -> Result<Applied> {
        // New secrets under pending rows first; on a failure, what was written goes again.
        let mut written: Vec<(String, crate::otp::SecretKey)> = Vec::new();
        let mut activated = Vec::new();
        let undo = |vault: &mut Vault, written: &[(String, crate::otp::SecretKey)]| {
            for (id, _) in written {
                let _ = vault.secrets.delete(id);
                let _ = vault.db.delete(id);
            }
        };
        for (serial, draft) in &plan.add_accounts {
            let account = super::Account {
                id: uuid::Uuid::new_v4().to_string(),
                issuer: draft.issuer.clone(),
                name: draft.name.clone(),
                params: draft.params,
            };
            let kind = tokentype(&account.params.kind).unwrap_or("totp");
            if let Err(error) = self.db.insert_pending(&account, now) {
                undo(self, &written);
                return Err(error);
            }
            if let Err(error) = self.secrets.put(&account.id, &draft.secret) {
                let _ = self.db.delete(&account.id);
                undo(self, &written);
                return Err(error);
            }
            written.push((account.id.clone(), draft.secret.clone()));
            activated.push(AccountSerial {
                account_id: account.id,
                serial: serial.clone(),
                tokentype: kind.to_string(),
            });
        }
        // Old tokens whose serials came with new secrets go, except push tokens: those are
        // replaced only once their new rollout worked.
        let mut removed = plan.removed.clone();
        removed.extend(
            plan.replaced
                .iter()
                .filter(|held| matches!(held, Held::Account(_)))
                .cloned(),
        );
        let changes = SyncChanges {
            activated,
            joined: plan.joined.clone(),
            counters: plan.counters.clone(),
            removed,
            released: plan.released.clone(),
            policies: serde_json::to_string(policies).unwrap_or_else(|_| "{}".into()),
        };
        if let Err(error) = self.db.apply_sync(container_id, &changes, now) {
            undo(self, &written);
            return Err(error);
        }
        for (id, secret) in written {
            self.cache.insert(id, secret);
        }
        let mut removed_count = 0;
        for held in &changes.removed {
            if self.finish_removal(held).is_ok() {
                removed_count += 1;
            }
        }
        self.changed();
        Ok(Applied {
            added: changes.activated.len(),
            removed: removed_count,
            joined: changes.joined.len(),
        })
    }

    /// Deletes a token a sync marked as deleting; reconciliation finishes it if this fails.
    fn finish_removal(&mut self, held: &Held) -> Result<()> {
        match held {
            Held::Account(id) => {
                self.secrets.delete(id)?;
                self.cache.remove(id);
                self.db.delete(id)
            }
            Held::Push(id) => self.finish_push_removal(id),
        }
    }

    /// Refuses to delete a token whose container's server forbids the phone to delete tokens.
    pub(super) fn refuse_if_managed(&self, held: &Held) -> Result<()> {
        let Some(container) = self.managing_container(held)? else {
            return Ok(());
        };
        // An account of the user's own that joined stays the user's to delete.
        let joined = self
            .members(&container.id)?
            .iter()
            .any(|m| &m.held == held && m.joined);
        if container.state == ContainerState::Registered
            && container.policies.disable_client_token_deletion
            && !joined
        {
            return Err(Error::ManagedByServer("delete this token"));
        }
        Ok(())
    }

    /// Removes a push token a newer rollout of the same serial replaced.
    pub fn retire_push_token(&mut self, id: &str) -> Result<()> {
        self.remove_push_token_row(id)
    }

    /// Second half of a push enrollment that came by sync: the token becomes usable and
    /// joins its container in the same step, so a failed rollout leaves the container as it
    /// was.
    pub fn finish_container_push_enrollment(
        &mut self,
        id: &str,
        server_key: &crate::push::VerifyingKey,
        container_id: &str,
        serial: &str,
    ) -> Result<crate::vault::StoredPushToken> {
        if !self
            .db
            .activate_member_token(id, server_key, container_id, serial)?
        {
            return Err(Error::PushTokenNotFound(id.to_string()));
        }
        self.push_token(id)?
            .ok_or_else(|| Error::PushTokenNotFound(id.to_string()))
    }

    pub fn set_container_state(
        &mut self,
        id: &str,
        state: ContainerState,
        error: &str,
    ) -> Result<()> {
        self.db.set_container_state(id, state, error)
    }

    /// Notes why the last sync failed (an error kind), for the list.
    pub fn set_container_error(&mut self, id: &str, error: &str) -> Result<()> {
        self.db.set_container_error(id, error)
    }

    /// Removes a container from the phone: its key, and with `with_tokens` every token the
    /// server gave it (after it moved away, say); otherwise those stay as the phone's own.
    /// The user's own accounts that joined it always stay.
    pub fn remove_container(&mut self, id: &str, with_tokens: bool) -> Result<()> {
        self.container(id)?;
        if with_tokens {
            for member in self.members(id)? {
                match member.held {
                    held if member.joined => self.db.release_member(&held)?,
                    Held::Account(account) => self.remove_account(&account)?,
                    Held::Push(token) => self.remove_push_token_row(&token)?,
                }
            }
        }
        self.secrets.delete(&key_id(id))?;
        self.db.delete_container(id)?;
        self.changed();
        Ok(())
    }
}

#[cfg(test)]
#[path = "container_tests.rs"]
mod tests;
