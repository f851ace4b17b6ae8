//! Desktop: screen capture for "Scan screen" (X11, Wayland through the portal, macOS, Windows),
//! and the Pocket passcode as the app lock (desktops have no biometrics Pocket can ask).

use pocket_core::lock::LockMethod;

use super::Capture;

pub const CAN_CAPTURE_SCREEN: bool = true;

pub const LOCK_KIND: LockMethod = LockMethod::Passcode;

/// Desktops have no check of their own that Pocket asks; the passcode stands in.
pub fn device_check<R: tauri::Runtime>(
    _app: &tauri::AppHandle<R>,
    _reason: String,
) -> Result<(), String> {
    Err("this device has no unlock check of its own".into())
}

/// The desktop window's content shows nothing while locked (the list is cleared); there is no
/// system-wide screenshot block to set.
pub fn protect_window<R: tauri::Runtime>(_window: &tauri::WebviewWindow<R>) {}

/// Desktops have no per-app settings page to open.
pub fn open_app_settings<R: tauri::Runtime>(
    _window: &tauri::WebviewWindow<R>,
) -> Result<(), String> {
    Err("desktops have no app settings page".into())
}

/// Every display, captured now.
pub fn capture_screens() -> Result<Vec<Capture>, String> {
    let monitors = xcap::Monitor::all().map_err(|e| e.to_string())?;
    let mut captures = Vec::with_capacity(monitors.len());
    for monitor in monitors {
        let image = monitor.capture_image().map_err(|e| e.to_string())?;
        let (width, height) = image.dimensions();
        captures.push(Capture {
            rgba: image.into_raw(),
            width,
            height,
        });
    }
    Ok(captures)
}
