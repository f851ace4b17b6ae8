//! Editing accounts, and moving them in and out: imports of other apps' files and exports
//! the user asks for, written for their eyes only. Reading a file can take seconds (its key
//! derivation), so it runs on a thread of its own, and the vault's lock is taken one account
//! at a time: the window keeps working meanwhile.

use pocket_core::clock;
use pocket_core::transfer::{read_backup, write_aegis, write_private, write_uri_list};
use pocket_core::vault::Vault;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};
use zeroize::Zeroizing;

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

/// Imports a file's text as the user picked it (an Aegis vault, otpauth:// links…). The text
/// and the password are wiped from memory once read; nothing secret comes back.
#[tauri::command]
pub async fn import_backup(
    state: State<'_, AppState>,
    text: String,
    password: Option<String>,
) -> Result<ImportReportDto, IpcError> {
    let file = Zeroizing::new(text.into_bytes());
    let password = password.filter(|p| !p.is_empty()).map(Zeroizing::new);
    let imported = tauri::async_runtime::spawn_blocking(move || {
        read_backup(&file, password.as_ref().map(|p| p.as_str()))
    })
    .await
    .map_err(|e| IpcError::internal(&e))??;
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
pub async fn export_backup(
    app: AppHandle,
    state: State<'_, AppState>,
    format: ExportFormat,
    password: Option<String>,
) -> Result<String, IpcError> {
    let password = Zeroizing::new(password.unwrap_or_default());
    let drafts = state.with_vault(|vault| vault.export()).await?;
    let paths = app.path();
    let folder = paths
        .download_dir()
        .or_else(|_| paths.document_dir())
        .or_else(|_| paths.home_dir())
        .map_err(|e| IpcError::from(pocket_core::Error::ExportFailed(e.to_string())))?;
    let stamp = clock::now_unix();
    tauri::async_runtime::spawn_blocking(move || {
        let (contents, extension) = match format {
            ExportFormat::Aegis => (write_aegis(&drafts, &password)?, "json"),
            ExportFormat::Links => (write_uri_list(&drafts), "txt"),
        };
        std::fs::create_dir_all(&folder)
            .map_err(|e| pocket_core::Error::ExportFailed(e.to_string()))?;
        let path = folder.join(format!("pocket-export-{stamp}.{extension}"));
        write_private(&path, contents.as_bytes())?;
        Ok::<_, pocket_core::Error>(path.display().to_string())
    })
    .await
    .map_err(|e| IpcError::internal(&e))?
    .map_err(IpcError::from)
}

#[tauri::command]
pub async fn rename_account(
    state: State<'_, AppState>,
    id: String,
    issuer: String,
    name: String,
) -> Result<AccountDto, IpcError> {
    state
        .with_vault(move |vault| Ok(AccountDto::from(&vault.rename(&id, &issuer, &name)?)))
        .await
}

#[tauri::command]
pub async fn reorder_accounts(
    state: State<'_, AppState>,
    ids: Vec<String>,
) -> Result<(), IpcError> {
    state.with_vault(move |vault| vault.reorder(&ids)).await
}

/// HOTP: the next code, its counter saved first. Only the code crosses to the webview.
#[tauri::command]
pub async fn next_code(state: State<'_, AppState>, id: String) -> Result<String, IpcError> {
    state
        .with_vault(move |vault| Ok(vault.next_code(&id)?.current))
        .await
}
