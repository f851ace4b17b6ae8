//! The Tauri shell: builds the app, opens the vault, registers the commands. No domain logic.

mod automation;
mod commands;
mod dto;
mod error;
mod events;
mod files;
#[cfg(test)]
mod licences;
mod lock;
mod notifications;
mod platform;
mod runners;
mod state;
mod user_check;

use tauri::Manager;

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    // SAFETY: the first thing the process does; no other thread runs yet.
    unsafe {
        automation::allow_only_in(cfg!(any(debug_assertions, feature = "webdriver")));
        pocket_startup::webview::choose_drawing();
    }
    pocket_startup::report::note_step("app:runs");
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_fs::init());
    #[cfg(mobile)]
    let builder = builder
        .plugin(tauri_plugin_biometric::init())
        .plugin(tauri_plugin_pocket_wakeup::init());
    #[cfg(target_os = "ios")]
    let builder = builder.plugin(tauri_plugin_barcode_scanner::init());
    builder
        .on_permission_request(|_webview, kind| platform::answer_permission(kind))
        .setup(|app| {
            pocket_startup::report::note_step("app:setup-began");
            let data_dir = app.path().app_data_dir()?;
            // Managed before any task starts: each one reads the state through the handle,
            // and a task that ran first would find none (CI saw the poller panic so).
            app.manage(state::AppState::open(&data_dir));
            let state = app.state::<state::AppState>();
            read_first_secrets_ahead(&state);
            runners::start_all(app.handle(), &state);
            if let Some(window) = app.get_webview_window("main") {
                platform::protect_window(&window);
                platform::enable_camera(&window);
            }
            pocket_startup::report::note_step("app:setup-ended");
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
        let read = pocket_core::vault::read_ahead(&vault, pocket_core::vault::FIRST_ROWS);
        pocket_startup::report::note_step("app:secrets-read-ahead");
        if let Err(error) = read {
            log::warn!("no secrets read ahead: {error}");
        }
    });
}
