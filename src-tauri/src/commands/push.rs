//! Push logins: enroll, list and delete tokens, answer requests, refresh, history.

use pocket_core::clock;
use pocket_core::push::{Answer, DeclineReason};
use tauri::{AppHandle, Runtime, State};

use crate::dto::{
    AnswerInput, AnsweredDto, HistoryDto, OfferedAccountDto, PushAddedDto, PushRequestDto,
    PushTokenDto,
};
use crate::error::IpcError;
use crate::state::{AppState, Pending};

/// Enrolls from the QR code's text; the poller picks the token up at once.
pub async fn enroll_push_uri(
    state: &AppState,
    uri: &str,
    allow_insecure: bool,
) -> Result<PushAddedDto, IpcError> {
    let vault = state.shared_vault()?;
    let enrolled = pocket_core::flows::enroll(
        &vault,
        state.push_client()?,
        uri,
        allow_insecure,
        clock::now_unix(),
    )
    .await?;
    state.poll_trigger.poll_now();
    // The code account the server sent along waits for the user's yes, like a scanned one.
    let offered = enrolled.offered_account.map(|draft| OfferedAccountDto {
        issuer: draft.issuer.clone(),
        name: draft.name.clone(),
        pending_id: state.keep_pending(Pending::Account(draft)),
    });
    Ok(PushAddedDto {
        token: PushTokenDto::from(&enrolled.token),
        offered,
    })
}

/// Every push token, for the home screen.
pub(crate) fn listed_tokens(
    vault: &mut pocket_core::vault::Vault,
) -> Result<Vec<PushTokenDto>, pocket_core::Error> {
    Ok(vault
        .push_tokens()?
        .iter()
        .map(PushTokenDto::from)
        .collect())
}

#[tauri::command]
pub async fn delete_push_token(state: State<'_, AppState>, id: String) -> Result<(), IpcError> {
    state
        .with_vault(move |vault| vault.remove_push_token(&id))
        .await
}

/// Requests still waiting for an answer, for a prompt after a restart or a refresh.
#[tauri::command]
pub async fn open_push_requests(
    state: State<'_, AppState>,
) -> Result<Vec<PushRequestDto>, IpcError> {
    let now = clock::now_unix();
    state.lock.clear_request_waiting();
    state
        .with_vault(move |vault| {
            Ok(vault
                .open_requests_with_tokens(now)?
                .iter()
                .map(|(token, request)| PushRequestDto::new(token, request))
                .collect())
        })
        .await
}

/// Sends the user's answer; returns the outcome (accepted, declined, expired or failed). An
/// Accept first passes the unlock step when the user or the server asked for one: `passcode`
/// on desktop, the phone's own check on phones (`reason` is what it says).
#[tauri::command]
pub async fn answer_push<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    token_id: String,
    nonce: String,
    answer: AnswerInput,
    passcode: Option<String>,
    reason: String,
) -> Result<AnsweredDto, IpcError> {
    let vault = state.shared_vault()?;
    let settings = state.settings().await?;
    let id = token_id.clone();
    let demand = state
        .with_vault(move |vault| Ok(vault.push_token(&id)?.and_then(|t| t.token.unlock)))
        .await?;
    let accepting = !matches!(answer, AnswerInput::Decline { .. });
    if settings.answer_needs_check(demand, accepting) {
        crate::user_check::check_user(&app, &state, passcode, reason).await?;
    }
    let answer = match answer {
        AnswerInput::Accept => Answer::Accept,
        AnswerInput::Decline { not_me } => Answer::Decline {
            reason: not_me.then_some(DeclineReason::NotMe),
        },
        AnswerInput::Choice { option } => Answer::Presence(option),
    };
    let answered = pocket_core::flows::answer(
        &vault,
        state.push_client()?,
        &token_id,
        &nonce,
        answer,
        clock::now_unix(),
    )
    .await?;
    // A login may change what the server holds for the phone (a container's tokens).
    state.sync_trigger.notify_one();
    Ok(answered.into())
}

/// Polls now instead of at the next tick.
#[tauri::command]
pub fn refresh_push(state: State<'_, AppState>) {
    state.poll_trigger.poll_now();
}

#[tauri::command]
pub async fn push_history(state: State<'_, AppState>) -> Result<Vec<HistoryDto>, IpcError> {
    state
        .with_vault(|vault| {
            Ok(vault
                .request_history(200)?
                .iter()
                .map(HistoryDto::from)
                .collect())
        })
        .await
}
