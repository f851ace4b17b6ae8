//! Wake-ups on phones, through Pocket's plugin (`plugins/wakeup`): the platform's push service
//! (UnifiedPush's connector, FCM in store builds, APNs) hands the channel and each message to
//! `WakeHandler`, which decides as on desktop.

use base64::Engine;
use pocket_core::push::WakeChannel;
use tauri::Manager;
use tauri_plugin_pocket_wakeup::{WakeEvent, Wakeup};

use crate::runners::{Registration, WakeHandler};

/// Registers with the platform's push service through the plugin; its events go to `handler`.
pub fn start(handler: WakeHandler) {
    let app = handler.app().clone();
    let Some(plugin) = app.try_state::<Wakeup<tauri::Wry>>() else {
        return;
    };
    let database = match app.path().app_data_dir() {
        Ok(dir) => dir.join("pocket.sqlite"),
        Err(error) => return log::warn!("no data folder for wake-ups: {error}"),
    };
    let events = handler.clone();
    let started = plugin.start(&database, move |event| {
        let handler = events.clone();
        tauri::async_runtime::spawn(async move { handle(&handler, event).await });
    });
    match started {
        Ok(()) => handler.status(|s| s.registration = Registration::Registering),
        Err(error) => log::warn!("wake-ups could not start: {error}"),
    }
}

async fn handle(handler: &WakeHandler, event: WakeEvent) {
    match event {
        WakeEvent::Endpoint {
            endpoint,
            p256dh,
            auth,
        } => {
            handler
                .new_endpoint_with_keys(&endpoint, &p256dh, &auth)
                .await
        }
        WakeEvent::Fcm { token } => handler.use_token(WakeChannel::Fcm { token }).await,
        WakeEvent::Apns { token, development } => {
            let channel = WakeChannel::Apns {
                device_token: token,
                development,
            };
            handler.use_token(channel).await
        }
        WakeEvent::Message { plaintext } => {
            match base64::engine::general_purpose::STANDARD.decode(plaintext) {
                Ok(bytes) => handler.message_plaintext(bytes).await,
                Err(_) => log::info!("a wake-up message was dropped: not base64"),
            }
        }
        WakeEvent::Unregistered => handler.unregistered().await,
        WakeEvent::Failed { reason } if reason == "NO_DISTRIBUTOR" => {
            handler.status(|s| s.registration = Registration::NoDistributor)
        }
        WakeEvent::Failed { reason } => {
            handler.status(|s| s.registration = Registration::Failed(reason))
        }
    }
}
