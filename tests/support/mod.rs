//! The harness for Pocket's system tests: a private X display, a private session bus with an
//! unlocked gnome-keyring under a throwaway HOME, tauri-driver with WebKitWebDriver, and the
//! real app window driven over WebDriver. Everything it starts, it stops; every wait has a
//! deadline (`deadline`), and one that passes says which step it was (`error`).

pub mod app;
pub mod app_a11y;
pub mod app_accounts;
pub mod app_backups;
pub mod app_density;
pub mod app_keyboard;
pub mod app_layout;
pub mod app_lock;
pub mod app_push;
pub mod app_reorder;
pub mod app_startup;
pub mod atspi;
pub mod bridge_replies;
pub mod browser;
pub mod camera_bridge;
pub mod chromium_tree;
pub mod deadline;
pub mod desktop;
pub mod distributor;
pub mod error;
pub mod gen_device;
pub mod http;
pub mod privacyidea;
pub mod privacyidea_setup;
pub mod process;
pub mod push_services;
pub mod reaper;
pub mod reference;
pub mod relay;
pub mod report;
pub mod screen_reader;
pub mod shots;
pub mod tamper;
pub mod time_server;
pub mod tools;
pub mod webdriver;

pub use app::{App, AppDriver};
pub use desktop::Desktop;

use tokio::sync::{Mutex, MutexGuard};

/// System tests share two cores; running them one at a time keeps timings (countdowns,
/// period roll-overs) honest. nextest runs each test in a process of its own and keeps them
/// apart with a test group (.config/nextest.toml); under plain `cargo test`, which runs a
/// binary's tests on threads, this lock does. An async lock, as it is held across awaits.
pub async fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::const_new(());
    LOCK.lock().await
}
