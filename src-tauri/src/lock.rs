//! The app lock as the running app holds it: pocket-core's gate behind a mutex, whether a login
//! request came while shut, and the watcher that shuts it when the idle time runs out and
//! tells the UI. Which commands stay open while shut is decided in `commands::handler`.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use pocket_core::lock::{Gate, Moment};
use pocket_core::settings::{LockMethod, Settings};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::events;
use crate::state::AppState;

pub struct AppLock {
    gate: Mutex<Gate>,
    /// A login request arrived while shut: the lock screen says one is waiting.
    request_waiting: AtomicBool,
    /// How many of the phone's own checks are on screen: the app going to the background for
    /// one must not shut the gate it is about to open.
    checking: AtomicUsize,
}

/// What the UI is told when the gate shuts or opens.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LockChangedDto {
    pub locked: bool,
}

impl AppLock {
    pub fn at_start(settings: Option<&Settings>) -> AppLock {
        let (enabled, idle) = settings.map_or((false, None), |s| {
            (s.lock != LockMethod::Off, s.idle_limit())
        });
        AppLock {
            gate: Mutex::new(Gate::at_start(enabled, idle, Moment::now())),
            request_waiting: AtomicBool::new(false),
            checking: AtomicUsize::new(0),
        }
    }

    fn gate(&self) -> std::sync::MutexGuard<'_, Gate> {
        self.gate.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn is_locked(&self) -> bool {
        self.gate().is_locked(Moment::now())
    }

    pub fn touch(&self) {
        self.gate().touch(Moment::now());
    }

    pub fn lock(&self) {
        self.gate().lock();
    }

    /// Shuts the gate because the app went to the background, unless the phone's own check
    /// is what took it there; true when it shut.
    #[cfg(mobile)]
    pub fn backgrounded(&self) -> bool {
        if self.checking.load(Ordering::SeqCst) == 0 && self.enabled() {
            self.lock();
            return true;
        }
        false
    }

    pub fn open(&self) {
        self.gate().open(Moment::now());
    }

    pub fn configure(&self, settings: &Settings) {
        self.gate().configure(
            settings.lock != LockMethod::Off,
            settings.idle_limit(),
            Moment::now(),
        );
    }

    pub fn enabled(&self) -> bool {
        self.gate().enabled()
    }

    pub fn note_request_waiting(&self) {
        self.request_waiting.store(true, Ordering::SeqCst);
    }

    pub fn request_waiting(&self) -> bool {
        self.request_waiting.load(Ordering::SeqCst)
    }

    pub fn clear_request_waiting(&self) {
        self.request_waiting.store(false, Ordering::SeqCst);
    }

    /// Marks one of the phone's own checks as on screen until the guard is dropped.
    pub fn checking(&self) -> impl Drop + '_ {
        self.checking.fetch_add(1, Ordering::SeqCst);
        CheckingGuard(&self.checking)
    }
}

struct CheckingGuard<'a>(&'a AtomicUsize);

impl Drop for CheckingGuard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Tells the UI whenever the gate shuts or opens, checking each second (the idle time runs
/// out without any call); when it shuts, the secrets read so far leave memory.
pub fn watch<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        let mut was_locked = None;
        loop {
            let state = app.state::<AppState>();
            let locked = state.lock.is_locked();
            if was_locked != Some(locked) {
                if locked {
                    state.forget_any_picked();
                    if let Ok(vault) = state.shared_vault() {
                        pocket_core::vault::lock(&vault).forget_secrets();
                    }
                }
                if was_locked.is_some() {
                    let dto = LockChangedDto { locked };
                    if let Err(error) = app.emit(events::LOCK_CHANGED, dto) {
                        log::error!("could not report the lock: {error}");
                    }
                }
                was_locked = Some(locked);
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
}

/// Reports a change the app made itself (unlocked, locked by the user) at once.
pub fn report<R: Runtime>(app: &AppHandle<R>, locked: bool) {
    if let Err(error) = app.emit(events::LOCK_CHANGED, LockChangedDto { locked }) {
        log::error!("could not report the lock: {error}");
    }
}

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
