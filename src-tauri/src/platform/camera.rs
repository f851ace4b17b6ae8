//! The webview's own camera (`getUserMedia`), which the scanner reads frames from on Android
//! and desktop. WebKitGTK keeps media streams off and refuses every permission request no one
//! answers; Android's webview asks the system for the CAMERA permission itself.

use tauri::webview::{PermissionKind, PermissionResponse};

/// Debug and `webdriver` builds only: WebKitGTK's mock cameras instead of real devices, so
/// the camera's whole path runs on a machine without one.
const MOCK_CAMERA: &str = "POCKET_MOCK_CAMERA";

/// The answer to the webview's permission requests: the camera for the scanner (the page is
/// Pocket's own; macOS and Android still ask the user), nothing else. A default answer is
/// not safe: WebKitGTK lets a request for camera and microphone through whole when the
/// microphone's answer is left to it.
pub fn answer_permission(kind: PermissionKind) -> PermissionResponse {
    match kind {
        // Android's default is its own CAMERA prompt, which must stay the one asking.
        PermissionKind::Camera if cfg!(mobile) => PermissionResponse::Default,
        PermissionKind::Camera => PermissionResponse::Allow,
        _ => PermissionResponse::Deny,
    }
}

/// Turns the webview's media streams on where they start off (WebKitGTK).
#[cfg(target_os = "linux")]
pub fn enable<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
    use webkit2gtk::{SettingsExt, WebViewExt};
    let mock = cfg!(any(debug_assertions, feature = "webdriver"))
        && std::env::var(MOCK_CAMERA).as_deref() == Ok("1");
    let result = window.with_webview(move |webview| {
        let Some(settings) = webview.inner().settings() else {
            log::error!("the webview has no settings: the camera stays off");
            return;
        };
        settings.set_enable_media_stream(true);
        settings.set_enable_mock_capture_devices(mock);
    });
    if let Err(error) = result {
        log::error!("could not reach the webview to turn its camera on: {error}");
    }
}

#[cfg(not(target_os = "linux"))]
pub fn enable<R: tauri::Runtime>(_window: &tauri::WebviewWindow<R>) {
    let _ = MOCK_CAMERA;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_camera_is_allowed() {
        assert!(matches!(
            answer_permission(PermissionKind::Camera),
            PermissionResponse::Allow
        ));
        for kind in [
            PermissionKind::Microphone,
            PermissionKind::DisplayCapture,
            PermissionKind::Geolocation,
            PermissionKind::Notifications,
            PermissionKind::ClipboardRead,
        ] {
            assert!(
                matches!(answer_permission(kind), PermissionResponse::Deny),
                "{kind:?}"
            );
        }
    }
}
