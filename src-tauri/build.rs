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
}
