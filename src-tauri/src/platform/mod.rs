//! What differs between desktop and phone builds, behind one API so callers never write cfg.

#[cfg(desktop)]
mod desktop;
#[cfg(desktop)]
pub use desktop::*;

mod camera;
pub use camera::{answer_permission, enable as enable_camera};

mod clipboard;
pub use clipboard::{ClipboardPicture, clipboard_picture};

#[cfg(target_os = "linux")]
mod unifiedpush;
#[cfg(target_os = "linux")]
pub use unifiedpush::start as start_unifiedpush;

#[cfg(mobile)]
mod phone_wakeup;
#[cfg(mobile)]
pub use phone_wakeup::start as start_unifiedpush;

/// macOS and Windows are not woken (yet): requests come while Pocket is open.
#[cfg(not(any(target_os = "linux", mobile)))]
pub fn start_unifiedpush(_: crate::runners::WakeHandler) {}

#[cfg(target_os = "android")]
mod android_wakeup;
#[cfg(mobile)]
mod mobile;
#[cfg(mobile)]
pub use mobile::*;

/// One captured display, as RGBA pixels.
pub struct Capture {
    pub rgba: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// iOS scans with the system's own camera scanner (tauri-plugin-barcode-scanner, Apple's
/// Vision code, no Google); Android and desktop read the webview's camera frames in Rust.
pub const NATIVE_CAMERA: bool = cfg!(target_os = "ios");

/// Android's IPC carries no raw bodies (Tauri sends them as JSON).
pub const BINARY_IPC: bool = cfg!(not(target_os = "android"));

/// Only Android's settings page is opened from Rust (iOS's through the scanner plugin).
pub const CAN_OPEN_APP_SETTINGS: bool = cfg!(target_os = "android");
