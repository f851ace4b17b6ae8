//! Editing accounts, and moving them in and out: imports of other apps' files and exports
//! the user asks for, written for their eyes only. Reading a file can take seconds (its key
//! derivation), so it runs on a thread of its own, and the vault's lock is taken one account
//! at a time: the window keeps working meanwhile.

use pocket_core::clock;
use pocket_core::otp::write_migration;
use pocket_core::transfer::{identify, read_backup_with, write_aegis, write_uri_list};
use pocket_core::vault::Vault;
use tauri::{AppHandle, Runtime, State};
use zeroize::Zeroizing;

use crate::dto::{
    AccountDto, ExportFormat, GoogleExportDto, ImportReportDto, PickedFileDto, PreviewDto,
    SkippedDto, skipped_list,
};
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
    from_backups: Option<bool>,
) -> Result<Option<PickedFileDto>, IpcError> {
    // A restore starts in the backup folder.
    let start_in = match from_backups {
        Some(true) => {
            state
                .with_vault(|vault| Ok(pocket_core::flows::BackupState::read(vault)?.folder))
                .await?
        }
        _ => None,
    };
    let Some(picked) = files::pick_to_import(&app, title, start_in).await? else {
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

/// Asks for the key file of the picked KeePass database and keeps it with the database;
/// its name, or `null` when the user closed the dialog.
#[tauri::command]
pub async fn pick_key_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    handle: String,
    title: String,
) -> Result<Option<String>, IpcError> {
    let Some(picked) = files::pick_to_import(&app, title, None).await? else {
        return Ok(None);
    };
    state.keep_key_file(&handle, picked.bytes)?;
    Ok(Some(picked.name))
}

/// Reads the picked file with its password (wiped once used), off the async threads: a key
/// derivation takes a while.
async fn read_picked(
    state: &AppState,
    handle: &str,
    password: Option<String>,
) -> Result<pocket_core::transfer::Imported, IpcError> {
    let (file, key_file) = state.picked_bytes(handle)?;
    let password = password.filter(|p| !p.is_empty()).map(Zeroizing::new);
    tauri::async_runtime::spawn_blocking(move || {
        read_backup_with(
            &file,
            password.as_ref().map(|p| p.as_str()),
            key_file.as_ref().map(|k| k.as_slice()),
        )
    })
    .await
    .map_err(|e| IpcError::internal(&e))?
    .map_err(IpcError::from)
}

/// What the picked file holds, read with its password: the user sees it before importing.
/// What was read is kept for the import, so the key derivation runs once per file.
#[tauri::command]
pub async fn preview_picked(
    state: State<'_, AppState>,
    handle: String,
    password: Option<String>,
) -> Result<PreviewDto, IpcError> {
    if let Some(preview) = state.with_read(&handle, |imported| PreviewDto::from(imported)) {
        return Ok(preview);
    }
    let imported = read_picked(&state, &handle, password).await?;
    let preview = PreviewDto::from(&imported);
    state.keep_read(&handle, imported);
    Ok(preview)
}

/// Imports the picked file: what its preview read, or else the file read now with its
/// password, if it has one. The password is wiped from memory once used; a wrong one leaves
/// the file at hand for another try.
#[tauri::command]
pub async fn import_picked(
    state: State<'_, AppState>,
    handle: String,
    password: Option<String>,
) -> Result<ImportReportDto, IpcError> {
    let imported = match state.take_read(&handle) {
        Some(imported) => imported,
        None => read_picked(&state, &handle, password).await?,
    };
    state.forget_picked(&handle);
    let vault = state.shared_vault()?;
    let accounts = imported.accounts;
    let summary = tauri::async_runtime::spawn_blocking(move || {
        Vault::import_into(&vault, accounts, clock::now_unix())
    })
    .await
    .map_err(|e| IpcError::internal(&e))?;
    let mut skipped = skipped_list(imported.skipped);
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

/// Every account Google's format can carry, as transfer QR codes to scan one after another
/// into another app, and those it cannot carry, named. The codes show the secrets, which is
/// their purpose: they are made only when asked for and the screen drops them when it closes.
/// With a lock set, the unlock step comes first (`passcode` on desktop).
#[tauri::command]
pub async fn export_google_codes<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    passcode: Option<String>,
    reason: String,
) -> Result<GoogleExportDto, IpcError> {
    crate::user_check::check_user_if_locking(&app, &state, passcode, reason).await?;
    let drafts = state.with_vault(|vault| vault.export()).await?;
    tauri::async_runtime::spawn_blocking(move || {
        let mut id = [0u8; 4];
        getrandom::fill(&mut id).map_err(|e| IpcError::internal(&e))?;
        let export = write_migration(&drafts, i32::from_le_bytes(id) & i32::MAX);
        let mut codes = Vec::new();
        for link in &export.links {
            codes.push(qr_data_uri(link)?);
        }
        Ok(GoogleExportDto {
            codes,
            skipped: skipped_list(export.skipped),
        })
    })
    .await
    .map_err(|e| IpcError::internal(&e))?
}

#[tauri::command]
pub async fn export_backup<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    format: ExportFormat,
    password: Option<String>,
    title: String,
    passcode: Option<String>,
    reason: String,
) -> Result<Option<String>, IpcError> {
    crate::user_check::check_user_if_locking(&app, &state, passcode, reason).await?;
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

/// `text` as a QR code, an SVG data URI the webview shows as a picture.
pub fn qr_data_uri(text: &str) -> Result<String, IpcError> {
    use base64::Engine;
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(|e| IpcError::internal(&e))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(320, 320)
        .build();
    Ok(format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    ))
}
