//! The Tauri shell: builds the app, opens the vault, registers the commands. No domain logic.

mod automation;
mod backups;
mod commands;
mod containers;
mod dto;
mod error;
mod events;
mod files;
#[cfg(test)]
mod licences;
mod lock;
mod platform;
mod state;

use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_notification::NotificationExt;

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    // SAFETY: the first thing the process does; no other thread runs yet.
    unsafe {
        automation::allow_only_in(cfg!(any(debug_assertions, feature = "webdriver")));
        pocket_core::webview::choose_drawing();
    }
    pocket_core::startup_report::note_step("app:runs");
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_fs::init());
    #[cfg(mobile)]
    let builder = builder
        .plugin(tauri_plugin_barcode_scanner::init())
        .plugin(tauri_plugin_biometric::init());
    builder
        .setup(|app| {
            pocket_core::startup_report::note_step("app:setup-began");
            let data_dir = app.path().app_data_dir()?;
            // Managed before any task starts: each one reads the state through the handle,
            // and a task that ran first would find none (CI saw the poller panic so).
            app.manage(state::AppState::open(&data_dir));
            let state = app.state::<state::AppState>();
            read_first_secrets_ahead(&state);
            start_poller(app.handle().clone(), &state);
            backups::start(app.handle().clone(), &state);
            containers::start(app.handle().clone(), &state);
            start_clock_keeper(app.handle().clone(), &state);
            lock::watch(app.handle().clone());
            if let Some(window) = app.get_webview_window("main") {
                platform::protect_window(&window);
            }
            pocket_core::startup_report::note_step("app:setup-ended");
            Ok(())
        })
        .on_window_event(|window, event| {
            // A phone app in the background locks: whoever picks the phone up next unlocks.
            #[cfg(mobile)]
            if let tauri::WindowEvent::Suspended = event
                && window.state::<state::AppState>().lock.backgrounded()
            {
                // At once: the app switcher takes its picture now.
                lock::report(window.app_handle(), true);
            }
            #[cfg(desktop)]
            let _ = (window, event);
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
        .unwrap_or_else(|error| {
            log::error!("Pocket could not start: {error}");
            std::process::exit(1);
        });
}

/// While the webview starts, the secrets of the first rows are read from the keychain, so the
/// first codes wait for none of its round trips. Not while the app lock is shut: until the
/// user unlocks, no secret is read into memory.
fn read_first_secrets_ahead(state: &state::AppState) {
    let Ok(vault) = state.shared_vault() else {
        return;
    };
    if state.lock.is_locked() {
        return;
    }
    tauri::async_runtime::spawn_blocking(move || {
        let read = pocket_core::vault::read_ahead(&vault, pocket_core::vault::READ_AHEAD_ACCOUNTS);
        pocket_core::startup_report::note_step("app:secrets-read-ahead");
        if let Err(error) = read {
            log::warn!("no secrets read ahead: {error}");
        }
    });
}

/// Polls the push tokens while the app runs; every new request reaches the UI as an event
/// and the system as a notification.
fn start_poller(app: AppHandle, state: &state::AppState) {
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
        move |round| {
            let locked = app.state::<state::AppState>().lock.is_locked();
            if locked && !round.new.is_empty() {
                // The details wait for the unlock; the system is told only that one waits.
                app.state::<state::AppState>().lock.note_request_waiting();
                if let Err(error) = app.emit(events::PUSH_WAITING, ()) {
                    log::error!("could not show a waiting request: {error}");
                }
                let language = pocket_core::settings::Settings::read(&pocket_core::vault::lock(
                    &vault_for_notices,
                ))
                .map_or(pocket_core::settings::Language::System, |s| s.language);
                let (title, body) = pocket_core::push::waiting_notification_text(language);
                if let Err(error) = app.notification().builder().title(title).body(body).show() {
                    log::warn!("no system notification: {error}");
                }
                return;
            }
            for (token, request) in &round.new {
                let dto = dto::PushRequestDto::new(token, request);
                if let Err(error) = app.emit(events::PUSH_REQUEST, &dto) {
                    log::error!("could not show a login request: {error}");
                }
                let (title, body) =
                    pocket_core::push::notification_text(&token.token.issuer, request);
                if let Err(error) = app.notification().builder().title(title).body(body).show() {
                    log::warn!("no system notification: {error}");
                }
            }
        },
    ));
}

/// Keeps each new clock measurement for the next start and tells the UI, so the banner
/// follows the servers' replies.
fn start_clock_keeper(app: AppHandle, state: &state::AppState) {
    let clocks = state.clocks.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            clocks.changed().await;
            let state = app.state::<state::AppState>();
            if let Err(error) = commands::clock::save(&state).await {
                log::warn!("could not keep the clock measurements: {error:?}");
            }
            let Ok(settings) = state.settings().await else {
                continue;
            };
            // The measurement names the server: the UI asks again once unlocked.
            if state.lock.is_locked() {
                continue;
            }
            match commands::clock::status(&state, &settings).await {
                Ok(Some(dto)) => {
                    if let Err(error) = app.emit(events::CLOCK_CHANGED, dto) {
                        log::error!("could not report the clock: {error}");
                    }
                }
                Ok(None) => {}
                Err(error) => log::warn!("could not read the clock's status: {error:?}"),
            }
        }
    });
}
