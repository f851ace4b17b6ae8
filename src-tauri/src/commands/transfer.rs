//! Editing accounts, and moving them in and out: imports of other apps' files and exports
//! the user asks for, written for their eyes only. Reading a file can take seconds (its key
//! derivation), so it runs on a thread of its own, and the vault's lock is taken one account
//! at a time: the window keeps working meanwhile.

use pocket_core::clock;
use pocket_core::transfer::{identify, read_backup, write_aegis, write_uri_list};
use pocket_core::vault::Vault;
use tauri::{AppHandle, Runtime, State};
use zeroize::Zeroizing;

use crate::dto::{AccountDto, ExportFormat, ImportReportDto, PickedFileDto, SkippedDto};
use crate::error::IpcError;
use crate::files;
use crate::state::AppState;

/// Asks for a file in the system's dialog and reads it; `null` when the user closed the
/// dialog. An unknown or damaged file is refused here, before any password is asked for.
#[tauri::command]
pub async fn pick_import_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    title: String,
) -> Result<Option<PickedFileDto>, IpcError> {
    let Some(picked) = files::pick_to_import(&app, title).await? else {
        return Ok(None);
    };
    let format = identify(&picked.bytes)?;
    let (name, needs_password) = (picked.name.clone(), format.is_encrypted(&picked.bytes));
    Ok(Some(PickedFileDto {
        handle: state.keep_picked(picked),
        name,
        format: format.name(),
        needs_password,
    }))
}

/// Imports the picked file, with its password if it has one. The password is wiped from
/// memory once used; a wrong one leaves the file at hand for another try.
#[tauri::command]
pub async fn import_picked(
    state: State<'_, AppState>,
    handle: String,
    password: Option<String>,
) -> Result<ImportReportDto, IpcError> {
    let file = state.picked_bytes(&handle)?;
    let password = password.filter(|p| !p.is_empty()).map(Zeroizing::new);
    let imported = tauri::async_runtime::spawn_blocking(move || {
        read_backup(&file, password.as_ref().map(|p| p.as_str()))
    })
    .await
    .map_err(|e| IpcError::internal(&e))??;
    state.forget_picked(&handle);
    let vault = state.shared_vault()?;
    let accounts = imported.accounts;
    let summary = tauri::async_runtime::spawn_blocking(move || {
        Vault::import_into(&vault, accounts, clock::now_unix())
    })
    .await
    .map_err(|e| IpcError::internal(&e))?;
    let mut skipped: Vec<SkippedDto> = imported
        .skipped
        .into_iter()
        .map(|s| SkippedDto {
            label: s.label,
            error: s.reason.into(),
        })
        .collect();
    skipped.extend(summary.failed.into_iter().map(|(label, error)| SkippedDto {
        label,
        error: error.into(),
    }));
    Ok(ImportReportDto {
        added: summary.added.iter().map(AccountDto::from).collect(),
        duplicates: summary.duplicates,
        skipped,
    })
}

/// Writes every account to a file the user chooses in the system's save dialog; returns
/// where it went, or `null` when the user closed the dialog.
#[tauri::command]
pub async fn export_backup<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    format: ExportFormat,
    password: Option<String>,
    title: String,
) -> Result<Option<String>, IpcError> {
    let password = Zeroizing::new(password.unwrap_or_default());
    let drafts = state.with_vault(|vault| vault.export()).await?;
    let (contents, extension) = tauri::async_runtime::spawn_blocking(move || {
        Ok::<_, pocket_core::Error>(match format {
            ExportFormat::Aegis => (write_aegis(&drafts, &password)?, "json"),
            ExportFormat::Links => (write_uri_list(&drafts), "txt"),
        })
    })
    .await
    .map_err(|e| IpcError::internal(&e))??;
    let name = format!("pocket-export-{}.{extension}", clock::date_today());
    let contents = Zeroizing::new(contents.as_bytes().to_vec());
    files::save_export(&app, title, name, contents).await
}
