//! Scanning: the screen, an image file, the clipboard, or text the camera read. What is
//! found is routed by content; accounts wait on the Rust side until the user adds them.

use pocket_core::clock;
use pocket_core::otp::{AccountDraft, parse_migration};
use pocket_core::push::parse_enrollment;
use pocket_core::scan::{Scanned, decode_image_file, decode_rgba, route};
use tauri::ipc::{InvokeBody, Request};
use tauri::{AppHandle, State};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::commands::push::enroll_push_uri;
use crate::dto::{AccountDto, AddedDto, BatchDto, ScanItemDto, ScanReportDto};
use crate::error::IpcError;
use crate::platform;
use crate::state::{AppState, Pending};

#[tauri::command]
pub fn scan_capabilities() -> bool {
    platform::CAN_CAPTURE_SCREEN
}

/// Captures every display and reads the QR codes on them.
#[tauri::command]
pub async fn scan_screen(state: State<'_, AppState>) -> Result<ScanReportDto, IpcError> {
    // Capturing and decoding take a moment: off the main thread, so the window stays live.
    let texts = tauri::async_runtime::spawn_blocking(|| {
        let captures = platform::capture_screens().map_err(IpcError::screen_capture)?;
        Ok::<_, IpcError>(
            captures
                .iter()
                .flat_map(|c| decode_rgba(&c.rgba, c.width, c.height))
                .collect::<Vec<_>>(),
        )
    })
    .await
    .map_err(|e| IpcError::internal(&e))??;
    Ok(report(&state, texts))
}

/// Reads the QR codes in a PNG or JPEG file, sent as the raw request body.
#[tauri::command]
pub async fn scan_image(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<ScanReportDto, IpcError> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(pocket_core::Error::ImageUnreadable.into());
    };
    let bytes = bytes.clone();
    let texts = tauri::async_runtime::spawn_blocking(move || decode_image_file(&bytes))
        .await
        .map_err(|e| IpcError::internal(&e))??;
    Ok(report(&state, texts))
}

/// Text from the camera, or pasted: routed like a scanned code.
#[tauri::command]
pub fn scan_text(state: State<'_, AppState>, text: String) -> ScanReportDto {
    report(&state, vec![text])
}

/// Whatever the clipboard holds: a picture with QR codes, or text.
#[tauri::command]
pub async fn scan_clipboard(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<ScanReportDto, IpcError> {
    if let Ok(image) = app.clipboard().read_image() {
        let (rgba, width, height) = (image.rgba().to_vec(), image.width(), image.height());
        let texts = tauri::async_runtime::spawn_blocking(move || decode_rgba(&rgba, width, height))
            .await
            .map_err(|e| IpcError::internal(&e))?;
        return Ok(report(&state, texts));
    }
    let text = app.clipboard().read_text().map_err(IpcError::clipboard)?;
    Ok(report(&state, vec![text]))
}

/// Adds what a scan found: an account, or a push token (which needs the server).
#[tauri::command]
pub async fn add_scanned(
    state: State<'_, AppState>,
    pending_id: String,
    allow_insecure: Option<bool>,
) -> Result<AddedDto, IpcError> {
    let added = match state.pending(&pending_id)? {
        Pending::Account(draft) => {
            let account = state.with_vault(|vault| vault.add(draft, clock::now_unix()))?;
            AddedDto::Account(AccountDto::from(&account))
        }
        Pending::PushEnrollment(uri) => {
            let token = enroll_push_uri(&state, &uri, allow_insecure.unwrap_or(false)).await?;
            AddedDto::PushToken(token)
        }
    };
    state.forget_pending(&pending_id);
    Ok(added)
}

fn report(state: &AppState, texts: Vec<String>) -> ScanReportDto {
    let mut report = ScanReportDto {
        items: Vec::new(),
        batch: None,
    };
    for text in &texts {
        match route(text) {
            Scanned::Account(draft) => report.items.push(account_item(state, draft)),
            Scanned::InvalidAccount(error) => report.items.push(ScanItemDto::invalid(None, error)),
            Scanned::MigrationExport(text) => match parse_migration(&text) {
                Ok(part) => {
                    report
                        .items
                        .extend(part.accounts.into_iter().map(|d| account_item(state, d)));
                    report.items.extend(
                        part.skipped
                            .into_iter()
                            .map(|s| ScanItemDto::invalid(Some(s.label), s.reason)),
                    );
                    report.batch = report.batch.or(part.batch.map(BatchDto::from));
                }
                Err(error) => report.items.push(ScanItemDto::invalid(None, error)),
            },
            Scanned::PushEnrollment(text) => report.items.push(push_item(state, text)),
            Scanned::Other(preview) => report.items.push(ScanItemDto::other(preview)),
        }
    }
    report
}

/// An account to offer: kept aside for `add_scanned`, or marked when it is here already.
fn account_item(state: &AppState, draft: AccountDraft) -> ScanItemDto {
    let (issuer, name) = (draft.issuer.clone(), draft.name.clone());
    match state.with_vault(|vault| vault.contains(&draft)) {
        Ok(true) => ScanItemDto::duplicate(issuer, name),
        // A keychain error shows when the user adds it.
        _ => ScanItemDto::account(state.keep_pending(Pending::Account(draft)), issuer, name),
    }
}

/// A push enrollment to offer, described by its issuer and serial.
fn push_item(state: &AppState, text: String) -> ScanItemDto {
    match parse_enrollment(&text) {
        Ok(enrollment) => {
            let label = format!("{} ({})", enrollment.issuer, enrollment.serial);
            ScanItemDto::push(
                state.keep_pending(Pending::PushEnrollment(text)),
                label,
                enrollment.risk(),
            )
        }
        Err(error) => ScanItemDto::invalid(None, error),
    }
}
