//! `#[tauri::command]` functions, one file per area of the UI, and the one list of them.

pub mod accounts;
pub mod backups;
pub mod clock;
pub mod containers;
pub mod home;
pub mod lock;
pub mod push;
pub mod scan;
pub mod settings;
pub mod transfer;

use tauri::Manager;

/// The commands that run while Pocket is locked: the lock screen's own. Nothing they return
/// names an account, shows a code or describes a request. Every other command, present and
/// future, is refused with `locked` until the lock opens.
pub const OPEN_WHILE_LOCKED: &[&str] = &[
    "lock_status",
    "unlock",
    "lock_now",
    "note_activity",
    "about",
];

/// Names every command the UI may call, once: [`handler`] registers them and [`NAMES`] lists
/// them for the test that holds build.rs, the permission sets and the UI's calls to this list.
macro_rules! app_commands {
    ($($module:ident :: $name:ident),* $(,)?) => {
        /// The commands' names, as the UI invokes them.
        #[cfg_attr(not(test), allow(dead_code))]
        pub const NAMES: &[&str] = &[$(stringify!($name)),*];

        /// The invoke handler with every command, behind the app lock.
        pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            let commands: Box<dyn Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync> =
                Box::new(tauri::generate_handler![$($module::$name),*]);
            move |invoke| {
                if !OPEN_WHILE_LOCKED.contains(&invoke.message.command()) {
                    let locked = invoke
                        .message
                        .webview()
                        .try_state::<crate::state::AppState>()
                        .is_some_and(|state| state.lock.is_locked());
                    if locked {
                        invoke
                            .resolver
                            .reject(crate::error::IpcError::from(pocket_core::Error::Locked));
                        return true;
                    }
                }
                commands(invoke)
            }
        }
    };
}

app_commands! {
    home::home_screen,
    accounts::list_accounts,
    accounts::account_codes,
    accounts::account_icon,
    accounts::first_code_shown,
    accounts::add_account_manual,
    accounts::delete_account,
    accounts::copy_code,
    accounts::rename_account,
    accounts::reorder_accounts,
    accounts::next_code,
    scan::scan_capabilities,
    scan::scan_screen,
    scan::scan_image,
    scan::scan_text,
    scan::scan_clipboard,
    scan::add_scanned,
    push::delete_push_token,
    push::open_push_requests,
    push::answer_push,
    push::refresh_push,
    push::push_history,
    transfer::pick_import_file,
    transfer::preview_picked,
    transfer::import_picked,
    transfer::export_backup,
    transfer::export_google_codes,
    backups::backup_status,
    backups::choose_backup_folder,
    backups::set_backups,
    backups::set_backup_password,
    backups::back_up_now,
    containers::sync_containers,
    containers::move_container,
    containers::unregister_container,
    containers::forget_container,
    lock::lock_status,
    lock::unlock,
    lock::lock_now,
    lock::note_activity,
    lock::set_passcode,
    lock::set_device_lock,
    lock::remove_lock,
    settings::get_settings,
    settings::update_settings,
    settings::about,
    clock::clock_status,
    clock::check_clock,
}

#[cfg(test)]
mod tests;
