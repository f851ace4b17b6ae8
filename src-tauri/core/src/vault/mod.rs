//! The vault: accounts' metadata in SQLite, their secrets in the keychain, kept consistent.
//!
//! Adding writes a `pending` row, then the secret, then marks the row `active`. Removing marks
//! the row `deleting`, deletes the secret, then the row. A crash at any instant therefore leaves
//! either a complete account or a row that [`Vault::reconcile`] finishes at the next start —
//! never a secret that no row points to, nor an active account without its secret.

mod account;
mod container;
mod container_offer;
mod db;
mod editing;
mod file_store;
mod icons;
mod items;
mod keychain;
mod push;
mod read_ahead;
mod secret_store;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

pub use account::{Account, AccountState};
pub use container::{Applied, ContainerState, StoredContainer, SyncChanges};
pub use container_offer::OfferableAccount;
pub use editing::ImportSummary;
pub use file_store::FileStore;
pub use icons::ListedIcon;
pub use keychain::{APP_SERVICE, KeychainStore, use_platform_keychain};
pub use push::{Outcome, RequestRecord, StoredPushToken};
pub use read_ahead::{FIRST_ROWS, read_ahead};
pub use secret_store::{MemoryStore, SecretStore};

use crate::error::{Error, Result};
use crate::otp::{AccountDraft, Code, SecretKey, current_code};
use db::Db;

/// The keychain item of the backup password.
const BACKUP_PASSWORD: &str = "backup-password";

/// The vault as the app and the flows share it. Its lock is never held across a network call
/// or a key derivation.
pub type SharedVault = Arc<Mutex<Vault>>;

/// The vault behind `shared`, also after a panic elsewhere left the lock poisoned: every
/// write is a transaction or crash-safe on its own, so what is stored is consistent.
pub fn exclusive(shared: &Mutex<Vault>) -> MutexGuard<'_, Vault> {
    shared
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub struct Vault {
    db: Db,
    secrets: Arc<dyn SecretStore>,
    /// Secrets read once per run: keychain round trips take tens of milliseconds.
    cache: HashMap<String, SecretKey>,
    /// Push tokens' private keys, likewise.
    device_keys: HashMap<String, std::sync::Arc<crate::push::SigningKey>>,
    /// Told after every change to the accounts (automatic backups listen).
    on_change: Option<Box<dyn Fn() + Send>>,
}

/// The keychain of a vault opened for reading only: there is none.
struct NoSecrets;

impl SecretStore for NoSecrets {
    fn put(&self, _: &str, _: &crate::otp::SecretKey) -> Result<()> {
        Err(no_keychain())
    }
    fn get(&self, _: &str) -> Result<crate::otp::SecretKey> {
        Err(no_keychain())
    }
    fn put_bytes(&self, _: &str, _: &[u8]) -> Result<()> {
        Err(no_keychain())
    }
    fn get_bytes(&self, _: &str) -> Result<zeroize::Zeroizing<Vec<u8>>> {
        Err(no_keychain())
    }
    fn delete(&self, _: &str) -> Result<()> {
        Err(no_keychain())
    }
}

fn no_keychain() -> Error {
    Error::KeychainUnavailable("the vault is open for reading only".into())
}

/// What start-up reconciliation did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ReconcileReport {
    pub unfinished_adds_undone: usize,
    pub unfinished_removals_completed: usize,
    pub unfinished_push_tokens_cleared: usize,
    pub unfinished_registrations_cleared: usize,
}

impl Vault {
    pub fn open(db_path: &Path, secrets: Box<dyn SecretStore>) -> Result<Vault> {
        Ok(Vault {
            db: Db::open(db_path)?,
            secrets: Arc::from(secrets),
            cache: HashMap::new(),
            device_keys: HashMap::new(),
            on_change: None,
        })
    }

    /// The vault's database for reading only, without the keychain: what a phone's background
    /// service may look at (push tokens, their servers' public keys, past requests).
    pub fn open_read_only(db_path: &Path) -> Result<Vault> {
        Ok(Vault {
            db: Db::open_read_only(db_path)?,
            secrets: Arc::new(NoSecrets),
            cache: HashMap::new(),
            device_keys: HashMap::new(),
            on_change: None,
        })
    }

    /// Finishes what a crash interrupted. Safe to run again after a failure (a locked keychain).
    pub fn reconcile(&mut self) -> Result<ReconcileReport> {
        let mut report = ReconcileReport::default();
        for account in self.db.list(AccountState::Pending)? {
            // The secret may or may not have been written before the crash.
            self.secrets.delete(&account.id)?;
            self.db.delete(&account.id)?;
            report.unfinished_adds_undone += 1;
        }
        for account in self.db.list(AccountState::Deleting)? {
            self.secrets.delete(&account.id)?;
            self.db.delete(&account.id)?;
            report.unfinished_removals_completed += 1;
        }
        report.unfinished_push_tokens_cleared = self.reconcile_push_tokens()?;
        report.unfinished_registrations_cleared = self.reconcile_containers()?;
        Ok(report)
    }

    pub fn accounts(&self) -> Result<Vec<Account>> {
        self.db.list(AccountState::Active)
    }

