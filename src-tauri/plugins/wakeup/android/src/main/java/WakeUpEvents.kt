// Where the push services' events go: to Rust while Pocket runs (its channel); a channel (an
// endpoint, an FCM token) that comes while it does not is kept and handed over at the next
// start. Messages that come
// while it does not are not kept: the service shows their notification, and Pocket's poll
// at start finds the request.
package app.pocketauth.wakeup

import android.content.Context
import app.tauri.plugin.Channel
import app.tauri.plugin.JSObject

object WakeUpEvents {
    const val INSTANCE = "pocket"
    private const val STORE = "pocket-wakeup"
    private const val PENDING_CHANNEL = "pending-channel"
    private const val DATABASE = "database"

    @Volatile
    private var channel: Channel? = null

    val attached: Boolean
        get() = channel != null

    fun attach(context: Context, database: String, channel: Channel) {
        val store = context.getSharedPreferences(STORE, Context.MODE_PRIVATE)
        store.edit().putString(DATABASE, database).apply()
        this.channel = channel
        store.getString(PENDING_CHANNEL, null)?.let { pending ->
            store.edit().remove(PENDING_CHANNEL).apply()
            channel.send(JSObject(pending))
        }
    }

    /// The vault's database, as Rust last said where it is.
    fun database(context: Context): String? =
        context.getSharedPreferences(STORE, Context.MODE_PRIVATE).getString(DATABASE, null)

    fun send(context: Context, event: JSObject) {
        val open = channel
        if (open != null) {
            open.send(event)
        } else if (event.getString("kind") in listOf("endpoint", "fcm")) {
            context.getSharedPreferences(STORE, Context.MODE_PRIVATE)
                .edit().putString(PENDING_CHANNEL, event.toString()).apply()
        }
    }
}
