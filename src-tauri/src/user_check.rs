//! The unlock step: the Pocket passcode on desktop, the phone's own check on phones, before
//! what the lock guards.

use pocket_core::lock::LockMethod;
use tauri::{AppHandle, Runtime};

use crate::state::AppState;

/// With a lock set, checks the user before what hands out every secret or changes where
/// they go (an export, the backup password or folder, moving a container); with none, there
/// is nothing to check against.
pub async fn check_user_if_locking<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    passcode: Option<String>,
    reason: String,
) -> Result<(), crate::error::IpcError> {
    if state.lock.enabled() {
        check_user(app, state, passcode, reason).await?;
    }
    Ok(())
}

/// Checks the user before what the lock guards (unlocking, an Accept, changing the lock): the
/// Pocket passcode on desktop, the phone's own check on phones.
pub async fn check_user<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    passcode: Option<String>,
    reason: String,
) -> Result<(), crate::error::IpcError> {
    use pocket_core::Error;
    if crate::platform::LOCK_KIND == LockMethod::Passcode {
        let vault = state.shared_vault()?;
        let passcode = zeroize::Zeroizing::new(passcode.ok_or(Error::WrongPasscode)?);
        let checked = tauri::async_runtime::spawn_blocking(move || {
            pocket_core::lock::try_passcode(&vault, &passcode, pocket_core::clock::now_unix())
        })
        .await
        .map_err(|e| crate::error::IpcError::internal(&e))?;
        return match checked {
            // A server demands the step, and no passcode was ever set.
            Err(Error::NoPasscode) => Err(Error::UnlockRequired.into()),
            other => other.map_err(Into::into),
        };
    }
    let _checking = state.lock.checking();
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || crate::platform::device_check(&app, reason))
        .await
        .map_err(|e| crate::error::IpcError::internal(&e))?
        .map_err(|why| Error::UnlockFailed(why).into())
}
