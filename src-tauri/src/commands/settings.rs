//! Settings: read and change them, and About (the version and the bundled libraries'
//! licences).

use pocket_core::settings::{Settings, SettingsChange, change, weakens};
use tauri::{AppHandle, Runtime, State};

use crate::dto::{AboutDto, LicenceDto, SettingsChangeInput, SettingsDto};
use crate::error::IpcError;
use crate::state::AppState;

/// The bundled Rust crates and UI packages with their licences, written by `make licences`
/// (a test fails when it is stale).
const LICENCES: &str = include_str!("../../licences.json");

#[tauri::command]
pub async fn get_settings(state: State<'_, AppState>) -> Result<SettingsDto, IpcError> {
    Ok(state.settings().await?.into())
}

/// Changes the settings; one that weakens a set lock (no confirmation of approvals, a longer
/// idle time) first passes the unlock step: `passcode` on desktop.
#[tauri::command]
pub async fn update_settings<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    settings: SettingsChangeInput,
    passcode: Option<String>,
    reason: String,
) -> Result<SettingsDto, IpcError> {
    let settings = SettingsChange::from(settings);
    if weakens(&state.settings().await?, &settings) {
        crate::user_check::check_user(&app, &state, passcode, reason).await?;
    }
    let changed: Settings = state
        .with_vault(move |vault| change(vault, &settings))
        .await?;
    state.lock.configure(&changed);
    Ok(changed.into())
}

#[tauri::command]
pub fn about() -> Result<AboutDto, IpcError> {
    let licences: Vec<LicenceDto> =
        serde_json::from_str(LICENCES).map_err(|e| IpcError::internal(&e))?;
    Ok(AboutDto {
        version: env!("CARGO_PKG_VERSION").to_string(),
        licences,
    })
}
