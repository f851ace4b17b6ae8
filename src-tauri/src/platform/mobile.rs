//! Phones: apps cannot capture the screen; iOS scans through tauri-plugin-barcode-scanner
//! in the UI, Android through the webview's camera (`platform::camera`). The app lock is the phone's own check (biometrics, with the phone's
//! passcode as the fallback) through tauri-plugin-biometric, and on Android the window is
//! kept out of screenshots and the recent-apps preview (FLAG_SECURE).

use pocket_core::lock::LockMethod;

use super::Capture;

pub const CAN_CAPTURE_SCREEN: bool = false;

pub const LOCK_KIND: LockMethod = LockMethod::Device;

pub fn capture_screens() -> Result<Vec<Capture>, String> {
    Err("screen capture is not available on phones".to_string())
}

/// Asks the phone to check its user: biometrics, or the phone's passcode instead. Blocks
/// until the user has answered: call it off the main thread.
pub fn device_check<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
    reason: String,
) -> Result<(), String> {
    use tauri_plugin_biometric::{AuthOptions, BiometricExt};
    let options = AuthOptions {
        allow_device_credential: true,
        title: Some(reason.clone()),
        ..Default::default()
    };
    app.biometric()
        .authenticate(reason, options)
        .map_err(|error| error.to_string())
}

/// Android's FLAG_SECURE on the activity's window: no screenshots, no screen recording, a
/// blank preview in recent apps.
#[cfg(target_os = "android")]
pub fn protect_window<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
    const FLAG_SECURE: i32 = 0x2000;
    let result = window.with_webview(|webview| {
        webview.jni_handle().exec(|env, activity, _webview| {
            let set = (|| -> jni::errors::Result<()> {
                let window = env
                    .call_method(activity, "getWindow", "()Landroid/view/Window;", &[])?
                    .l()?;
                env.call_method(
                    &window,
                    "addFlags",
                    "(I)V",
                    &[jni::objects::JValue::Int(FLAG_SECURE)],
                )?;
                Ok(())
            })();
            if let Err(error) = set {
                let _ = env.exception_clear();
                log::error!("could not keep the window out of screenshots: {error}");
            }
        })
    });
    if let Err(error) = result {
        log::error!("could not reach the window to protect it: {error}");
    }
}

/// Opens Pocket's page in Android's settings (where a camera refused for good is allowed
/// again). The activity starts it on its own thread; a failure is logged there.
#[cfg(target_os = "android")]
pub fn open_app_settings<R: tauri::Runtime>(
    window: &tauri::WebviewWindow<R>,
) -> Result<(), String> {
    use jni::objects::{JObject, JValue};
    window
        .with_webview(|webview| {
            webview.jni_handle().exec(|env, activity, _webview| {
                let open = (|| -> jni::errors::Result<()> {
                    let package = env
                        .call_method(activity, "getPackageName", "()Ljava/lang/String;", &[])?
                        .l()?;
                    let scheme = env.new_string("package")?;
                    let uri = env
                        .call_static_method(
                            "android/net/Uri",
                            "fromParts",
                            "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;)Landroid/net/Uri;",
                            &[
                                JValue::Object(&scheme),
                                JValue::Object(&package),
                                JValue::Object(&JObject::null()),
                            ],
                        )?
                        .l()?;
                    let action = env.new_string("android.settings.APPLICATION_DETAILS_SETTINGS")?;
                    let intent = env.new_object(
                        "android/content/Intent",
                        "(Ljava/lang/String;Landroid/net/Uri;)V",
                        &[JValue::Object(&action), JValue::Object(&uri)],
                    )?;
                    env.call_method(
                        activity,
                        "startActivity",
                        "(Landroid/content/Intent;)V",
                        &[JValue::Object(&intent)],
                    )?;
                    Ok(())
                })();
                if let Err(error) = open {
                    let _ = env.exception_clear();
                    log::error!("could not open the app's settings: {error}");
                }
            })
        })
        .map_err(|error| error.to_string())
}

/// iOS's settings page opens through the scanner plugin, in the UI.
#[cfg(not(target_os = "android"))]
pub fn open_app_settings<R: tauri::Runtime>(
    _window: &tauri::WebviewWindow<R>,
) -> Result<(), String> {
    Err("iOS opens its settings through the scanner plugin".into())
}

/// iOS has no screenshot block for apps; the lock clears the list before the app is
/// backgrounded, so the app switcher's snapshot shows the lock screen.
#[cfg(not(target_os = "android"))]
pub fn protect_window<R: tauri::Runtime>(_window: &tauri::WebviewWindow<R>) {}
