//! The app lock: its state for the lock screen, unlocking, locking now, the user's activity,
//! and setting or removing the lock. Only `lock_status`, `unlock`, `lock_now` and
//! `note_activity` run while locked.

use pocket_core::clock;
use pocket_core::lock::LockMethod;
use pocket_core::settings::{Settings, set_lock_method};
use tauri::{AppHandle, Runtime, State};

use crate::dto::{LockStatusDto, SettingsDto};
use crate::error::IpcError;
use crate::lock::report;
use crate::state::AppState;
use crate::user_check::check_user;

#[tauri::command]
pub async fn lock_status(state: State<'_, AppState>) -> Result<LockStatusDto, IpcError> {
    pocket_startup::report::note_step("app:lock-status-began");
    let settings = state.settings().await?;
    let attempts = state
        .with_vault(|vault| pocket_core::lock::unlock_attempts(vault))
        .await
        .unwrap_or_default();
    Ok(LockStatusDto {
        locked: state.lock.is_locked(),
        method: settings.lock,
        wait_seconds: attempts.wait_at(clock::now_unix()),
        request_waiting: state.lock.request_waiting(),
        language: settings.language,
        theme: settings.theme,
    })
}

/// Opens the lock with the passcode (desktop) or the phone's own check.
#[tauri::command]
pub async fn unlock<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    passcode: Option<String>,
    reason: String,
) -> Result<(), IpcError> {
    if !state.lock.is_locked() {
        return Ok(());
    }
    check_user(&app, &state, passcode, reason).await?;
    state.lock.open();
    report(&app, false);
    Ok(())
}

#[tauri::command]
pub fn lock_now<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) {
    if state.lock.enabled() {
        state.lock.lock();
        report(&app, true);
    }
}

/// The user did something in the window: the idle time starts again.
#[tauri::command]
pub fn note_activity(state: State<'_, AppState>) {
    state.lock.touch();
}

/// Sets the Pocket passcode (desktop), or changes it with the current one.
#[tauri::command]
pub async fn set_passcode<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    current: Option<String>,
    passcode: String,
    reason: String,
) -> Result<SettingsDto, IpcError> {
    if crate::platform::LOCK_KIND != LockMethod::Passcode {
        return Err(wrong_kind(
            "passcode",
            "this device locks with its own check",
        ));
    }
    if state.settings().await?.lock != LockMethod::Off {
        check_user(&app, &state, current, reason).await?;
    }
    let vault = state.shared_vault()?;
    let passcode = zeroize::Zeroizing::new(passcode);
    tauri::async_runtime::spawn_blocking(move || {
        pocket_core::lock::set_passcode(&vault, &passcode)
    })
    .await
    .map_err(|e| IpcError::internal(&e))??;
    set_method(&state, LockMethod::Passcode).await
}

/// Turns on the phone's own check as the lock, after it passes once.
#[tauri::command]
pub async fn set_device_lock<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    reason: String,
) -> Result<SettingsDto, IpcError> {
    if crate::platform::LOCK_KIND != LockMethod::Device {
        return Err(wrong_kind("lock", "this device has no check of its own"));
    }
    check_user(&app, &state, None, reason).await?;
    set_method(&state, LockMethod::Device).await
}

/// Removes the lock, after the user's check.
#[tauri::command]
pub async fn remove_lock<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    passcode: Option<String>,
    reason: String,
) -> Result<SettingsDto, IpcError> {
    if state.settings().await?.lock == LockMethod::Off {
        return Ok(state.settings().await?.into());
    }
    check_user(&app, &state, passcode, reason).await?;
    state
        .with_vault(|vault| pocket_core::lock::set_passcode_verifier(vault, None))
        .await?;
    set_method(&state, LockMethod::Off).await
}

async fn set_method(state: &AppState, method: LockMethod) -> Result<SettingsDto, IpcError> {
    let settings: Settings = state
        .with_vault(move |vault| {
            set_lock_method(vault, method)?;
            Settings::read(vault)
        })
        .await?;
    state.lock.configure(&settings);
    Ok(settings.into())
}

fn wrong_kind(param: &'static str, reason: &str) -> IpcError {
    pocket_core::Error::InvalidParameter {
        param,
        reason: reason.into(),
    }
    .into()
}
