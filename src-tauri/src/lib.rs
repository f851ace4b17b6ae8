//! The Tauri shell: builds the app, opens the vault, registers the commands. No domain logic.

mod commands;
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
            app.manage(state);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::accounts::list_accounts,
            commands::accounts::account_codes,
            commands::accounts::add_account_manual,
            commands::accounts::delete_account,
            commands::accounts::copy_code,
            commands::scan::scan_capabilities,
            commands::scan::scan_screen,
            commands::scan::scan_image,
            commands::scan::scan_text,
            commands::scan::scan_clipboard,
            commands::scan::add_scanned,
            commands::push::list_push_tokens,
            commands::push::delete_push_token,
            commands::push::open_push_requests,
            commands::push::answer_push,
            commands::push::refresh_push,
            commands::push::push_history,
            commands::transfer::pick_import_file,
            commands::transfer::import_picked,
            commands::transfer::export_backup,
            commands::transfer::rename_account,
            commands::transfer::reorder_accounts,
            commands::transfer::next_code,
        ])
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
    tauri::async_runtime::spawn(pocket_core::push::run_poller(
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
