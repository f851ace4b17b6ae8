//! Scanning: the screen, an image file, the clipboard, camera frames, text the user pasted
//! or iOS's scanner read. pocket-core reads and sorts what was found; accounts and push enrollments wait on
//! this side until the user adds them, and only their descriptions cross to the webview.

use std::sync::atomic::{AtomicBool, Ordering};

use base64::Engine;
use pocket_core::clock;
use pocket_core::flows::RegistrationChoices;
use pocket_core::scan::{
    FRAME_MAX_SIDE, ScanItem, classify, decode_frame, decode_image_file, decode_rgba,
};
use tauri::ipc::{InvokeBody, Request};
use tauri::{AppHandle, Runtime, State, WebviewWindow};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::commands::containers::register;
use crate::commands::push::enroll_push_uri;
use crate::dto::{
    AccountDto, AddedDto, BatchDto, FramePlanDto, OfferableDto, RiskDto, ScanCapabilitiesDto,
    ScanItemDto, ScanReportDto,
};
use crate::error::IpcError;
use crate::platform::{self, ClipboardPicture};
use crate::state::{AppState, Pending};

#[tauri::command]
pub fn scan_capabilities() -> ScanCapabilitiesDto {
    ScanCapabilitiesDto {
        screen: platform::CAN_CAPTURE_SCREEN,
        native_camera: platform::NATIVE_CAMERA,
        app_settings: platform::CAN_OPEN_APP_SETTINGS,
        binary_frames: platform::BINARY_IPC,
        frames: FramePlanDto::new(),
    }
}

/// Opens Pocket's page in the phone's settings, where a camera refused for good is allowed.
#[tauri::command]
pub fn open_app_settings<R: Runtime>(window: WebviewWindow<R>) -> Result<(), IpcError> {
    platform::open_app_settings(&window).map_err(|error| IpcError::internal(&error))
}

/// Reads one camera frame: 8-bit luminance, already reduced to the size the scan
/// capabilities give, its size in the `x-frame-width` and `x-frame-height` headers. `None`
/// while no code is in view; the first code found is classified as any scan is. The UI
/// sends a frame only after the previous one's answer, so one that comes while another is
/// read is dropped unread (`None`).
#[tauri::command]
pub async fn scan_frame(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<Option<ScanReportDto>, IpcError> {
    let dimension = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<u32>().ok())
            .ok_or(pocket_core::Error::ImageUnreadable)
    };
    let (width, height) = (dimension("x-frame-width")?, dimension("x-frame-height")?);
    if width > FRAME_MAX_SIDE || height > FRAME_MAX_SIDE {
        return Err(pocket_core::Error::ImageTooLarge.into());
    }
    let Some(reading) = ReadingFrame::start() else {
        return Ok(None);
    };
    let luma = frame_bytes(request.body(), width as usize * height as usize)?;
    let found = tauri::async_runtime::spawn_blocking(move || {
        let _reading = reading;
        decode_frame(&luma, width, height)
    })
    .await
    .map_err(|e| IpcError::internal(&e))??;
    match found {
        Some(text) => Ok(Some(report(&state, vec![text]).await?)),
        None => Ok(None),
    }
}

/// While a frame is read; the next may come once it is dropped.
struct ReadingFrame;

static READING_FRAME: AtomicBool = AtomicBool::new(false);

impl ReadingFrame {
    fn start() -> Option<ReadingFrame> {
        READING_FRAME
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .ok()
            .map(|_| ReadingFrame)
    }
}

impl Drop for ReadingFrame {
    fn drop(&mut self) {
        READING_FRAME.store(false, Ordering::Release);
    }
}

/// A frame's `pixels` bytes: the raw body, or on Android, whose IPC carries no raw bodies,
/// base64 text under `frame` (a third of the size of the JSON number array Tauri would send),
/// its length checked before it is decoded.
fn frame_bytes(body: &InvokeBody, pixels: usize) -> Result<Vec<u8>, IpcError> {
    let bytes = match body {
        InvokeBody::Raw(bytes) => (bytes.len() == pixels).then(|| bytes.clone()),
        InvokeBody::Json(value) => value
            .get("frame")
            .and_then(serde_json::Value::as_str)
            .filter(|text| text.len() == pixels.div_ceil(3) * 4)
            .and_then(|text| base64::engine::general_purpose::STANDARD.decode(text).ok()),
    };
    bytes.ok_or_else(|| pocket_core::Error::ImageUnreadable.into())
}

/// Captures every display and reads the QR codes on them.
#[tauri::command]
pub async fn scan_screen(state: State<'_, AppState>) -> Result<ScanReportDto, IpcError> {
    // Capturing and decoding take a moment: off the main thread, so the window stays live.
    let texts = tauri::async_runtime::spawn_blocking(|| {
        let captures = platform::capture_screens().map_err(IpcError::screen_capture)?;
        let mut texts = Vec::new();
        for capture in &captures {
            texts.extend(decode_rgba(&capture.rgba, capture.width, capture.height)?);
        }
        Ok::<_, IpcError>(texts)
    })
    .await
    .map_err(|e| IpcError::internal(&e))??;
    report(&state, texts).await
}

