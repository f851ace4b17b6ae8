// A wake-up's plaintext, whichever push service brought it: to Rust while Pocket runs;
// otherwise Rust (through JNI) says what the notification shows, or nothing.
package app.pocketauth.wakeup

import android.content.Context
import android.util.Base64
import app.pocketauth.pocket.WakeUpCheck
import app.tauri.plugin.JSObject

object WakeUpMessages {
    fun received(context: Context, plaintext: ByteArray) {
        if (WakeUpEvents.attached) {
            val encoded = Base64.encodeToString(plaintext, Base64.NO_WRAP)
            WakeUpEvents.send(context, JSObject().put("kind", "message").put("plaintext", encoded))
            return
        }
        val database = WakeUpEvents.database(context) ?: return
        val shown = WakeUpCheck.notification(database, plaintext) ?: return
        WakeUpNotification.show(context, shown[0], shown[1])
    }
}
