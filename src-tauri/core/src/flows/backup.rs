//! Automatic backups as the app runs them: the settings in the vault, the password in the
//! keychain, the accounts exported under the vault's lock and written without it, and what
//! came of the last try kept for the banner and the Settings screen.

use std::path::PathBuf;

use crate::backup::{self, DEFAULT_KEEP, Written};
use crate::error::{Error, ErrorKind, Result};
use crate::vault::{SharedVault, Vault, lock};

/// One backup job at a time in the process: a backup and a password change must not
/// interleave, or a file could be left under the old password.
static WRITING: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    WRITING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

const ENABLED: &str = "backup.enabled";
const FOLDER: &str = "backup.folder";
const KEEP: &str = "backup.keep";
const LAST_OK_AT: &str = "backup.last_ok_at";
const LAST_FILE: &str = "backup.last_file";
const LAST_ERROR: &str = "backup.last_error";
const LAST_ERROR_AT: &str = "backup.last_error_at";

/// Backups as the user set them up, and how the last one went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupState {
    pub enabled: bool,
    pub folder: Option<PathBuf>,
    pub keep: usize,
    pub has_password: bool,
    /// Unix seconds of the last backup that was written and checked.
    pub last_ok_at: Option<u64>,
    pub last_file: Option<PathBuf>,
    /// Why the last try failed, when it did (cleared by the next success).
    pub last_error: Option<ErrorKind>,
    pub last_error_at: Option<u64>,
}

impl BackupState {
    pub fn read(vault: &Vault) -> Result<BackupState> {
        let number =
            |key| -> Result<Option<u64>> { Ok(vault.setting(key)?.and_then(|v| v.parse().ok())) };
        Ok(BackupState {
            enabled: vault.setting(ENABLED)?.as_deref() == Some("1"),
            folder: vault.setting(FOLDER)?.map(PathBuf::from),
            keep: number(KEEP)?.map_or(DEFAULT_KEEP, |n| n.clamp(1, 1000) as usize),
            has_password: vault.backup_password().is_ok(),
            last_ok_at: number(LAST_OK_AT)?,
            last_file: vault.setting(LAST_FILE)?.map(PathBuf::from),
            last_error: vault
                .setting(LAST_ERROR)?
                .and_then(|code| ErrorKind::ALL.iter().copied().find(|k| k.code() == code)),
            last_error_at: number(LAST_ERROR_AT)?,
        })
    }
}

/// Turns backups on or off, in `folder`, keeping the newest `keep`.
pub fn configure(
    vault: &mut Vault,
    enabled: bool,
    folder: Option<&std::path::Path>,
    keep: usize,
) -> Result<()> {
    if enabled && folder.is_none() {
        return Err(Error::BackupFolderMissing(String::new()));
    }
    vault.set_setting(ENABLED, Some(if enabled { "1" } else { "0" }))?;
    let folder = folder.map(|f| f.display().to_string());
    vault.set_setting(FOLDER, folder.as_deref())?;
    vault.set_setting(KEEP, Some(&keep.clamp(1, 1000).to_string()))
}

/// Sets the backup password. The backups already written are encrypted again with it, so the
/// old one opens none of them; the caller then makes a fresh backup.
pub fn change_backup_password(vault: &SharedVault, new: &str) -> Result<()> {
    crate::transfer::check_password(new)?;
    let _writing = one_at_a_time();
    let (old, folder) = {
        let mut vault = lock(vault);
        let old = vault.backup_password().ok();
        vault.set_backup_password(new)?;
        (old, BackupState::read(&vault)?.folder)
    };
    match (old, folder) {
        (Some(old), Some(folder)) if old.as_str() != new && folder.is_dir() => {
            backup::reencrypt(&folder, &old, new).map(|_| ())
        }
        _ => Ok(()),
    }
}

/// Makes a backup now if backups are on; `None` when they are off. The outcome is recorded
/// either way; a failure never touches the accounts.
pub fn back_up(vault: &SharedVault, now: u64) -> Result<Option<Written>> {
    let _writing = one_at_a_time();
    // The accounts are read under the lock (their secrets are cached); the slow part, the
    // key derivation and the writing, runs without it.
    let (state, accounts, password) = {
        let mut vault = lock(vault);
        let state = BackupState::read(&vault)?;
        if !state.enabled {
            return Ok(None);
        }
        (state, vault.export()?, vault.backup_password())
    };
    let outcome = password.and_then(|password| {
        let folder = state
            .folder
            .clone()
            .ok_or_else(|| Error::BackupFolderMissing(String::new()))?;
        backup::write_backup(&folder, &accounts, &password, state.keep, now)
    });
    let mut vault = lock(vault);
    match &outcome {
        Ok(written) => {
            vault.set_setting(LAST_OK_AT, Some(&now.to_string()))?;
            vault.set_setting(LAST_FILE, Some(&written.path.display().to_string()))?;
            vault.set_setting(LAST_ERROR, None)?;
            vault.set_setting(LAST_ERROR_AT, None)?;
        }
        Err(error) => {
            log::warn!("backup failed: {error}");
            vault.set_setting(LAST_ERROR, Some(error.code()))?;
            vault.set_setting(LAST_ERROR_AT, Some(&now.to_string()))?;
        }
    }
    outcome.map(Some)
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::otp::parse_uri;
    use crate::vault::MemoryStore;

    fn shared(dir: &tempfile::TempDir) -> SharedVault {
        let vault = Vault::open(
            &dir.path().join("pocket.sqlite"),
            Box::new(MemoryStore::default()),
        )
        .unwrap();
        Arc::new(Mutex::new(vault))
    }

    #[test]
    fn backups_follow_the_settings_and_record_how_they_went() {
        let dir = tempfile::tempdir().unwrap();
        let folder = tempfile::tempdir().unwrap();
        let vault = shared(&dir);
        assert_eq!(back_up(&vault, 100).unwrap(), None, "off by default");
        {
            let mut v = lock(&vault);
            v.add(
                parse_uri("otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP").unwrap(),
                0,
            )
            .unwrap();
            configure(&mut v, true, Some(folder.path()), 5).unwrap();
        }
        // No password yet: recorded as the reason.
        assert_eq!(
            back_up(&vault, 200).unwrap_err().code(),
            "backup_password_missing"
        );
        let state = BackupState::read(&lock(&vault)).unwrap();
        assert_eq!(state.last_error, Some(ErrorKind::BackupPasswordMissing));
        assert_eq!(state.last_error_at, Some(200));

        lock(&vault).set_backup_password("correct horse").unwrap();
        let written = back_up(&vault, 300).unwrap().unwrap();
        assert_eq!(written.accounts, 1);
        let state = BackupState::read(&lock(&vault)).unwrap();
        assert_eq!(
            (
                state.last_ok_at,
                state.last_error,
                state.has_password,
                state.keep
            ),
            (Some(300), None, true, 5)
        );
        assert_eq!(state.last_file.as_deref(), Some(written.path.as_path()));

        // A new password: the backup already written opens with it, and not with the old.
        change_backup_password(&vault, "battery staple").unwrap();
        let text = std::fs::read_to_string(&written.path).unwrap();
        assert!(crate::transfer::read_aegis(&text, Some("battery staple")).is_ok());
        assert_eq!(
            crate::transfer::read_aegis(&text, Some("correct horse"))
                .unwrap_err()
                .code(),
            "wrong_backup_password"
        );
        assert_eq!(
            change_backup_password(&vault, "short").unwrap_err().code(),
            "invalid_parameter"
        );
    }
}
