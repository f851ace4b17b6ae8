//! Wake-ups on Android, through Pocket's plugin around UnifiedPush's connector library: while
//! Pocket runs, the plugin hands the endpoint and every decrypted message to `WakeHandler`;
//! while it does not, the plugin's push service asks Rust through JNI what to show for a
//! message. pocket-core decides (the token's server signed it, it was not seen before) from
//! the database alone; the service only shows the answer, or nothing. Its Kotlin side:
//! `app.pocketauth.pocket.WakeUpCheck.notification(database, message): Array<String>?`.

use std::path::Path;

use base64::Engine;
use tauri::Manager;
use tauri_plugin_pocket_wakeup::{WakeEvent, Wakeup};

use crate::runners::{Registration, WakeHandler};

/// Registers with the user's distributor through the plugin; its events go to `handler`.
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
        tauri::async_runtime::spawn(async move {
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
        });
    });
    match started {
        Ok(()) => handler.status(|s| s.registration = Registration::Registering),
        Err(error) => log::warn!("UnifiedPush could not start: {error}"),
    }
}

use jni::JNIEnv;
use jni::objects::{JByteArray, JClass, JObject, JString};
use jni::sys::jobjectArray;

#[unsafe(no_mangle)]
pub extern "system" fn Java_app_pocketauth_pocket_WakeUpCheck_notification<'local>(
    mut env: JNIEnv<'local>,
    _class: JClass<'local>,
    database: JString<'local>,
    message: JByteArray<'local>,
) -> jobjectArray {
    let shown = read(&mut env, &database, &message).and_then(|(path, bytes)| {
        pocket_core::flows::notification_for_wakeup(
            Path::new(&path),
            &bytes,
            pocket_core::clock::now_unix(),
        )
        .inspect_err(|error| log::info!("a wake-up was not checked: {}", error.kind().code()))
        .ok()
        .flatten()
    });
    match shown.and_then(|(title, text)| to_java(&mut env, &title, &text)) {
        Some(array) => array,
        None => std::ptr::null_mut(),
    }
}

/// The arguments, the message refused unread past what a push service carries.
fn read(
    env: &mut JNIEnv<'_>,
    database: &JString<'_>,
    message: &JByteArray<'_>,
) -> Option<(String, Vec<u8>)> {
    let length = env.get_array_length(message).ok()?;
    if length < 0 || length as usize > pocket_core::push::webpush::MAX_MESSAGE_BYTES {
        return None;
    }
    let path: String = env.get_string(database).ok()?.into();
    let bytes = env.convert_byte_array(message).ok()?;
    Some((path, bytes))
}

fn to_java(env: &mut JNIEnv<'_>, title: &str, text: &str) -> Option<jobjectArray> {
    let array = env
        .new_object_array(2, "java/lang/String", JObject::null())
        .ok()?;
    for (index, value) in [title, text].into_iter().enumerate() {
        let value = env.new_string(value).ok()?;
        env.set_object_array_element(&array, index as i32, value)
            .ok()?;
    }
    Some(array.into_raw())
}
