// The plugin's face to Rust: `start` registers with the user's UnifiedPush distributor and
// keeps the channel on which every event from the push library goes to Rust.
package app.pocketauth.wakeup

import android.app.Activity
import app.tauri.annotation.Command
import app.tauri.annotation.InvokeArg
import app.tauri.annotation.TauriPlugin
import app.tauri.plugin.Channel
import app.tauri.plugin.Invoke
import app.tauri.plugin.JSObject
import app.tauri.plugin.Plugin
import org.unifiedpush.android.connector.UnifiedPush

@InvokeArg
class StartArgs {
    lateinit var database: String
    lateinit var channel: Channel
}

@TauriPlugin
class WakeupPlugin(private val activity: Activity) : Plugin(activity) {
    @Command
    fun start(invoke: Invoke) {
        val args = invoke.parseArgs(StartArgs::class.java)
        val context = activity.applicationContext
        WakeUpEvents.attach(context, args.database, args.channel)
        // Store builds (fcm.gradle.kts) also ask Firebase for a token.
        runCatching {
            Class.forName("app.pocketauth.wakeup.FcmTokens")
                .getMethod("request", android.content.Context::class.java)
                .invoke(null, context)
        }
        UnifiedPush.tryUseCurrentOrDefaultDistributor(activity) { found ->
            if (found) {
                UnifiedPush.register(context, WakeUpEvents.INSTANCE, "Pocket: login requests")
            } else {
                WakeUpEvents.send(context, JSObject().put("kind", "failed").put("reason", "NO_DISTRIBUTOR"))
            }
        }
        invoke.resolve()
    }
}
