//! privacyIDEA smartphone containers: register (from a scan), list, sync, move to a new
//! phone, unregister, forget. pocket-core does the work; these map the results.

use pocket_core::clock;
use pocket_core::flows::RegistrationChoices;
use tauri::{AppHandle, Runtime, State};

use crate::commands::transfer::qr_data_uri;
use crate::dto::{ContainerAddedDto, ContainerDto, ContainerSyncedDto, ContainerTransferDto};
use crate::error::IpcError;
use crate::state::AppState;

/// Registers the container a scanned code names, with what the user gave and chose, and
/// syncs it once.
pub async fn register(
    state: &AppState,
    link: &str,
    choices: RegistrationChoices<'_>,
) -> Result<ContainerAddedDto, IpcError> {
    let vault = state.shared_vault()?;
    let registered = pocket_core::flows::register_container(
        &vault,
        state.push_client()?,
        link,
        choices,
        clock::now_unix(),
    )
    .await?;
    // Push tokens may have come with it.
    state.poll_trigger.poll_now();
    let id = registered.container.id.clone();
    let container = state
        .with_vault(move |vault| {
            let members = vault.members(&id)?;
            Ok(ContainerDto::new(&vault.container(&id)?, &members))
        })
        .await?;
    Ok(ContainerAddedDto {
        container,
        tokens: registered
            .first_sync
            .as_ref()
            .map_or(0, |report| report.added + report.joined),
        sync_error: registered.first_sync.as_ref().err().map(IpcError::from),
    })
}

/// Syncs every container now; one result each.
#[tauri::command]
pub async fn sync_containers(
    state: State<'_, AppState>,
) -> Result<Vec<ContainerSyncedDto>, IpcError> {
    sync_now(&state).await
}

/// What the sync runner and "Sync now" share.
pub async fn sync_now(state: &AppState) -> Result<Vec<ContainerSyncedDto>, IpcError> {
    let vault = state.shared_vault()?;
    let results =
        pocket_core::flows::sync_containers(&vault, state.push_client()?, clock::now_unix())
            .await?;
    if !results.is_empty() {
        state.poll_trigger.poll_now();
    }
    Ok(results
        .iter()
        .map(|(container, result)| ContainerSyncedDto::new(container, result))
        .collect())
}

/// A registration code for the user's new phone, where the server's policy allows moving;
/// with a lock set, after the unlock step (the code hands the container over).
#[tauri::command]
pub async fn move_container<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
    passcode: Option<String>,
    reason: String,
) -> Result<ContainerTransferDto, IpcError> {
    crate::user_check::check_user_if_locking(&app, &state, passcode, reason).await?;
    let vault = state.shared_vault()?;
    let link = pocket_core::flows::move_to_new_phone(&vault, state.push_client()?, &id).await?;
    let qr = qr_data_uri(&link)?;
    Ok(ContainerTransferDto { link, qr })
}

/// Unregisters at the server; the tokens stay on the phone as its own.
#[tauri::command]
pub async fn unregister_container(state: State<'_, AppState>, id: String) -> Result<(), IpcError> {
    let vault = state.shared_vault()?;
    pocket_core::flows::unregister_container(&vault, state.push_client()?, &id).await?;
    Ok(())
}

/// Removes a container from this phone only, in any state (the server is not told); its
/// tokens go with it only where what the phone knows of it came over a checked connection.
#[tauri::command]
pub async fn forget_container(state: State<'_, AppState>, id: String) -> Result<(), IpcError> {
    let vault = state.shared_vault()?;
    tauri::async_runtime::spawn_blocking(move || pocket_core::flows::forget_container(&vault, &id))
        .await
        .map_err(|e| IpcError::internal(&e))??;
    Ok(())
}

pub(crate) fn describe(
    vault: &mut pocket_core::vault::Vault,
) -> Result<Vec<ContainerDto>, pocket_core::Error> {
    let mut containers = Vec::new();
    for container in vault.containers()? {
        let members = vault.members(&container.id)?;
        containers.push(ContainerDto::new(&container, &members));
    }
    Ok(containers)
}
