use std::path::PathBuf;

/// The app's own commands, one `area::name` a line, each with an `allow-…` permission so that
/// capabilities can grant exactly what the UI uses (without a manifest every app command
/// would be open to any window).
const COMMAND_LIST: &str = "commands.list";

/// The list's entries, comments and blank lines left out.
fn listed_commands() -> Vec<String> {
    let text = std::fs::read_to_string(COMMAND_LIST).expect("commands.list reads");
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// What the Android app declares for the scanner, written into whichever Android project
/// `tauri android` builds (its manifest, between marker comments) on every Android build: the
/// webview's camera needs the CAMERA permission, which nothing else declares now that no
/// scanner plugin brings it; the camera is optional, so phones without one still install
/// Pocket; and Android 11 and later hide the camera app from `<input capture>` unless the
/// app says it will look for one.
const ANDROID_CAMERA: &str = r#"<uses-permission android:name="android.permission.CAMERA" />
<uses-feature android:name="android.hardware.camera.any" android:required="false" />
<queries>
    <intent>
        <action android:name="android.media.action.IMAGE_CAPTURE" />
    </intent>
</queries>"#;

fn main() {
    // generate_context! embeds these at compile time, but tauri-build does not watch them:
    // without this a rebuilt UI or a new icon would not reach the binary.
    for watched in ["../ui/dist", "../icons", "permissions", COMMAND_LIST] {
        println!("cargo:rerun-if-changed={watched}");
    }
    let commands = listed_commands();
    // The handler: `app_commands!` (src/commands/mod.rs) over the same list.
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let invocation = format!("app_commands! {{\n    {},\n}}\n", commands.join(",\n    "));
    std::fs::write(out.join("app_commands.rs"), invocation).expect("OUT_DIR is writable");
    // tauri-build keeps the names for the rest of the run; a build script may leak them.
    let names: Vec<&'static str> = commands
        .into_iter()
        .map(|entry| &*String::leak(entry.rsplit("::").next().unwrap_or(&entry).to_string()))
        .collect();
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(names.leak())),
    )
    .expect("tauri-build failed");
    println!("cargo:rerun-if-env-changed=TAURI_ANDROID_PROJECT_PATH");
    // A project made again by `tauri android init` gets the entries again.
    if let Some(project) = std::env::var_os("TAURI_ANDROID_PROJECT_PATH") {
        let manifest = PathBuf::from(project).join("app/src/main/AndroidManifest.xml");
        println!("cargo:rerun-if-changed={}", manifest.display());
    }
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("android") {
        tauri_utils::build::update_android_manifest(
            "POCKET CAMERA",
            "manifest",
            ANDROID_CAMERA.to_string(),
        )
        .expect("the Android manifest is writable");
    }
}
