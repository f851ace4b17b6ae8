//! Keeps containers in step with their servers: a sync at start, every 10 minutes while the
//! app runs, and whenever woken (after a push login, on "Sync now"). Each round's results
//! reach the UI as an event, so the list shows what came and went.

use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::commands::containers::sync_now;
use crate::events;
use crate::state::AppState;

pub const SYNC_INTERVAL: Duration = Duration::from_secs(10 * 60);

pub fn start<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let trigger = state.sync_trigger.clone();
        loop {
            match sync_now(&state).await {
                Ok(results) if !results.is_empty() => {
                    if let Err(error) = app.emit(events::CONTAINERS_SYNCED, &results) {
                        log::error!("could not report a sync: {error}");
                    }
                }
                Ok(_) => {}
                Err(error) => log::warn!("container sync: {}", error.message),
            }
            // Whichever comes first: the interval, or a wake-up.
            let _ = tokio::time::timeout(SYNC_INTERVAL, trigger.notified()).await;
        }
    });
}
