//! The account list: list, codes, add, delete, copy.

use pocket_core::clock;
use pocket_core::otp::{AccountDraft, parse_uri};
use pocket_core::scan::{Scanned, route};
use tauri::{AppHandle, State};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::commands::push::enroll_push_uri;
use crate::dto::{AccountDto, AddedDto, CodeDto, CodesDto, ManualAccountInput};
use crate::error::IpcError;
use crate::state::AppState;

#[tauri::command]
pub fn list_accounts(state: State<'_, AppState>) -> Result<Vec<AccountDto>, IpcError> {
    state.with_vault(|vault| Ok(vault.accounts()?.iter().map(AccountDto::from).collect()))
}

#[tauri::command]
pub fn account_codes(state: State<'_, AppState>) -> Result<CodesDto, IpcError> {
    let now_ms = clock::now_millis();
    state.with_vault(|vault| {
        let accounts = vault.accounts()?;
        let codes = accounts
            .into_iter()
            .map(|account| {
                let code = vault.code(&account.id, now_ms / 1000);
                CodeDto::new(account.id, code)
            })
            .collect();
        Ok(CodesDto { now_ms, codes })
    })
}

/// Adds what a pasted link describes: an account, or a push login token.
#[tauri::command]
pub async fn add_account_uri(
    state: State<'_, AppState>,
    uri: String,
    allow_insecure: Option<bool>,
) -> Result<AddedDto, IpcError> {
    if let Scanned::PushEnrollment(text) = route(&uri) {
        let token = enroll_push_uri(&state, &text, allow_insecure.unwrap_or(false)).await?;
        return Ok(AddedDto::PushToken(token));
    }
    let draft = parse_uri(&uri)?;
    let account = state.with_vault(|vault| vault.add(draft, clock::now_unix()))?;
    Ok(AddedDto::Account(AccountDto::from(&account)))
}

#[tauri::command]
pub fn add_account_manual(
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
    state.with_vault(|vault| Ok(AccountDto::from(&vault.add(draft, clock::now_unix())?)))
}

#[tauri::command]
pub fn delete_account(state: State<'_, AppState>, id: String) -> Result<(), IpcError> {
    state.with_vault(|vault| vault.remove(&id))
}

/// Copies the current code from the Rust side, so the webview needs no clipboard permission.
#[tauri::command]
pub fn copy_code(app: AppHandle, state: State<'_, AppState>, id: String) -> Result<(), IpcError> {
    let code = state.with_vault(|vault| vault.code(&id, clock::now_unix()))?;
    app.clipboard()
        .write_text(code.current)
        .map_err(IpcError::clipboard)
}
