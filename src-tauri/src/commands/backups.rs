//! Settings → Backups: turn automatic backups on, choose their folder and password, make one
//! now. Restoring is an import of a backup file (`transfer`).

use pocket_core::clock;
use pocket_core::flows::{BackupState, back_up, change_backup_password, configure_backups};
use tauri::{AppHandle, Runtime, State};
use zeroize::Zeroizing;

use crate::dto::BackupStatusDto;
use crate::error::IpcError;
use crate::files;
use crate::state::AppState;

#[tauri::command]
pub async fn backup_status(state: State<'_, AppState>) -> Result<BackupStatusDto, IpcError> {
    state
        .with_vault(|vault| Ok(BackupState::read(vault)?.into()))
        .await
}

/// Asks for the folder backups go to; `null` when the user closed the dialog. With a lock
/// set, the unlock step comes first: the folder is where every secret goes.
#[tauri::command]
pub async fn choose_backup_folder<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    title: String,
    passcode: Option<String>,
    reason: String,
) -> Result<Option<BackupStatusDto>, IpcError> {
    crate::user_check::check_user_if_locking(&app, &state, passcode, reason).await?;
    let current = state
        .with_vault(|vault| Ok(BackupState::read(vault)?.folder))
        .await?;
    let Some(folder) = files::pick_backup_folder(&app, title, current).await? else {
        return Ok(None);
    };
    let status = state
        .with_vault(move |vault| {
            let current = BackupState::read(vault)?;
            configure_backups(vault, current.enabled, Some(&folder), current.keep)?;
            Ok(BackupState::read(vault)?.into())
        })
        .await?;
    state.backup_trigger.notify_one();
    Ok(Some(status))
}

/// Turns backups on or off, keeping the newest `keep`; turning them on makes one at once.
#[tauri::command]
pub async fn set_backups(
    state: State<'_, AppState>,
    enabled: bool,
    keep: usize,
) -> Result<BackupStatusDto, IpcError> {
    let status: BackupStatusDto = state
        .with_vault(move |vault| {
            let current = BackupState::read(vault)?;
            configure_backups(vault, enabled, current.folder.as_deref(), keep)?;
            Ok(BackupState::read(vault)?.into())
        })
        .await?;
    if enabled {
        state.backup_trigger.notify_one();
    }
    Ok(status)
}

/// Sets the backup password (kept in the keychain, so backups run unattended): the backups
/// there are encrypted again with it, and a fresh one is made. Changing one takes the
/// `current` one, and, with a lock set, the unlock step.
#[tauri::command]
pub async fn set_backup_password<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    current: Option<String>,
    password: String,
    passcode: Option<String>,
    reason: String,
) -> Result<BackupStatusDto, IpcError> {
    let (current, password) = (current.map(Zeroizing::new), Zeroizing::new(password));
    crate::user_check::check_user_if_locking(&app, &state, passcode, reason).await?;
    let vault = state.shared_vault()?;
    let shared = vault.clone();
    tauri::async_runtime::spawn_blocking(move || {
        change_backup_password(&shared, current.as_deref().map(String::as_str), &password)
    })
    .await
    .map_err(|e| IpcError::internal(&e))??;
    state.backup_trigger.notify_one();
    BackupStatusDto::read(&vault)
}

/// Makes a backup now and says how it went: a failure is in the status (`lastError`), as
/// it is for automatic ones.
#[tauri::command]
pub async fn back_up_now(state: State<'_, AppState>) -> Result<BackupStatusDto, IpcError> {
    let vault = state.shared_vault()?;
    let shared = vault.clone();
    let done = tauri::async_runtime::spawn_blocking(move || back_up(&shared, clock::now_unix()))
        .await
        .map_err(|e| IpcError::internal(&e))?;
    if let Err(error) = done {
        log::warn!("backup now: {error}");
    }
    BackupStatusDto::read(&vault)
}
