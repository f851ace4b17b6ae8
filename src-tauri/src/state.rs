//! What the commands share: the vault, opened once at start-up.

use std::path::Path;
use std::sync::Mutex;

use pocket_core::otp::AccountDraft;
use pocket_core::vault::{APP_SERVICE, KeychainStore, Vault, use_platform_keychain};

use crate::error::IpcError;

pub struct AppState {
    /// Why the vault could not be opened, when it could not: every command then says so,
    /// so the user sees the reason instead of an empty list.
    vault: Mutex<Result<Vault, IpcError>>,
    /// Accounts a scan found, waiting for the user to add them; oldest first.
    pending: Mutex<Vec<(String, AccountDraft)>>,
}

/// Enough for any export split over QR codes; older scans fall out.
const MAX_PENDING: usize = 256;

impl AppState {
    pub fn open(data_dir: &Path) -> AppState {
        AppState {
            vault: Mutex::new(open_vault(data_dir)),
            pending: Mutex::new(Vec::new()),
        }
    }

    /// Keeps a scanned account until the user adds it; returns its handle.
    pub fn keep_pending(&self, draft: AccountDraft) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let mut pending = self
            .pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if pending.len() >= MAX_PENDING {
            pending.remove(0);
        }
        pending.push((id.clone(), draft));
        id
    }

    /// A scanned account, still kept: if adding it fails (a locked keychain), it can be retried.
    pub fn pending(&self, id: &str) -> Result<AccountDraft, IpcError> {
        let pending = self
            .pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match pending.iter().find(|(pending_id, _)| pending_id == id) {
            Some((_, draft)) => Ok(draft.clone()),
            None => Err(pocket_core::Error::AccountNotFound(id.to_string()).into()),
        }
    }

    pub fn forget_pending(&self, id: &str) {
        let mut pending = self
            .pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        pending.retain(|(pending_id, _)| pending_id != id);
    }

    pub fn with_vault<T>(
        &self,
        action: impl FnOnce(&mut Vault) -> Result<T, pocket_core::Error>,
    ) -> Result<T, IpcError> {
        let mut guard = self
            .vault
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let vault = guard.as_mut().map_err(|error| error.clone())?;
        action(vault).map_err(IpcError::from)
    }
}

fn open_vault(data_dir: &Path) -> Result<Vault, IpcError> {
    if let Err(error) = use_platform_keychain() {
        // The vault still opens: listing works, and keychain calls report the reason.
        log::error!("{error}");
    }
    std::fs::create_dir_all(data_dir).map_err(|error| IpcError::storage(&error))?;
    let mut vault = Vault::open(
        &data_dir.join("pocket.sqlite"),
        Box::new(KeychainStore::new(APP_SERVICE)),
    )?;
    match vault.reconcile() {
        Ok(report) if report != Default::default() => log::warn!("start-up repaired {report:?}"),
        Ok(_) => {}
        // A locked keychain: the unfinished rows stay hidden and are retried next start.
        Err(error) => log::warn!("start-up reconciliation postponed: {error}"),
    }
    Ok(vault)
}
