// swift-tools-version:5.3
// Pocket's wake-up plugin for iOS: APNs registration.

import PackageDescription

let package = Package(
  name: "tauri-plugin-pocket-wakeup",
  platforms: [
    .iOS(.v13)
  ],
  products: [
    .library(
      name: "tauri-plugin-pocket-wakeup",
      type: .static,
      targets: ["tauri-plugin-pocket-wakeup"])
  ],
  dependencies: [
    .package(name: "Tauri", path: "../.tauri/tauri-api")
  ],
  targets: [
    .target(
      name: "tauri-plugin-pocket-wakeup",
      dependencies: [
        .byName(name: "Tauri")
      ],
      path: "Sources")
  ]
)
