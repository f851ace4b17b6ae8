//! The account list: list, codes, add, edit, reorder, delete, copy, HOTP's next code. Every
//! command that touches the vault is async, so the window's thread never waits for its lock.

use pocket_core::clock;
use pocket_core::otp::AccountDraft;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::dto::{AccountDto, CodeDto, CodesDto, ManualAccountInput};
use crate::error::IpcError;
use crate::state::AppState;

#[tauri::command]
pub async fn list_accounts(state: State<'_, AppState>) -> Result<Vec<AccountDto>, IpcError> {
    state
        .with_vault(|vault| Ok(vault.accounts()?.iter().map(AccountDto::from).collect()))
        .await
}

#[tauri::command]
pub async fn account_codes(state: State<'_, AppState>) -> Result<CodesDto, IpcError> {
    let settings = state.settings().await?;
    let now_ms = state.code_time_ms(&settings);
    state
        .with_vault(move |vault| {
            let codes = vault
                .accounts()?
                .into_iter()
                .map(|account| {
                    let code = vault.code(&account.id, now_ms / 1000);
                    CodeDto::new(account.id, code)
                })
                .collect();
            Ok(CodesDto { now_ms, codes })
        })
        .await
}

#[tauri::command]
pub async fn add_account_manual(
    state: State<'_, AppState>,
    input: ManualAccountInput,
) -> Result<AccountDto, IpcError> {
    let draft = AccountDraft::typed(
        &input.issuer,
        &input.name,
        &input.secret,
        input.algorithm.as_deref(),
        input.digits,
        input.period,
    )?;
    state
        .with_vault(move |vault| Ok(AccountDto::from(&vault.add(draft, clock::now_unix())?)))
        .await
}

#[tauri::command]
pub async fn delete_account(state: State<'_, AppState>, id: String) -> Result<(), IpcError> {
    state.with_vault(move |vault| vault.remove(&id)).await
}

/// Copies the current code from the Rust side, so the webview needs no clipboard permission.
#[tauri::command]
pub async fn copy_code<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
) -> Result<(), IpcError> {
    let now = state.code_time_ms(&state.settings().await?) / 1000;
    let code = state.with_vault(move |vault| vault.code(&id, now)).await?;
    app.clipboard()
        .write_text(code.current)
        .map_err(IpcError::clipboard)
}

#[tauri::command]
pub async fn rename_account(
    state: State<'_, AppState>,
    id: String,
    issuer: String,
    name: String,
) -> Result<AccountDto, IpcError> {
    state
        .with_vault(move |vault| Ok(AccountDto::from(&vault.rename(&id, &issuer, &name)?)))
        .await
}

#[tauri::command]
pub async fn reorder_accounts(
    state: State<'_, AppState>,
    ids: Vec<String>,
) -> Result<(), IpcError> {
    state.with_vault(move |vault| vault.reorder(&ids)).await
}

/// HOTP: the next code, its counter saved first. Only the code crosses to the webview.
#[tauri::command]
pub async fn next_code(state: State<'_, AppState>, id: String) -> Result<String, IpcError> {
    state
        .with_vault(move |vault| Ok(vault.next_code(&id)?.current))
        .await
}
