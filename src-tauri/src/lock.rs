//! The app lock as the running app holds it: pocket-core's gate behind a mutex, and whether a
//! login request came while shut. Its watcher is a runner (`runners/lock.rs`), the check of
//! the user `user_check.rs`; which commands stay open while shut is decided in
//! `commands::handler`.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use pocket_core::lock::{Gate, LockMethod, Moment};
use pocket_core::settings::Settings;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime};

use crate::events;

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

/// Reports a change the app made itself (unlocked, locked by the user) at once.
pub fn report<R: Runtime>(app: &AppHandle<R>, locked: bool) {
    if let Err(error) = app.emit(events::LOCK_CHANGED, LockChangedDto { locked }) {
        log::error!("could not report the lock: {error}");
    }
}
