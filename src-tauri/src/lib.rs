//! The Tauri shell: builds the app, opens the vault, registers the commands. No domain logic.

mod backups;
mod commands;
mod containers;
mod dto;
mod error;
mod events;
mod files;
mod platform;
mod state;

use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_notification::NotificationExt;

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_fs::init());
    #[cfg(mobile)]
    let builder = builder.plugin(tauri_plugin_barcode_scanner::init());
    builder
        .setup(|app| {
            let data_dir = app.path().app_data_dir()?;
            let state = state::AppState::open(&data_dir);
            start_poller(app.handle().clone(), &state);
            backups::start(app.handle().clone(), &state);
            containers::start(app.handle().clone(), &state);
            app.manage(state);
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
        .unwrap_or_else(|error| {
            log::error!("Pocket could not start: {error}");
            std::process::exit(1);
        });
}

/// Polls the push tokens while the app runs; every new request reaches the UI as an event
/// and the system as a notification.
fn start_poller(app: AppHandle, state: &state::AppState) {
    let (Ok(vault), Some(client)) = (state.shared_vault(), state.push_client.clone()) else {
        return;
    };
    let trigger = state.poll_trigger.clone();
    tauri::async_runtime::spawn(pocket_core::flows::run_poller(
        vault,
        client,
        trigger,
        pocket_core::clock::now_unix,
        move |round| {
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
