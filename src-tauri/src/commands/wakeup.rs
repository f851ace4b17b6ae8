//! Settings → Login requests: how requests reach this device, and which distributor wakes it.

use tauri::State;

use crate::dto::LoginRequestsDto;
use crate::error::IpcError;
use crate::state::AppState;

#[tauri::command]
pub async fn login_requests(state: State<'_, AppState>) -> Result<LoginRequestsDto, IpcError> {
    shown(&state).await
}

/// Makes `distributor` (a short name Settings listed) the one that wakes this device.
#[tauri::command]
pub async fn choose_distributor(
    state: State<'_, AppState>,
    distributor: String,
) -> Result<LoginRequestsDto, IpcError> {
    if !state.wake.get().distributors.contains(&distributor) {
        return Err(pocket_core::Error::InvalidParameter {
            param: "distributor",
            reason: "no such distributor runs on this device".into(),
        }
        .into());
    }
    state
        .with_vault(move |vault| pocket_core::flows::choose_distributor(vault, &distributor))
        .await?;
    state.wake.choose_again();
    shown(&state).await
}

async fn shown(state: &AppState) -> Result<LoginRequestsDto, IpcError> {
    let channel = state
        .with_vault(|vault| pocket_core::flows::wake_channel(vault))
        .await?;
    Ok(LoginRequestsDto::new(
        &channel,
        &state.wake.get(),
        cfg!(any(target_os = "linux", target_os = "android")),
    ))
}
