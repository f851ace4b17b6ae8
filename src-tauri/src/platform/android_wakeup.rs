//! The Android push services' question to Rust while Pocket is not running: what to show for
//! a wake-up message they received (UnifiedPush's library decrypted it; FCM's is plain).
//! pocket-core decides (the token's server signed it, it was not seen before) from the
//! database alone; the service only shows the answer, or nothing. Its Kotlin side:
//! `app.pocketauth.pocket.WakeUpCheck.notification(database, message): Array<String>?`.

use std::path::Path;

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
