// Pocket's wake-ups on iOS, through APNs. pocket-relay sends an alert the system shows itself,
// even while Pocket is not running (the challenge rides beside it); a tap opens Pocket, whose
// poll at start brings the prompt. This plugin asks to notify, registers the alert's category
// and hands the device token to Rust, which tells every login server.

import ObjectiveC
import Tauri
import UIKit
import UserNotifications

struct StartArgs: Decodable {
  let database: String
  let channel: Channel
}

struct TokenEvent: Encodable {
  let kind = "apns"
  let token: String
  let development: Bool
}

struct FailedEvent: Encodable {
  let kind = "failed"
  let reason: String
}

class WakeupPlugin: Plugin {
  static var channel: Channel?

  @objc public func start(_ invoke: Invoke) throws {
    let args = try invoke.parseArgs(StartArgs.self)
    WakeupPlugin.channel = args.channel
    DeviceTokenHook.install()
    let center = UNUserNotificationCenter.current()
    // The category pocket-relay names in its alerts.
    center.setNotificationCategories([
      UNNotificationCategory(
        identifier: "POCKET_LOGIN_REQUEST", actions: [], intentIdentifiers: [], options: [])
    ])
    center.requestAuthorization(options: [.alert, .sound]) { granted, _ in
      guard granted else {
        try? args.channel.send(FailedEvent(reason: "NOT_ALLOWED"))
        return
      }
      DispatchQueue.main.async { UIApplication.shared.registerForRemoteNotifications() }
    }
    invoke.resolve()
  }
}

/// iOS hands the device token to the app delegate, which is Tauri's: the two callbacks are
/// added to its class once, before registering.
enum DeviceTokenHook {
  static var installed = false

  static func install() {
    guard !installed, let delegate = UIApplication.shared.delegate else { return }
    installed = true
    let delegateClass: AnyClass = type(of: delegate)
    let registered: @convention(block) (AnyObject, UIApplication, Data) -> Void = { _, _, token in
      let hex = token.map { String(format: "%02x", $0) }.joined()
      #if DEBUG
        let development = true
      #else
        let development = false
      #endif
      try? WakeupPlugin.channel?.send(TokenEvent(token: hex, development: development))
    }
    let failed: @convention(block) (AnyObject, UIApplication, Error) -> Void = { _, _, error in
      try? WakeupPlugin.channel?.send(FailedEvent(reason: error.localizedDescription))
    }
    _ = class_addMethod(
      delegateClass,
      #selector(UIApplicationDelegate.application(_:didRegisterForRemoteNotificationsWithDeviceToken:)),
      imp_implementationWithBlock(registered), "v@:@@")
    _ = class_addMethod(
      delegateClass,
      #selector(UIApplicationDelegate.application(_:didFailToRegisterForRemoteNotificationsWithError:)),
      imp_implementationWithBlock(failed), "v@:@@")
  }
}

@_cdecl("init_plugin_pocket_wakeup")
public func initPlugin() -> Plugin {
  return WakeupPlugin()
}
