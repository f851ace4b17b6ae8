//! What the commands share: the vault (opened once at start-up), the push client and the
//! poller's trigger, and what scans found and the user has not added yet.

use std::path::Path;
use std::sync::{Arc, Mutex};

use pocket_core::clock::NoCorrection;
use pocket_core::flows::PollTrigger;
use pocket_core::otp::AccountDraft;
use pocket_core::push::PushClient;
use pocket_core::settings::Settings;
use pocket_core::transfer::Imported;
use pocket_core::vault::SharedVault;
use pocket_core::vault::{APP_SERVICE, KeychainStore, Vault, exclusive, use_platform_keychain};

use crate::error::IpcError;

/// Something a scan found that the user may add.
#[derive(Clone)]
pub enum Pending {
    Account(AccountDraft),
    /// A push enrollment's QR code text: its credential stays on this side.
    PushEnrollment(String),
    /// A container registration's QR code text, likewise.
    ContainerRegistration(String),
}

pub struct AppState {
    /// Why the vault could not be opened, when it could not: every command then says so,
    /// so the user sees the reason instead of an empty list.
    vault: Result<SharedVault, IpcError>,
    pub push_client: Option<PushClient>,
    pub poll_trigger: PollTrigger,
    /// Woken after every change to the accounts: the backup runner then makes a backup.
    pub backup_trigger: Arc<tokio::sync::Notify>,
    /// Wakes the container sync runner early (after a push login, on "Sync now").
    pub sync_trigger: Arc<tokio::sync::Notify>,
    /// Oldest first.
    pending: Mutex<Vec<(String, Pending)>>,
    /// The file last picked for import, until it is imported.
    picked: Mutex<Option<PickedFile>>,
    /// The app lock: while shut, only the lock screen's commands run.
    pub lock: crate::lock::AppLock,
    /// The servers' clocks, as their replies told them (shared with the push client).
    pub clocks: Arc<pocket_core::clock::ServerClocks>,
    /// How login requests reach this device: the distributor and where its registration is.
    pub wake: crate::runners::WakeStatus,
}

/// The poller's pace. `POCKET_POLL_SECONDS` slows it, in debug and WebDriver builds only: the
/// system tests use it to see that a wake-up, not a poll, brought a request.
fn poll_trigger() -> PollTrigger {
    let chosen = std::env::var("POCKET_POLL_SECONDS")
        .ok()
        .filter(|_| cfg!(any(debug_assertions, feature = "webdriver")))
        .and_then(|seconds| seconds.parse().ok());
    match chosen {
        Some(seconds) => PollTrigger::every(std::time::Duration::from_secs(seconds)),
        None => PollTrigger::default(),
    }
}

/// A file picked for import, and what it holds once read with its password (its secrets are
/// wiped when it goes).
/// A picked file's bytes and its key file's.
pub type PickedBytes = (
    zeroize::Zeroizing<Vec<u8>>,
    Option<zeroize::Zeroizing<Vec<u8>>>,
);

struct PickedFile {
    handle: String,
    file: crate::files::Picked,
    /// A KeePass database's key file, when the user chose one.
    key_file: Option<zeroize::Zeroizing<Vec<u8>>>,
    read: Option<Imported>,
}

/// Enough for any export split over QR codes; older scans fall out.
const MAX_PENDING: usize = 256;

impl AppState {
    pub fn open(data_dir: &Path) -> AppState {
        AppState::around(open_vault(data_dir))
    }

    /// The state around a vault opened elsewhere (the command tests give one in memory).
    pub fn around(vault: Result<Vault, IpcError>) -> AppState {
        let push_client = PushClient::new()
            .inspect_err(|error| log::error!("no HTTP client for push logins: {error}"))
            .ok();
        let backup_trigger = Arc::new(tokio::sync::Notify::new());
        let settings = vault
            .as_ref()
            .ok()
            .and_then(|vault| Settings::read(vault).ok());
        let lock = crate::lock::AppLock::at_start(settings.as_ref());
        let clocks = push_client
            .as_ref()
            .map(|client| client.clocks().clone())
            .unwrap_or_default();
        if let Ok(samples) = vault.as_ref().map(|vault| vault.clock_samples()) {
            clocks.seed(samples.unwrap_or_default());
        }
        let vault = vault.map(|mut vault| {
            let trigger = backup_trigger.clone();
            vault.on_accounts_changed(move || trigger.notify_one());
            Arc::new(Mutex::new(vault))
        });
        AppState {
            vault,
            push_client,
            poll_trigger: poll_trigger(),
            backup_trigger,
            sync_trigger: Arc::new(tokio::sync::Notify::new()),
            pending: Mutex::new(Vec::new()),
            picked: Mutex::new(None),
            lock,
            clocks,
            wake: Default::default(),
        }
    }

    pub async fn settings(&self) -> Result<Settings, IpcError> {
        self.with_vault(|vault| Settings::read(vault)).await
    }

    /// Now in Unix milliseconds as codes use it: the device's clock, or the measured time
    /// when the user chose it and the measurements allow it.
    pub async fn code_time_ms(&self, settings: &Settings) -> Result<u64, IpcError> {
        let now = pocket_core::clock::now_millis();
        if !settings.use_measured_time {
            return Ok(now);
        }
        let offset = self.clock_correction(now / 1000).await?.ok();
        Ok(pocket_core::clock::corrected_millis(now, offset))
    }

