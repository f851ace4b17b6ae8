//! `#[tauri::command]` functions, one file per area of the UI.

pub mod accounts;
pub mod push;
pub mod scan;
pub mod transfer;
