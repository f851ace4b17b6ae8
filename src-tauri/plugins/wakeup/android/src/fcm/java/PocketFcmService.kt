// FCM's events in store builds: its token becomes the channel (Rust tells the servers), and a
// data message carries the challenge's fields, read exactly as a UnifiedPush message is.
package app.pocketauth.wakeup

import android.content.Context
import com.google.firebase.messaging.FirebaseMessaging
import com.google.firebase.messaging.FirebaseMessagingService
import com.google.firebase.messaging.RemoteMessage
import app.tauri.plugin.JSObject
import org.json.JSONObject

class PocketFcmService : FirebaseMessagingService() {
    override fun onNewToken(token: String) {
        WakeUpEvents.send(this, tokenEvent(token))
    }

    override fun onMessageReceived(message: RemoteMessage) {
        WakeUpMessages.received(this, JSONObject(message.data as Map<*, *>).toString().toByteArray())
    }
}

/// Asked for by the plugin's `start` (by name: the default build has no Firebase).
object FcmTokens {
    @JvmStatic
    fun request(context: Context) {
        FirebaseMessaging.getInstance().token.addOnSuccessListener { token ->
            WakeUpEvents.send(context, tokenEvent(token))
        }
    }
}

private fun tokenEvent(token: String) = JSObject().put("kind", "fcm").put("token", token)
