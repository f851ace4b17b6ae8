//! What differs between desktop and phone builds, behind one API so callers never write cfg.

#[cfg(desktop)]
mod desktop;
#[cfg(desktop)]
pub use desktop::*;

mod clipboard;
pub use clipboard::{ClipboardPicture, clipboard_picture};

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
