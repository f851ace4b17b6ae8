//! The Tauri shell: builds the app, opens the vault, registers the commands. No domain logic.

mod commands;
mod dto;
mod error;
mod platform;
mod state;

use tauri::Manager;

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let builder = tauri::Builder::default().plugin(tauri_plugin_clipboard_manager::init());
    #[cfg(mobile)]
    let builder = builder.plugin(tauri_plugin_barcode_scanner::init());
    builder
        .setup(|app| {
            let data_dir = app.path().app_data_dir()?;
            app.manage(state::AppState::open(&data_dir));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::accounts::list_accounts,
            commands::accounts::account_codes,
            commands::accounts::add_account_uri,
            commands::accounts::add_account_manual,
            commands::accounts::delete_account,
            commands::accounts::copy_code,
            commands::scan::scan_capabilities,
            commands::scan::scan_screen,
            commands::scan::scan_image,
            commands::scan::scan_text,
            commands::scan::scan_clipboard,
            commands::scan::add_scanned,
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|error| {
            log::error!("Pocket could not start: {error}");
            std::process::exit(1);
        });
}
