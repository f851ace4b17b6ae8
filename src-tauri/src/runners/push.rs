//! The push poller's side in the app: every new request reaches the UI as an event and the
//! system as a notification; while the lock is shut, only that one waits.

use pocket_core::push::PushRequest;
use pocket_core::settings::{Language, Settings};
use pocket_core::vault::{SharedVault, StoredPushToken};
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_notification::NotificationExt;

use super::emit_unless_locked;
use crate::state::AppState;
use crate::{dto, events, notifications};

/// Polls the push tokens while the app runs; every new request reaches the UI as an event
/// and the system as a notification.
pub fn start(app: AppHandle, state: &AppState) {
    let (Ok(vault), Some(client)) = (state.shared_vault(), state.push_client.clone()) else {
        return;
    };
    let trigger = state.poll_trigger.clone();
    let vault_for_notices = vault.clone();
    tauri::async_runtime::spawn(pocket_core::flows::run_poller(
        vault,
        client,
        trigger,
        pocket_core::clock::now_unix,
        move |round| announce(&app, &vault_for_notices, &round.new),
    ));
}

/// New requests (a poll's, a wake-up's) reach the UI as events and the system as
/// notifications; while the lock is shut, only that one waits.
pub fn announce(app: &AppHandle, vault: &SharedVault, new: &[(StoredPushToken, PushRequest)]) {
    let mut waiting = false;
    for (token, request) in new {
        let dto = dto::PushRequestDto::new(token, request);
        if !emit_unless_locked(app, events::PUSH_REQUEST, &dto) {
            waiting = true;
            continue;
        }
        let (title, body) = pocket_core::push::notification_text(&token.token.issuer, request);
        notify(app, title, body);
    }
    if waiting {
        tell_one_waits(app, vault);
    }
}

/// While the lock is shut a request's details wait for the unlock: the lock screen and the
/// system are told only that one waits, in the user's language.
fn tell_one_waits(app: &AppHandle, vault: &SharedVault) {
    app.state::<AppState>().lock.note_request_waiting();
    if let Err(error) = app.emit(events::PUSH_WAITING, ()) {
        log::error!("could not show a waiting request: {error}");
    }
    let language = Settings::read(&pocket_core::vault::exclusive(vault))
        .map_or(Language::System, |settings| settings.language);
    let (title, body) = notifications::waiting_request(language);
    notify(app, title, body);
}

fn notify(app: &AppHandle, title: String, body: String) {
    if let Err(error) = app.notification().builder().title(title).body(body).show() {
        log::warn!("no system notification: {error}");
    }
}
