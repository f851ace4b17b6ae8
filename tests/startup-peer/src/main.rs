//! `make bench`'s peer for start-up (tests/bench/startup.rs): a Tauri window of Pocket's size
//! whose page holds one fixed code and nothing else, reporting when that code was painted the
//! way Pocket does. What Pocket takes beyond this peer is Pocket's own work; what the peer
//! takes is the floor that Tauri and WebKit set on this machine.

use pocket_startup::report::StartupReport;

#[tauri::command]
fn shown(at_ms: f64, page_started_ms: f64) -> Result<(), String> {
    StartupReport {
        shown_at_ms: at_ms,
        page_started_at_ms: page_started_ms,
        steps: Vec::new(),
    }
    .write_if_asked()
    .map_err(|error| error.to_string())
}

fn main() {
    // Drawn as Pocket draws on this machine, so that the two compare.
    // SAFETY: the first thing the process does; no other thread runs yet.
    unsafe { pocket_startup::webview::choose_drawing() };
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![shown])
        .run(tauri::generate_context!())
        .unwrap_or_else(|error| {
            eprintln!("the start-up peer could not start: {error}");
            std::process::exit(1);
        });
}
