//! What the commands share: the vault, opened once at start-up.

use std::path::Path;
use std::sync::Mutex;

use pocket_core::vault::{APP_SERVICE, KeychainStore, Vault, use_platform_keychain};

use crate::error::IpcError;

pub struct AppState {
    /// Why the vault could not be opened, when it could not: every command then says so,
    /// so the user sees the reason instead of an empty list.
    vault: Mutex<Result<Vault, IpcError>>,
}

impl AppState {
    pub fn open(data_dir: &Path) -> AppState {
        AppState {
            vault: Mutex::new(open_vault(data_dir)),
        }
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
