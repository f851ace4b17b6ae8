//! The clock check: how far this device's clock is off by the servers' replies, and a check
//! now against every push and container server, and the NTP server when the user chose one.

use pocket_core::clock::{self, sntp};
use tauri::State;

use crate::dto::ClockStatusDto;
use crate::error::IpcError;
use crate::state::AppState;

/// The best measurement so far; `null` before any.
#[tauri::command]
pub async fn clock_status(state: State<'_, AppState>) -> Result<Option<ClockStatusDto>, IpcError> {
    let settings = state.settings().await?;
    status(&state, &settings).await
}

/// Measures now. The servers answer what they can; an NTP server the user chose that does not
/// answer is reported, whatever the others said.
#[tauri::command]
pub async fn check_clock(state: State<'_, AppState>) -> Result<Option<ClockStatusDto>, IpcError> {
    let settings = state.settings().await?;
    let vault = state.shared_vault()?;
    for (server, measured) in
        pocket_core::flows::measure_servers(&vault, state.push_client()?).await?
    {
        if let Err(error) = measured {
            log::warn!("no time from {server}: {error}");
        }
    }
    let ntp = if settings.ntp_check {
        sntp::query(&settings.ntp_server, clock::now_millis)
            .await
            .map(|sample| state.clocks.record(sample))
    } else {
        Ok(())
    };
    save(&state).await?;
    ntp?;
    status(&state, &settings).await
}

/// The best measurement, and whether it moves the codes now.
pub async fn status(
    state: &AppState,
    settings: &pocket_core::settings::Settings,
) -> Result<Option<ClockStatusDto>, IpcError> {
    let now = clock::now_unix();
    let Some(best) = state.clocks.best(now) else {
        return Ok(None);
    };
    let correction = match settings.use_measured_time {
        true => Some(state.clock_correction(now).await?),
        false => None,
    };
    Ok(Some(ClockStatusDto::new(&best, correction)))
}

/// Keeps the measurements for the next start.
pub async fn save(state: &AppState) -> Result<(), IpcError> {
    let samples = state.clocks.all();
    state
        .with_vault(move |vault| vault.save_clock_samples(&samples))
        .await
}
