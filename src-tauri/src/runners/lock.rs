//! The lock's watcher: shuts the gate when the idle time runs out and tells the UI.

use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::events;
use crate::lock::LockChangedDto;
use crate::state::AppState;

/// Tells the UI whenever the gate shuts or opens, checking each second (the idle time runs
/// out without any call); when it shuts, the secrets read so far leave memory.
pub fn watch<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        let mut was_locked = None;
        loop {
            let state = app.state::<AppState>();
            let locked = state.lock.is_locked();
            if was_locked != Some(locked) {
                if locked {
                    state.forget_any_picked();
                    if let Ok(vault) = state.shared_vault() {
                        pocket_core::vault::exclusive(&vault).forget_secrets();
                    }
                }
                if was_locked.is_some() {
                    let dto = LockChangedDto { locked };
                    if let Err(error) = app.emit(events::LOCK_CHANGED, dto) {
                        log::error!("could not report the lock: {error}");
                    }
                }
                was_locked = Some(locked);
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
}
