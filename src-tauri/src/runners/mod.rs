//! What runs in the background while the app runs: the push poller, automatic backups,
//! container syncs, the clock keeper and the lock's watcher. What they report names accounts,
//! servers or files, so it reaches the UI through one rule, `emit_unless_locked`: nothing
//! while the lock is shut (the UI reads it all again once unlocked). Only the lock's own
//! change and the bare "a request waits" go out while shut.

mod backups;
mod clock;
mod containers;
mod lock;
mod push;
mod wakeup;

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::state::AppState;

pub use wakeup::{Registration, WakeHandler, WakeState, WakeStatus};

/// Starts every runner; each reads the state through `app`, so it is managed first.
pub fn start_all(app: &AppHandle, state: &AppState) {
    push::start(app.clone(), state);
    backups::start(app.clone(), state);
    containers::start(app.clone(), state);
    clock::start(app.clone(), state);
    lock::watch(app.clone());
    wakeup::start(app.clone());
}

/// Sends `event` with `payload` to the UI, unless the lock is shut; says whether it was sent.
pub fn emit_unless_locked<R: Runtime, T: Serialize + Clone>(
    app: &AppHandle<R>,
    event: &str,
    payload: T,
) -> bool {
    if app.state::<AppState>().lock.is_locked() {
        return false;
    }
    if let Err(error) = app.emit(event, payload) {
        log::error!("could not send {event} to the window: {error}");
    }
    true
}
