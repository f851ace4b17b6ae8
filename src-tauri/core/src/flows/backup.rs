//! Automatic backups as the app runs them: the settings in the vault, the password in the
//! keychain, the accounts exported under the vault's lock and written without it, and what
//! came of the last try kept for the banner and the Settings screen.

use std::path::PathBuf;

use crate::backup::{self, DEFAULT_KEEP, Written};
use crate::error::{Error, ErrorKind, Result};
use crate::vault::{SharedVault, Vault, exclusive};

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
/// The names of the backups this install wrote and has not removed (JSON): only those are
/// ever pruned.
const WRITTEN: &str = "backup.written";

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

/// Sets the backup password. Once one is set, changing it takes the current one
/// (`current`): whoever has the unlocked app for a moment cannot put the backups under a
/// password of their own. The backups already written are encrypted again with the new
/// one, so the old one opens none of them; the caller then makes a fresh backup.
pub fn change_backup_password(vault: &SharedVault, current: Option<&str>, new: &str) -> Result<()> {
    crate::transfer::check_password(new)?;
    let _writing = one_at_a_time();
    let (old, folder) = {
        let vault = exclusive(vault);
        let old = match vault.backup_password() {
            Ok(old) => Some(old),
            Err(Error::BackupPasswordMissing) => None,
            Err(other) => return Err(other),
        };
        (old, BackupState::read(&vault)?.folder)
    };
    if let Some(old) = &old {
        let given = current.unwrap_or_default().as_bytes();
        if !bool::from(subtle::ConstantTimeEq::ct_eq(old.as_bytes(), given)) {
            return Err(Error::WrongBackupPassword);
        }
    }
    // The backups first, then the password: a failure on the way leaves the backups and the
    // stored password as they were, never backups under a password stored nowhere.
    let prepared = match (old, folder) {
        (Some(old), Some(folder)) if old.as_str() != new && folder.is_dir() => {
            let prepared = backup::prepare_reencryption(&folder, &old, new)?;
            prepared.write()?;
            Some(prepared)
        }
        _ => None,
    };
    if let Err(error) = exclusive(vault).set_backup_password(new) {
        if let Some(prepared) = &prepared {
            prepared.undo();
        }
        return Err(error);
    }
    Ok(())
}

/// Makes a backup now if backups are on; `None` when they are off. The outcome is recorded
/// either way; a failure never touches the accounts.
pub fn back_up(vault: &SharedVault, now: u64) -> Result<Option<Written>> {
    let _writing = one_at_a_time();
    // The accounts are read under the lock (their secrets are cached); the slow part, the
    // key derivation and the writing, runs without it.
    let (state, accounts, password, ours) = {
        let mut vault = exclusive(vault);
        let state = BackupState::read(&vault)?;
        if !state.enabled {
            return Ok(None);
        }
        let ours: Option<Vec<String>> = vault
            .setting(WRITTEN)?
            .map(|list| serde_json::from_str(&list).unwrap_or_default());
        (state, vault.export()?, vault.backup_password(), ours)
    };
    let outcome = password.and_then(|password| {
        let folder = state
            .folder
            .clone()
            .ok_or_else(|| Error::BackupFolderMissing(String::new()))?;
        // Installs from before the list: the backups that open with the password are ours.
        let ours = match ours {
            Some(ours) => ours,
            None => openable_backups(&folder, &password),
        };
        let written = backup::write_backup(&folder, &accounts, &password, state.keep, now, &ours)?;
        Ok((written, ours))
    });
    let mut vault = exclusive(vault);
    match &outcome {
        Ok((written, ours)) => {
            let mut ours = ours.clone();
            ours.push(written.name());
            ours.retain(|name| !written.removed.iter().any(|gone| gone.ends_with(name)));
            vault.set_setting(WRITTEN, Some(&serde_json::json!(ours).to_string()))?;
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
    outcome.map(|(written, _)| Some(written))
}

/// The names of the backups in `folder` that open with `password`.
fn openable_backups(folder: &std::path::Path, password: &str) -> Vec<String> {
    backup::list(folder)
        .unwrap_or_default()
        .into_iter()
        .filter(|path| {
            std::fs::read_to_string(path)
                .is_ok_and(|text| crate::transfer::read_aegis(&text, Some(password)).is_ok())
        })
        .filter_map(|path| path.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect()
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
            let mut v = exclusive(&vault);
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
        let state = BackupState::read(&exclusive(&vault)).unwrap();
        assert_eq!(state.last_error, Some(ErrorKind::BackupPasswordMissing));
        assert_eq!(state.last_error_at, Some(200));

        exclusive(&vault)
            .set_backup_password("correct horse")
            .unwrap();
        let written = back_up(&vault, 300).unwrap().unwrap();
        assert_eq!(written.accounts, 1);
        let state = BackupState::read(&exclusive(&vault)).unwrap();
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
        // The current password is asked for, and a wrong one changes nothing.
        for wrong in [None, Some("correct horsE")] {
            assert_eq!(
                change_backup_password(&vault, wrong, "battery staple")
                    .unwrap_err()
                    .code(),
                "wrong_backup_password"
            );
        }
        assert_eq!(
            exclusive(&vault).backup_password().unwrap().as_str(),
            "correct horse"
        );
        change_backup_password(&vault, Some("correct horse"), "battery staple").unwrap();
        let text = std::fs::read_to_string(&written.path).unwrap();
        assert!(crate::transfer::read_aegis(&text, Some("battery staple")).is_ok());
        assert_eq!(
            crate::transfer::read_aegis(&text, Some("correct horse"))
                .unwrap_err()
                .code(),
            "wrong_backup_password"
        );
        assert_eq!(
            change_backup_password(&vault, Some("battery staple"), "short")
                .unwrap_err()
                .code(),
            "invalid_parameter"
        );
    }

    #[test]
    fn a_new_password_the_keychain_cannot_keep_leaves_the_backups_under_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let folder = tempfile::tempdir().unwrap();
        let store = Arc::new(MemoryStore::default());
        let vault: SharedVault = Arc::new(Mutex::new(
            Vault::open(&dir.path().join("pocket.sqlite"), Box::new(store.clone())).unwrap(),
        ));
        {
            let mut v = exclusive(&vault);
            v.add(
                parse_uri("otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP").unwrap(),
                0,
            )
            .unwrap();
            configure(&mut v, true, Some(folder.path()), 5).unwrap();
        }
        change_backup_password(&vault, None, "the first password").unwrap();
        back_up(&vault, 100).unwrap();
        back_up(&vault, 200).unwrap();

        // The keychain reads the old password but will not store the new one.
        store.set_refusing_writes(true);
        assert_eq!(
            change_backup_password(&vault, Some("the first password"), "the second password")
                .unwrap_err()
                .code(),
            "keychain_unavailable"
        );
        store.set_refusing_writes(false);
        assert_eq!(
            exclusive(&vault).backup_password().unwrap().as_str(),
            "the first password"
        );
        for path in backup::list(folder.path()).unwrap() {
            let text = std::fs::read_to_string(&path).unwrap();
            crate::transfer::read_aegis(&text, Some("the first password")).unwrap();
        }
    }
}
