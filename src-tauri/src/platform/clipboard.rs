//! A picture on the clipboard. On Linux Pocket takes the picture's file bytes (PNG or JPEG)
//! through GTK, so its own decoder checks the size in the header before any pixel is decoded;
//! the clipboard plugin would decode the whole picture first, up to half a gigabyte. Elsewhere
//! the plugin's pixels are the only form on offer.

use std::time::Duration;

use tauri::{AppHandle, Runtime};

use super::Capture;
use crate::error::IpcError;

/// A picture the clipboard holds.
pub enum ClipboardPicture {
    /// The bytes of a PNG or JPEG file, not yet decoded.
    File(Vec<u8>),
    /// Pixels another layer has already decoded.
    #[cfg_attr(target_os = "linux", allow(dead_code))]
    Pixels(Capture),
}

/// How long the app that owns the clipboard has to hand its picture over.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
const OWNER_ANSWERS_WITHIN: Duration = Duration::from_secs(5);

/// The file types Pocket's decoder reads, in the order asked for.
#[cfg(target_os = "linux")]
const PICTURE_TYPES: [&str; 2] = ["image/png", "image/jpeg"];

/// The clipboard's picture, or `None` when it holds no picture Pocket reads.
#[cfg(target_os = "linux")]
pub async fn clipboard_picture<R: Runtime>(
    app: &AppHandle<R>,
) -> Result<Option<ClipboardPicture>, IpcError> {
    use gtk::gdk;

    let (sender, receiver) = tokio::sync::oneshot::channel();
    // GTK's clipboard lives on the main thread; the answer comes back through its main loop.
    app.run_on_main_thread(move || {
        let clipboard = gtk::Clipboard::get(&gdk::SELECTION_CLIPBOARD);
        clipboard.request_contents(&gdk::Atom::intern("TARGETS"), move |clipboard, offered| {
            let offered = offered.targets().unwrap_or_default();
            let wanted = PICTURE_TYPES
                .iter()
                .find_map(|name| offered.iter().find(|target| target.name() == *name));
            let Some(target) = wanted else {
                let _ = sender.send(None);
                return;
            };
            clipboard.request_contents(target, move |_, data| {
                let bytes = (data.length() > 0).then(|| data.data());
                let _ = sender.send(bytes);
            });
        });
    })
    .map_err(IpcError::clipboard)?;
    match tokio::time::timeout(OWNER_ANSWERS_WITHIN, receiver).await {
        Ok(Ok(bytes)) => Ok(bytes.map(ClipboardPicture::File)),
        Ok(Err(_)) => Err(IpcError::clipboard("the clipboard request was dropped")),
        Err(_) => Err(IpcError::clipboard("the clipboard's owner did not answer")),
    }
}

/// The clipboard's picture, or `None` when it holds no picture.
#[cfg(not(target_os = "linux"))]
pub async fn clipboard_picture<R: Runtime>(
    app: &AppHandle<R>,
) -> Result<Option<ClipboardPicture>, IpcError> {
    use tauri_plugin_clipboard_manager::ClipboardExt;

    let Ok(image) = app.clipboard().read_image() else {
        return Ok(None);
    };
    // Checked before the pixels are copied.
    pocket_core::scan::check_picture_size(image.width(), image.height())?;
    Ok(Some(ClipboardPicture::Pixels(Capture {
        rgba: image.rgba().to_vec(),
        width: image.width(),
        height: image.height(),
    })))
}
