//! Desktop: screen capture for "Scan screen" (X11, Wayland through the portal, macOS, Windows).

use super::Capture;

pub const CAN_CAPTURE_SCREEN: bool = true;

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
