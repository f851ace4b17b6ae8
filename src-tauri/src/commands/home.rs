//! The home screen's first read: every list it shows and the codes of its first rows, in one
//! round trip. At start-up each round trip waits behind the webview's own work, so the first
//! code on screen waits for as few of them as can be.

use pocket_core::vault::FIRST_ROWS;
use tauri::State;

use crate::dto::HomeDto;
use crate::error::IpcError;
use crate::state::AppState;

use super::{accounts, containers, push};

/// The accounts, push tokens and containers, with the codes of the first rows
/// (`Vault::first_rows`; the rest come as they scroll into view, through `account_codes`).
#[tauri::command]
pub async fn home_screen(state: State<'_, AppState>) -> Result<HomeDto, IpcError> {
    pocket_startup::report::note_step("app:home-screen-began");
    let settings = state.settings().await?;
    let now_ms = state.code_time_ms(&settings).await?;
    state
        .with_vault(move |vault| {
            let first = vault.first_rows(FIRST_ROWS)?;
            Ok(HomeDto {
                codes: accounts::codes_of(vault, first, now_ms),
                first_rows: FIRST_ROWS,
                accounts: accounts::listed(vault)?,
                push_tokens: push::listed_tokens(vault)?,
                containers: containers::describe(vault)?,
                hide_codes: settings.hide_codes,
            })
        })
        .await
        .inspect(|_| pocket_startup::report::note_step("app:home-screen-ended"))
}
