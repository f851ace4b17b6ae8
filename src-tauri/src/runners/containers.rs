//! Keeps containers in step with their servers (pocket-core's runner: at start, every 10
//! minutes, and when woken after a push login or on "Sync now"). Each round's results reach
//! the UI as an event, so the list shows what came and went.

use pocket_core::flows::{CONTAINER_SYNC_INTERVAL, run_container_sync};
use tauri::{AppHandle, Runtime};

use super::emit_unless_locked;

use crate::dto::ContainerSyncedDto;
use crate::events;
use crate::state::AppState;

pub fn start<R: Runtime>(app: AppHandle<R>, state: &AppState) {
    let (Ok(vault), Some(client)) = (state.shared_vault(), state.push_client.clone()) else {
        return;
    };
    let poll = state.poll_trigger.clone();
    tauri::async_runtime::spawn(run_container_sync(
        vault,
        client,
        state.sync_trigger.clone(),
        CONTAINER_SYNC_INTERVAL,
        pocket_core::clock::now_unix,
        move |results| {
            if results.is_empty() {
                return;
            }
            // Push tokens may have come.
            poll.poll_now();
            // The results name containers and their servers: the UI hears of them only while
            // unlocked, and reads the lists again once unlocked anyway.
            let dtos: Vec<ContainerSyncedDto> = results
                .iter()
                .map(|(container, result)| ContainerSyncedDto::new(container, result))
                .collect();
            emit_unless_locked(&app, events::CONTAINERS_SYNCED, &dtos);
        },
    ));
}
