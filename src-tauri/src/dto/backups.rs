//! Automatic backups as Settings and the home screen's banner show them.

use pocket_core::flows::BackupState;
use pocket_core::vault::{SharedVault, exclusive};
use serde::Serialize;

use crate::error::IpcError;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "BackupStatus"))]
#[serde(rename_all = "camelCase")]
pub struct BackupStatusDto {
    pub enabled: bool,
    pub folder: Option<String>,
    pub keep: usize,
    pub has_password: bool,
    pub last_ok_at_ms: Option<u64>,
    pub last_file: Option<String>,
    /// Why the last try failed, until one succeeds.
    #[cfg_attr(test, ts(type = "ErrorCode | null"))]
    pub last_error: Option<&'static str>,
    pub last_error_at_ms: Option<u64>,
    /// The backups go to the app's own storage on this device (phones): lost with it, and
    /// removed with the app. Settings says so.
    pub stays_on_device: bool,
}

impl From<BackupState> for BackupStatusDto {
    fn from(state: BackupState) -> BackupStatusDto {
        BackupStatusDto {
            enabled: state.enabled,
            folder: state.folder.map(|f| f.display().to_string()),
            keep: state.keep,
            has_password: state.has_password,
            last_ok_at_ms: state.last_ok_at.map(|s| s * 1000),
            last_file: state.last_file.map(|f| f.display().to_string()),
            last_error: state.last_error.map(|k| k.code()),
            last_error_at_ms: state.last_error_at.map(|s| s * 1000),
            // Phones write them where `files::pick_backup_folder` puts them: app storage.
            stays_on_device: cfg!(mobile),
        }
    }
}

impl BackupStatusDto {
    pub fn read(vault: &SharedVault) -> Result<BackupStatusDto, IpcError> {
        Ok(BackupState::read(&exclusive(vault))?.into())
    }
}
