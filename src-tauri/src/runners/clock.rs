//! The clock keeper: each new measurement is kept for the next start and told to the UI.

use tauri::{AppHandle, Manager};

use super::emit_unless_locked;
use crate::commands;
use crate::events;
use crate::state::AppState;

/// Keeps each new clock measurement for the next start and tells the UI, so the banner
/// follows the servers' replies.
pub fn start(app: AppHandle, state: &AppState) {
    let clocks = state.clocks.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            clocks.changed().await;
            let state = app.state::<AppState>();
            if let Err(error) = commands::clock::save(&state).await {
                log::warn!("could not keep the clock measurements: {error:?}");
            }
            let Ok(settings) = state.settings().await else {
                continue;
            };
            // The measurement names the server: the UI hears of it only while unlocked.
            match commands::clock::status(&state, &settings).await {
                Ok(Some(dto)) => {
                    emit_unless_locked(&app, events::CLOCK_CHANGED, dto);
                }
                Ok(None) => {}
                Err(error) => log::warn!("could not read the clock's status: {error:?}"),
            }
        }
    });
}
