/// The app's own commands, each with an `allow-…` permission so that capabilities can grant
/// exactly what the UI uses (without a manifest every app command would be open to any window).
const COMMANDS: &[&str] = &[
    "home_screen",
    "list_accounts",
    "account_codes",
    "add_account_manual",
    "delete_account",
    "copy_code",
    "scan_capabilities",
    "scan_screen",
    "scan_image",
    "scan_text",
    "scan_clipboard",
    "add_scanned",
    "delete_push_token",
    "open_push_requests",
    "answer_push",
    "refresh_push",
    "push_history",
    "pick_import_file",
    "preview_picked",
    "import_picked",
    "export_backup",
    "export_google_codes",
    "backup_status",
    "choose_backup_folder",
    "set_backups",
    "set_backup_password",
    "back_up_now",
    "sync_containers",
    "move_container",
    "unregister_container",
    "forget_container",
    "rename_account",
    "reorder_accounts",
    "next_code",
    "account_icon",
    "first_code_shown",
    "lock_status",
    "unlock",
    "lock_now",
    "note_activity",
    "set_passcode",
    "set_device_lock",
    "remove_lock",
    "get_settings",
    "update_settings",
    "about",
    "clock_status",
    "check_clock",
];

fn main() {
    // generate_context! embeds these at compile time, but tauri-build does not watch them:
    // without this a rebuilt UI or a new icon would not reach the binary.
    for watched in ["../ui/dist", "../icons", "permissions"] {
        println!("cargo:rerun-if-changed={watched}");
    }
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
