//! Pocket's wake-ups on phones, the platform's side. Android: UnifiedPush's connector library
//! (any distributor the user installed; no Google) registers, keeps the Web Push keys and
//! decrypts, and store builds add FCM; this plugin hands the channel and every message to
//! Rust, which decides everything else (pocket-core's flows); while Pocket is not running the
//! plugin's services ask Rust through JNI what to show (`WakeUpCheck`). iOS: APNs, whose
//! device token this plugin hands over; the system shows the relay's alert itself.

use serde::Deserialize;
#[cfg(mobile)]
use serde::Serialize;

#[cfg(target_os = "ios")]
tauri::ios_plugin_binding!(init_plugin_pocket_wakeup);
use tauri::Runtime;
use tauri::plugin::{Builder, TauriPlugin};

/// What the push library reports, as the plugin sends it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WakeEvent {
    /// The distributor's endpoint, with the Web Push keys the library made (base64url).
    Endpoint {
        endpoint: String,
        p256dh: String,
        auth: String,
    },
    /// A message the library decrypted, its plaintext in standard base64.
    Message { plaintext: String },
    /// The distributor dropped Pocket.
    Unregistered,
    /// An FCM registration token (Android store builds).
    Fcm { token: String },
    /// An APNs device token, hex (iOS).
    Apns { token: String, development: bool },
    /// Registration failed (no distributor, or the distributor's reason).
    Failed { reason: String },
}

/// What `start` passes: where the vault's database is (the push service reads it while the
/// app is not running) and the channel events come back on.
#[cfg(mobile)]
#[derive(Serialize)]
struct StartArgs<C> {
    database: String,
    channel: C,
}

pub fn init<R: Runtime>() -> TauriPlugin<R> {
    Builder::new("pocket-wakeup")
        .setup(|_app, _api| {
            #[cfg(mobile)]
            {
                use tauri::Manager;
                #[cfg(target_os = "android")]
                let handle =
                    _api.register_android_plugin("app.pocketauth.wakeup", "WakeupPlugin")?;
                #[cfg(target_os = "ios")]
                let handle = _api.register_ios_plugin(init_plugin_pocket_wakeup)?;
                _app.manage(Wakeup(handle));
            }
            Ok(())
        })
        .build()
}

/// The plugin in the app's state (phones).
#[cfg(mobile)]
pub struct Wakeup<R: Runtime>(tauri::plugin::PluginHandle<R>);

#[cfg(mobile)]
impl<R: Runtime> Wakeup<R> {
    /// Registers with the platform's push service (the user's distributor, FCM, APNs);
    /// `on_event` hears it from now on.
    pub fn start(
        &self,
        database: &std::path::Path,
        on_event: impl Fn(WakeEvent) + Send + Sync + 'static,
    ) -> Result<(), tauri::plugin::mobile::PluginInvokeError> {
        let channel: tauri::ipc::Channel<serde_json::Value> =
            tauri::ipc::Channel::new(move |body| {
                if let tauri::ipc::InvokeResponseBody::Json(text) = body
                    && let Ok(event) = serde_json::from_str(&text)
                {
                    on_event(event);
                }
                Ok(())
            });
        self.0.run_mobile_plugin::<()>(
            "start",
            StartArgs {
                database: database.display().to_string(),
                channel,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plugins_events_read_as_rust_types() {
        let read = |json: &str| serde_json::from_str::<WakeEvent>(json).unwrap();
        assert_eq!(
            read(
                r#"{"kind":"endpoint","endpoint":"https://ntfy.example/up1","p256dh":"BA","auth":"CQ"}"#
            ),
            WakeEvent::Endpoint {
                endpoint: "https://ntfy.example/up1".into(),
                p256dh: "BA".into(),
                auth: "CQ".into()
            }
        );
        assert_eq!(
            read(r#"{"kind":"message","plaintext":"e30="}"#),
            WakeEvent::Message {
                plaintext: "e30=".into()
            }
        );
        assert_eq!(read(r#"{"kind":"unregistered"}"#), WakeEvent::Unregistered);
        assert_eq!(
            read(r#"{"kind":"apns","token":"0a1b","development":true}"#),
            WakeEvent::Apns {
                token: "0a1b".into(),
                development: true
            }
        );
        assert_eq!(
            read(r#"{"kind":"fcm","token":"cX:APA91b"}"#),
            WakeEvent::Fcm {
                token: "cX:APA91b".into()
            }
        );
        assert!(serde_json::from_str::<WakeEvent>(r#"{"kind":"other"}"#).is_err());
    }
}
