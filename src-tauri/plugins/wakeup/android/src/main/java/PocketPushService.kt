// UnifiedPush's events. The connector library keeps the Web Push keys and decrypts; what a
// message means is Rust's to decide: while Pocket runs it gets the plaintext, and while it
// does not, WakeUpCheck (Rust, through JNI) says what the notification shows, or nothing.
package app.pocketauth.wakeup

import app.tauri.plugin.JSObject
import org.unifiedpush.android.connector.FailedReason
import org.unifiedpush.android.connector.PushService
import org.unifiedpush.android.connector.data.PushEndpoint
import org.unifiedpush.android.connector.data.PushMessage

class PocketPushService : PushService() {
    override fun onNewEndpoint(endpoint: PushEndpoint, instance: String) {
        val keys = endpoint.pubKeySet
        val event = if (keys == null) {
            JSObject().put("kind", "failed").put("reason", "NO_WEB_PUSH_KEYS")
        } else {
            JSObject().put("kind", "endpoint").put("endpoint", endpoint.url)
                .put("p256dh", keys.pubKey).put("auth", keys.auth)
        }
        WakeUpEvents.send(this, event)
    }

    override fun onMessage(message: PushMessage, instance: String) {
        // Pocket's servers always encrypt (RFC 8291): anything else is not theirs.
        if (!message.decrypted) return
        WakeUpMessages.received(this, message.content)
    }

    override fun onRegistrationFailed(reason: FailedReason, instance: String) {
        WakeUpEvents.send(this, JSObject().put("kind", "failed").put("reason", reason.name))
    }

    override fun onUnregistered(instance: String) {
        WakeUpEvents.send(this, JSObject().put("kind", "unregistered"))
    }
}
