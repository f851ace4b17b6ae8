//! The account list: list, codes, add, edit, reorder, delete, copy, HOTP's next code. Every
//! command that touches the vault is async, so the window's thread never waits for its lock.

use pocket_core::clock;
use pocket_core::otp::{AccountDraft, AccountIcon};
use pocket_core::vault::Vault;
use pocket_startup::report::StartupReport;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::dto::{AccountDto, CodeDto, CodesDto, ManualAccountInput};
use crate::error::IpcError;
use crate::state::AppState;

#[tauri::command]
pub async fn list_accounts(state: State<'_, AppState>) -> Result<Vec<AccountDto>, IpcError> {
    state.with_vault(listed).await
}

/// Every account in the user's order, with its icon.
pub(crate) fn listed(vault: &mut Vault) -> Result<Vec<AccountDto>, pocket_core::Error> {
    let mut icons = vault.listed_icons()?;
    Ok(vault
        .accounts()?
        .iter()
        .map(|account| AccountDto::from(account).with_icon(icons.remove(&account.id)))
        .collect())
}

/// An account's imported image as a `data:` URL for an `<img>` (where an SVG runs no script
/// and loads nothing); None when it has no image.
#[tauri::command]
pub async fn account_icon(
    state: State<'_, AppState>,
    id: String,
) -> Result<Option<String>, IpcError> {
    use base64::Engine;
    state
        .with_vault(move |vault| {
            Ok(match vault.icon(&id)? {
                Some(AccountIcon::Image { format, bytes }) => Some(format!(
                    "data:{};base64,{}",
                    format.mime(),
                    base64::engine::general_purpose::STANDARD.encode(bytes)
                )),
                _ => None,
            })
        })
        .await
}

/// The codes of the accounts `ids` (the rows on screen), or of every account without it. The
/// first read of each secret is a keychain round trip, so a long list asks only for what it
/// shows: start-up with a thousand accounts reads a screenful of secrets, not all of them.
#[tauri::command]
pub async fn account_codes(
    state: State<'_, AppState>,
    ids: Option<Vec<String>>,
) -> Result<CodesDto, IpcError> {
    let settings = state.settings().await?;
    let now_ms = state.code_time_ms(&settings).await?;
    state
        .with_vault(move |vault| {
            let ids = match ids {
                Some(ids) => ids,
                None => vault.accounts()?.into_iter().map(|a| a.id).collect(),
            };
            Ok(codes_of(vault, ids, now_ms))
        })
        .await
}

/// The codes of `ids` at `now_ms`; an account that has none (gone, HOTP, an unreadable
/// secret) says why in its place.
pub(crate) fn codes_of(vault: &mut Vault, ids: Vec<String>, now_ms: u64) -> CodesDto {
    let codes = ids
        .into_iter()
        .map(|id| {
            let code = vault.code(&id, now_ms / 1000);
            CodeDto::new(id, code)
        })
        .collect();
    CodesDto { now_ms, codes }
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
    let now = state.code_time_ms(&state.settings().await?).await? / 1000;
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
        .with_vault(move |vault| {
            let renamed = AccountDto::from(&vault.rename(&id, &issuer, &name)?);
            Ok(renamed.with_icon(vault.listed_icons()?.remove(&id)))
        })
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

/// The UI painted its first code at `at_ms`, and its page began to load at
/// `page_started_ms`, reaching `steps` on the way (all Unix milliseconds): for `make bench`,
/// which asks for the report through the environment (pocket_startup::report). For
/// everyone else it goes nowhere.
#[tauri::command]
pub fn first_code_shown(
    at_ms: f64,
    page_started_ms: f64,
    steps: Vec<(String, f64)>,
) -> Result<(), IpcError> {
    StartupReport {
        shown_at_ms: at_ms,
        page_started_at_ms: page_started_ms,
        steps,
    }
    .write_if_asked()
    .map_err(|e| pocket_core::Error::Storage(e.to_string()).into())
}
