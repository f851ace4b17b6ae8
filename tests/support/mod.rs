//! The harness for Pocket's system tests: a private X display, a private session bus with an
//! unlocked gnome-keyring under a throwaway HOME, tauri-driver with WebKitWebDriver, and the
//! real app window driven over WebDriver. Everything it starts, it stops.

pub mod app;
pub mod app_a11y;
pub mod app_accounts;
pub mod app_backups;
pub mod app_keyboard;
pub mod app_layout;
pub mod app_lock;
pub mod app_push;
pub mod app_reorder;
pub mod app_startup;
pub mod browser;
pub mod desktop;
pub mod privacyidea;
pub mod process;
pub mod reference;
pub mod shots;
pub mod tamper;
pub mod tools;

pub use app::{App, AppDriver};
pub use desktop::Desktop;

use tokio::sync::{Mutex, MutexGuard};

/// System tests share two cores; running them one at a time keeps timings (countdowns,
/// period roll-overs) honest. An async lock, as it is held across awaits.
pub async fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::const_new(());
    LOCK.lock().await
}
