//! Runs automatic backups: woken after every change to the accounts, a moment later (a burst
//! of changes, an import, makes one backup), off the async threads; each outcome goes to the
//! UI as an event for its banner.

use std::time::Duration;

use pocket_core::clock;
use pocket_core::flows::back_up;
use tauri::{AppHandle, Runtime};

use super::emit_unless_locked;

use crate::dto::BackupStatusDto;
use crate::events;
use crate::state::AppState;

const SETTLE: Duration = Duration::from_millis(800);

pub fn start<R: Runtime>(app: AppHandle<R>, state: &AppState) {
    let Ok(vault) = state.shared_vault() else {
        return;
    };
    let trigger = state.backup_trigger.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            trigger.notified().await;
            tokio::time::sleep(SETTLE).await;
            let shared = vault.clone();
            let done =
                tauri::async_runtime::spawn_blocking(move || back_up(&shared, clock::now_unix()))
                    .await;
            if let Ok(Err(error)) = &done {
                log::warn!("automatic backup: {error}");
            }
            // It names the folder and the file: the UI hears of it only while unlocked.
            match BackupStatusDto::read(&vault) {
                Ok(status) => {
                    emit_unless_locked(&app, events::BACKUP_STATUS, &status);
                }
                Err(error) => log::error!("backup status: {}", error.message),
            }
        }
    });
}