/// Reads the QR codes in a PNG or JPEG file, sent as the request body.
#[tauri::command]
pub async fn scan_image(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<ScanReportDto, IpcError> {
    let bytes = file_bytes(request.body())?;
    let texts = tauri::async_runtime::spawn_blocking(move || decode_image_file(&bytes))
        .await
        .map_err(|e| IpcError::internal(&e))??;
    report(&state, texts).await
}

/// A file's bytes as the webview sent them: the raw body on desktop; on Android, whose IPC
/// carries no raw bodies, the same bytes as a JSON array of numbers.
fn file_bytes(body: &InvokeBody) -> Result<Vec<u8>, IpcError> {
    let bytes = match body {
        InvokeBody::Raw(bytes) => Some(bytes.clone()),
        InvokeBody::Json(numbers @ serde_json::Value::Array(_)) => {
            serde::Deserialize::deserialize(numbers).ok()
        }
        InvokeBody::Json(_) => None,
    };
    bytes.ok_or_else(|| pocket_core::Error::ImageUnreadable.into())
}

/// Text from the camera, or pasted (a link, or a Google export link): read like a scanned
/// code. "Paste link" comes here too, so a link means the same wherever it is given.
#[tauri::command]
pub async fn scan_text(
    state: State<'_, AppState>,
    text: String,
) -> Result<ScanReportDto, IpcError> {
    report(&state, vec![text]).await
}

/// Whatever the clipboard holds: a picture with QR codes, or text.
#[tauri::command]
pub async fn scan_clipboard<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<ScanReportDto, IpcError> {
    let texts = match platform::clipboard_picture(&app).await? {
        None => vec![app.clipboard().read_text().map_err(IpcError::clipboard)?],
        Some(picture) => tauri::async_runtime::spawn_blocking(move || match picture {
            ClipboardPicture::File(bytes) => decode_image_file(&bytes),
            ClipboardPicture::Pixels(p) => decode_rgba(&p.rgba, p.width, p.height),
        })
        .await
        .map_err(|e| IpcError::internal(&e))??,
    };
    report(&state, texts).await
}

/// Adds what a scan found: an account, or a push token (which needs the server).
#[tauri::command]
pub async fn add_scanned(
    state: State<'_, AppState>,
    pending_id: String,
    allow_insecure: Option<bool>,
    passphrase: Option<String>,
    offer: Option<Vec<String>>,
) -> Result<AddedDto, IpcError> {
    let added = match state.pending(&pending_id)? {
        Pending::Account(draft) => {
            let account = state
                .with_vault(move |vault| vault.add(draft, clock::now_unix()))
                .await?;
            AddedDto::Account(AccountDto::from(&account))
        }
        Pending::PushEnrollment(uri) => AddedDto::PushToken(
            enroll_push_uri(&state, &uri, allow_insecure.unwrap_or(false)).await?,
        ),
        Pending::ContainerRegistration(link) => AddedDto::Container(
            register(
                &state,
                &link,
                RegistrationChoices {
                    passphrase: passphrase.as_deref(),
                    allow_insecure: allow_insecure.unwrap_or(false),
                    offer: offer.as_deref().unwrap_or_default(),
                },
            )
            .await?,
        ),
    };
    state.forget_pending(&pending_id);
    Ok(added)
}

/// pocket-core's report, with what may be added kept here under handles.
async fn report(state: &AppState, texts: Vec<String>) -> Result<ScanReportDto, IpcError> {
    // Without a vault (it could not be opened) nothing is known yet; adding says why.
    let (report, mut offerable) = match state.shared_vault() {
        Ok(_) => {
            state
                .with_vault(move |vault| {
                    let report = classify(&texts, |draft| vault.contains(draft));
                    // Per container, what it may be offered; the rest are empty.
                    let offerable = report
                        .items
                        .iter()
                        .map(|item| match item {
                            ScanItem::Container { issuer, .. } => vault.offerable_accounts(issuer),
                            _ => Ok(Vec::new()),
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok((report, offerable))
                })
                .await?
        }
        Err(_) => (classify(&texts, |_| Ok(false)), Vec::new()),
    };
    offerable.resize_with(report.items.len(), Vec::new);
    let items = report
        .items
        .into_iter()
        .zip(offerable)
        .map(|(item, offerable)| match item {
            ScanItem::Account(draft) => {
                let (issuer, name) = (draft.issuer.clone(), draft.name.clone());
                ScanItemDto::Account {
                    pending_id: state.keep_pending(Pending::Account(draft)),
                    issuer,
                    name,
                }
            }
            ScanItem::Duplicate { issuer, name } => ScanItemDto::Duplicate { issuer, name },
            ScanItem::Invalid { label, error } => ScanItemDto::Invalid {
                name: label,
                error: error.into(),
            },
            ScanItem::Push { text, label, risk } => ScanItemDto::Push {
                pending_id: state.keep_pending(Pending::PushEnrollment(text)),
                name: label,
                risk: risk.map(RiskDto::from),
            },
            ScanItem::Container {
                text,
                label,
                host,
                risk,
                passphrase_prompt,
                sends_passphrase,
                ..
            } => ScanItemDto::Container {
                pending_id: state.keep_pending(Pending::ContainerRegistration(text)),
                name: label,
                host,
                sends_passphrase,
                risk: risk.map(RiskDto::from),
                passphrase_prompt,
                offerable: offerable.into_iter().map(OfferableDto::from).collect(),
            },
            ScanItem::Other(preview) => ScanItemDto::Other { preview },
        })
        .collect();
    Ok(ScanReportDto {
        items,
        batch: report.batch.map(BatchDto::from),
    })
}

#[cfg(test)]
mod tests {
    use super::ReadingFrame;

    #[test]
    fn one_frame_is_read_at_a_time() {
        let first = ReadingFrame::start().expect("nothing is read yet");
        assert!(ReadingFrame::start().is_none(), "a second frame meanwhile");
        drop(first);
        assert!(
            ReadingFrame::start().is_some(),
            "the next frame once it is read"
        );
    }
}