    pub fn add(&mut self, draft: AccountDraft, now_unix: u64) -> Result<Account> {
        if self.contains(&draft)? {
            return Err(Error::DuplicateAccount);
        }
        let account = Account {
            id: uuid::Uuid::new_v4().to_string(),
            issuer: draft.issuer,
            name: draft.name,
            params: draft.params,
        };
        self.db.insert_pending(&account, now_unix)?;
        let stored = match &draft.icon {
            Some(icon) => self.db.set_icon(&account.id, icon),
            None => Ok(()),
        };
        if let Err(error) = stored.and_then(|()| self.secrets.put(&account.id, &draft.secret)) {
            // Nothing reached the keychain worth keeping; if this cleanup fails too,
            // reconcile removes the pending row at the next start.
            let _ = self.db.delete(&account.id);
            return Err(error);
        }
        self.db.set_state(&account.id, AccountState::Active)?;
        self.cache.insert(account.id.clone(), draft.secret);
        self.changed();
        Ok(account)
    }

    /// Removes an account at the user's request; an account a container manages only where
    /// the server's policy lets the phone delete it.
    pub fn remove(&mut self, id: &str) -> Result<()> {
        self.refuse_if_managed(&crate::container::Held::Account(id.to_string()))?;
        self.remove_account(id)
    }

    pub(super) fn remove_account(&mut self, id: &str) -> Result<()> {
        match self.db.get(id)? {
            Some((_, AccountState::Active)) => {}
            _ => return Err(Error::AccountNotFound(id.to_string())),
        }
        self.db.set_state(id, AccountState::Deleting)?;
        if let Err(error) = self.secrets.delete(id) {
            // The user keeps the account when the keychain refuses (locked, say).
            self.db.set_state(id, AccountState::Active)?;
            return Err(error);
        }
        self.cache.remove(id);
        self.db.delete(id)?;
        self.changed();
        Ok(())
    }

    /// `listener` is called after every change to the accounts (adds, removals, new names,
    /// order, HOTP counters).
    pub fn on_accounts_changed(&mut self, listener: impl Fn() + Send + 'static) {
        self.on_change = Some(Box::new(listener));
    }

    pub(super) fn changed(&self) {
        if let Some(listener) = &self.on_change {
            listener();
        }
    }

    /// A setting's value, as stored.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.db.setting(key)
    }

    /// Stores a setting; `None` removes it.
    pub fn set_setting(&mut self, key: &str, value: Option<&str>) -> Result<()> {
        self.db.set_setting(key, value)
    }

    /// Keeps the newest clock measurement of each source, for the next start.
    pub fn save_clock_samples(&mut self, samples: &[crate::clock::ClockSample]) -> Result<()> {
        samples
            .iter()
            .try_for_each(|sample| self.db.save_clock_sample(sample))
    }

    pub fn clock_samples(&self) -> Result<Vec<crate::clock::ClockSample>> {
        self.db.clock_samples()
    }

    /// The password automatic backups are encrypted with, kept in the keychain.
    pub fn backup_password(&self) -> Result<zeroize::Zeroizing<String>> {
        match self.secrets.get_bytes(BACKUP_PASSWORD) {
            Ok(bytes) => String::from_utf8(bytes.to_vec())
                .map(zeroize::Zeroizing::new)
                .map_err(|_| Error::BackupPasswordMissing),
            Err(Error::SecretMissing(_)) => Err(Error::BackupPasswordMissing),
            Err(other) => Err(other),
        }
    }

    pub fn set_backup_password(&mut self, password: &str) -> Result<()> {
        self.secrets.put_bytes(BACKUP_PASSWORD, password.as_bytes())
    }

    /// Whether an account with the same issuer and secret is already here (scanning the same
    /// QR code twice, or importing what was added before).
    pub fn contains(&mut self, draft: &AccountDraft) -> Result<bool> {
        for account in self.accounts()? {
            if account.issuer.eq_ignore_ascii_case(&draft.issuer)
                && self.secret(&account.id)?.as_bytes() == draft.secret.as_bytes()
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The current code of an active account.
    /// Counter-based accounts have no current code: see [`Vault::next_code`].
    pub fn code(&mut self, id: &str, now_unix: u64) -> Result<Code> {
        let account = match self.db.get(id)? {
            Some((account, AccountState::Active)) => account,
            _ => return Err(Error::AccountNotFound(id.to_string())),
        };
        if let crate::otp::OtpKind::Hotp { .. } = account.params.kind {
            return Err(Error::CounterBased);
        }
        let secret = self.secret(id)?;
        Ok(current_code(&account.params, &secret, now_unix))
    }

    /// Wipes the secrets read so far from memory: the app is locked, and what the screen does
    /// not show need not be at hand. They are read from the keychain again when needed. The
    /// push tokens' keys stay: the poller signs with them every few seconds, locked or not.
    pub fn forget_secrets(&mut self) {
        self.cache.clear();
    }

    pub(super) fn secret(&mut self, id: &str) -> Result<SecretKey> {
        if let Some(secret) = self.cache.get(id) {
            return Ok(secret.clone());
        }
        let secret = self.secrets.get(id)?;
        self.cache.insert(id.to_string(), secret.clone());
        Ok(secret)
    }
}

#[cfg(test)]
mod tests;
