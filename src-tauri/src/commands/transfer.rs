//! Editing accounts, and moving them in and out: imports of Aegis vaults and link lists, and
//! exports the user asks for, written for their eyes only.

use pocket_core::clock;
use pocket_core::transfer::{read_backup, write_aegis, write_private, write_uri_list};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};

use crate::dto::AccountDto;
use crate::error::IpcError;
use crate::state::AppState;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SkippedDto {
    pub label: String,
    pub error: IpcError,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReportDto {
    pub added: Vec<AccountDto>,
    /// Already in Pocket: left as they are.
    pub duplicates: Vec<String>,
    pub skipped: Vec<SkippedDto>,
}

/// Imports a backup's text (an Aegis vault, or otpauth:// links one per line). The file
/// passes through the webview once, as the user picked it; nothing secret comes back.
#[tauri::command]
pub fn import_backup(
    state: State<'_, AppState>,
    text: String,
    password: Option<String>,
) -> Result<ImportReportDto, IpcError> {
    let imported = read_backup(&text, password.as_deref().filter(|p| !p.is_empty()))?;
    let mut skipped: Vec<SkippedDto> = imported
        .skipped
        .into_iter()
        .map(|s| SkippedDto {
            label: s.label,
            error: s.reason.into(),
        })
        .collect();
    let summary =
        state.with_vault(|vault| Ok(vault.import(imported.accounts, clock::now_unix())))?;
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

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ExportFormat {
    /// An encrypted Aegis vault: for other apps and for safekeeping.
    Aegis,
    /// Plain otpauth:// links: readable by anyone who gets the file.
    Links,
}

/// Writes every account to a new file in the Downloads folder (owner-only); returns its path.
#[tauri::command]
pub fn export_backup(
    app: AppHandle,
    state: State<'_, AppState>,
    format: ExportFormat,
    password: Option<String>,
) -> Result<String, IpcError> {
    let drafts = state.with_vault(|vault| vault.export())?;
    let (contents, extension) = match format {
        ExportFormat::Aegis => (
            write_aegis(&drafts, password.as_deref().unwrap_or(""))?,
            "json",
        ),
        ExportFormat::Links => (write_uri_list(&drafts), "txt"),
    };
    let paths = app.path();
    let folder = paths
        .download_dir()
        .or_else(|_| paths.document_dir())
        .or_else(|_| paths.home_dir())
        .map_err(|e| IpcError::from(pocket_core::Error::ExportFailed(e.to_string())))?;
    std::fs::create_dir_all(&folder)
        .map_err(|e| IpcError::from(pocket_core::Error::ExportFailed(e.to_string())))?;
    let stamp = clock::now_unix();
    let path = folder.join(format!("pocket-export-{stamp}.{extension}"));
    write_private(&path, contents.as_bytes())?;
    Ok(path.display().to_string())
}

#[tauri::command]
pub fn rename_account(
    state: State<'_, AppState>,
    id: String,
    issuer: String,
    name: String,
) -> Result<AccountDto, IpcError> {
    state.with_vault(|vault| Ok(AccountDto::from(&vault.rename(&id, &issuer, &name)?)))
}

#[tauri::command]
pub fn reorder_accounts(state: State<'_, AppState>, ids: Vec<String>) -> Result<(), IpcError> {
    state.with_vault(|vault| vault.reorder(&ids))
}

/// HOTP: the next code, its counter saved first. Only the code crosses to the webview.
#[tauri::command]
pub fn next_code(state: State<'_, AppState>, id: String) -> Result<String, IpcError> {
    state.with_vault(|vault| Ok(vault.next_code(&id)?.current))
}