    /// How far the measured time moves codes at `now_unix`, by what the servers holding this
    /// phone's tokens (and NTP) say, or why it does not.
    pub async fn clock_correction(
        &self,
        now_unix: u64,
    ) -> Result<Result<i64, NoCorrection>, IpcError> {
        let holders = self
            .with_vault(|vault| pocket_core::flows::clock_holders(vault))
            .await?;
        Ok(self.clocks.correction(now_unix, &holders))
    }

    pub fn shared_vault(&self) -> Result<SharedVault, IpcError> {
        self.vault.clone()
    }

    pub fn push_client(&self) -> Result<&PushClient, IpcError> {
        self.push_client.as_ref().ok_or_else(|| {
            pocket_core::Error::HttpClientUnavailable("it could not be set up at start".into())
                .into()
        })
    }

    /// Runs `action` on the vault on a thread of its own: the lock may have to wait for an
    /// import, and neither the window's thread nor the async workers wait with it.
    pub async fn with_vault<T: Send + 'static>(
        &self,
        action: impl FnOnce(&mut Vault) -> Result<T, pocket_core::Error> + Send + 'static,
    ) -> Result<T, IpcError> {
        let vault = self.shared_vault()?;
        tauri::async_runtime::spawn_blocking(move || {
            action(&mut exclusive(&vault)).map_err(IpcError::from)
        })
        .await
        .map_err(|e| IpcError::internal(&e))?
    }

    /// Keeps a scanned item until the user adds it; returns its handle.
    pub fn keep_pending(&self, item: Pending) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let mut pending = self
            .pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if pending.len() >= MAX_PENDING {
            pending.remove(0);
        }
        pending.push((id.clone(), item));
        id
    }

    /// A scanned item, still kept: if adding it fails (a locked keychain), it can be retried.
    pub fn pending(&self, id: &str) -> Result<Pending, IpcError> {
        let pending = self
            .pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match pending.iter().find(|(pending_id, _)| pending_id == id) {
            Some((_, item)) => Ok(item.clone()),
            None => Err(pocket_core::Error::ScanExpired.into()),
        }
    }

    fn picked(&self) -> std::sync::MutexGuard<'_, Option<PickedFile>> {
        self.picked.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Keeps a picked file for import (it replaces any earlier one); returns its handle.
    pub fn keep_picked(&self, file: crate::files::Picked) -> String {
        let handle = uuid::Uuid::new_v4().to_string();
        *self.picked() = Some(PickedFile {
            handle: handle.clone(),
            file,
            key_file: None,
            read: None,
        });
        handle
    }

    /// The bytes of the picked file with `handle` and of its key file, if one was chosen;
    /// they stay kept for another try.
    pub fn picked_bytes(&self, handle: &str) -> Result<PickedBytes, IpcError> {
        match &*self.picked() {
            Some(picked) if picked.handle == handle => {
                Ok((picked.file.bytes.clone(), picked.key_file.clone()))
            }
            _ => Err(pocket_core::Error::FileExpired.into()),
        }
    }

    /// Keeps `key_file` for the picked file with `handle`; what was read without it is
    /// dropped.
    pub fn keep_key_file(
        &self,
        handle: &str,
        key_file: zeroize::Zeroizing<Vec<u8>>,
    ) -> Result<(), IpcError> {
        match self.picked().as_mut().filter(|p| p.handle == handle) {
            Some(picked) => {
                picked.key_file = Some(key_file);
                picked.read = None;
                Ok(())
            }
            None => Err(pocket_core::Error::FileExpired.into()),
        }
    }

    /// Keeps what the picked file with `handle` holds, once read with its password: the
    /// import takes it from here, so a costly key derivation runs once per file.
    pub fn keep_read(&self, handle: &str, imported: Imported) {
        if let Some(picked) = self.picked().as_mut().filter(|p| p.handle == handle) {
            picked.read = Some(imported);
        }
    }

    /// `look` at what the picked file with `handle` holds, if it was read already.
    pub fn with_read<T>(&self, handle: &str, look: impl FnOnce(&Imported) -> T) -> Option<T> {
        let picked = self.picked();
        let picked = picked.as_ref().filter(|p| p.handle == handle)?;
        picked.read.as_ref().map(look)
    }

    /// What the picked file with `handle` holds, taken out to be imported, if it was read.
    pub fn take_read(&self, handle: &str) -> Option<Imported> {
        self.picked()
            .as_mut()
            .filter(|p| p.handle == handle)
            .and_then(|p| p.read.take())
    }

    pub fn forget_picked(&self, handle: &str) {
        let mut picked = self.picked();
        if picked.as_ref().is_some_and(|p| p.handle == handle) {
            *picked = None;
        }
    }

    /// Drops the picked file and whatever was read from it (the app locked).
    pub fn forget_any_picked(&self) {
        *self.picked() = None;
    }

    pub fn forget_pending(&self, id: &str) {
        let mut pending = self
            .pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        pending.retain(|(pending_id, _)| pending_id != id);
    }
}

fn open_vault(data_dir: &Path) -> Result<Vault, IpcError> {
    if let Err(error) = use_platform_keychain() {
        // The vault still opens: listing works, and keychain calls report the reason.
        log::error!("{error}");
    }
    // The vault makes the folder, readable by this user only.
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
