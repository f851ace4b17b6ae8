// Rust's answer for a wake-up while Pocket is not running (src-tauri/src/platform/
// android_wakeup.rs): the notification's title and text, or null to drop it unseen.
package app.pocketauth.pocket

object WakeUpCheck {
    init {
        System.loadLibrary("pocket_lib")
    }

    @JvmStatic
    external fun notification(database: String, message: ByteArray): Array<String>?
}
