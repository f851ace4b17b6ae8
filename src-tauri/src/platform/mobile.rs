//! Phones: the camera scans through tauri-plugin-barcode-scanner in the UI; apps cannot
//! capture the screen.

use super::Capture;

pub const CAN_CAPTURE_SCREEN: bool = false;

pub fn capture_screens() -> Result<Vec<Capture>, String> {
    Err("screen capture is not available on phones".to_string())
}
