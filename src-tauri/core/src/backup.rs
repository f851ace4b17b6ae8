//! Automatic encrypted backups: after every change to the accounts, an encrypted Aegis vault
//! of all of them in a folder the user chose, named with its date and time, written
//! atomically, read back and checked, and only the newest few kept. Push tokens are not in
//! it: their keys belong to this phone.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::otp::AccountDraft;
use crate::transfer::{read_aegis, write_aegis, write_private};

/// How many backups are kept unless the user says otherwise.
pub const DEFAULT_KEEP: usize = 10;
/// Backups Pocket wrote start so; nothing else in the folder is ever touched.
const PREFIX: &str = "pocket-backup-";
const SUFFIX: &str = ".json";

/// What one backup did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    pub accounts: usize,
    /// Older backups removed to keep the newest ones.
    pub removed: Vec<PathBuf>,
}

/// A backup file's name for `now` (Unix seconds, UTC): sorting the names sorts the backups.
pub fn file_name(now: u64) -> String {
    let stamp = crate::push::wire::iso8601(now);
    // 2026-12-01T21:51:21+00:00 → 2026-12-01_21-51-21
    let stamp = stamp[..19].replace('T', "_").replace(':', "-");
    format!("{PREFIX}{stamp}{SUFFIX}")
}

/// The backups in `folder` that Pocket wrote, oldest first.
pub fn list(folder: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(folder).map_err(|e| folder_error(folder, &e))?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(PREFIX) && n.ends_with(SUFFIX))
        })
        .collect();
    found.sort();
    Ok(found)
}

/// Writes a backup of `accounts` into `folder`, checks that it decrypts to the same accounts,
/// and removes all but the newest `keep`. A failure at any step leaves the earlier backups
/// as they were; the accounts themselves are never touched.
pub fn write_backup(
    folder: &Path,
    accounts: &[AccountDraft],
    password: &str,
    keep: usize,
    now: u64,
) -> Result<Written> {
    if !folder.is_dir() {
        return Err(Error::BackupFolderMissing(folder.display().to_string()));
    }
    let contents = write_aegis(accounts, password)?;
    let mut path = folder.join(file_name(now));
    // Two backups in one second: the second gets a number, and sorts after the first.
    let mut n = 2;
    while path.exists() {
        path = folder.join(file_name(now).replace(SUFFIX, &format!("-{n}{SUFFIX}")));
        n += 1;
    }
    write_private(&path, contents.as_bytes()).map_err(|e| match e {
        Error::ExportFailed(detail) => Error::BackupWriteFailed(detail),
        other => other,
    })?;
    let written = std::fs::read_to_string(&path).map_err(|e| folder_error(folder, &e))?;
    let back = read_aegis(&written, Some(password)).map_err(|_| Error::BackupCheckFailed)?;
    if back.accounts != accounts {
        let _ = std::fs::remove_file(&path);
        return Err(Error::BackupCheckFailed);
    }
    let all = list(folder)?;
    let mut removed = Vec::new();
    for old in all.iter().take(all.len().saturating_sub(keep.max(1))) {
        std::fs::remove_file(old).map_err(|e| folder_error(folder, &e))?;
        removed.push(old.clone());
    }
    Ok(Written {
        path,
        accounts: accounts.len(),
        removed,
    })
}

/// Encrypts the backups in `folder` that open with `old` again with `new`, each replaced
/// atomically, so that a password the user changed (because it leaked, say) opens none of
/// them any more. Files that do not open with `old` are left as they are and counted.
pub fn reencrypt(folder: &Path, old: &str, new: &str) -> Result<Reencrypted> {
    let mut done = Reencrypted::default();
    for path in list(folder)? {
        let text = std::fs::read_to_string(&path).map_err(|e| folder_error(folder, &e))?;
        let Ok(backup) = read_aegis(&text, Some(old)) else {
            done.left_alone += 1;
            continue;
        };
        let contents = write_aegis(&backup.accounts, new)?;
        write_private(&path, contents.as_bytes()).map_err(|e| match e {
            Error::ExportFailed(detail) => Error::BackupWriteFailed(detail),
            other => other,
        })?;
        done.changed += 1;
    }
    Ok(done)
}

/// What [`reencrypt`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reencrypted {
    pub changed: usize,
    /// Backups that did not open with the old password (written with an earlier one).
    pub left_alone: usize,
}

fn folder_error(folder: &Path, error: &std::io::Error) -> Error {
    match error.kind() {
        std::io::ErrorKind::NotFound => Error::BackupFolderMissing(folder.display().to_string()),
        _ => Error::BackupWriteFailed(format!("{}: {error}", folder.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::{OtpParams, SecretKey};

    fn accounts(n: usize) -> Vec<AccountDraft> {
        (0..n)
            .map(|i| {
                let secret = SecretKey::from_bytes(format!("secret-number-{i:06}").into_bytes());
                AccountDraft::new(
                    "Corp",
                    &format!("user{i}"),
                    secret.unwrap(),
                    OtpParams::default_totp(),
                )
                .unwrap()
            })
            .collect()
    }

    #[test]
    fn names_sort_as_the_backups_were_made() {
        assert_eq!(
            file_name(1_796_049_709),
            "pocket-backup-2026-11-30_14-41-49.json"
        );
        assert!(file_name(1_796_049_709) < file_name(1_796_049_710));
    }

    #[test]
    fn only_the_newest_backups_are_kept_and_nothing_else_is_touched() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join("notes.txt"), "mine").unwrap();
        let drafts = accounts(3);
        for t in 0..5u64 {
            write_backup(
                folder.path(),
                &drafts,
                "a backup password",
                3,
                1_000_000 + t * 60,
            )
            .unwrap();
        }
        let kept = list(folder.path()).unwrap();
        let names: Vec<String> = kept
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                file_name(1_000_120),
                file_name(1_000_180),
                file_name(1_000_240)
            ]
        );
        assert!(folder.path().join("notes.txt").exists());
        // Each decrypts to the accounts.
        let text = std::fs::read_to_string(&kept[2]).unwrap();
        assert_eq!(
            read_aegis(&text, Some("a backup password"))
                .unwrap()
                .accounts,
            drafts
        );
        // Two in one second are both kept, in order.
        let again =
            write_backup(folder.path(), &drafts, "a backup password", 10, 1_000_240).unwrap();
        assert!(
            again
                .path
                .ends_with("pocket-backup-1970-01-12_13-50-40-2.json"),
            "{:?}",
            again.path
        );
    }

    #[test]
    fn a_new_password_reencrypts_every_backup_the_old_one_opened() {
        let folder = tempfile::tempdir().unwrap();
        let drafts = accounts(2);
        write_backup(folder.path(), &drafts, "the old password", 5, 0).unwrap();
        write_backup(folder.path(), &drafts[..1], "the old password", 5, 60).unwrap();
        write_backup(folder.path(), &drafts, "an even older one", 5, 120).unwrap();
        let done = reencrypt(folder.path(), "the old password", "the new password").unwrap();
        assert_eq!(
            done,
            Reencrypted {
                changed: 2,
                left_alone: 1
            }
        );
        let files = list(folder.path()).unwrap();
        let open = |path: &PathBuf, password| {
            read_aegis(&std::fs::read_to_string(path).unwrap(), Some(password)).map(|b| b.accounts)
        };
        assert_eq!(open(&files[0], "the new password").unwrap(), drafts);
        assert_eq!(open(&files[1], "the new password").unwrap(), drafts[..1]);
        assert_eq!(
            open(&files[0], "the old password").unwrap_err().code(),
            "wrong_backup_password"
        );
        assert_eq!(open(&files[2], "an even older one").unwrap(), drafts);
    }

    #[test]
    fn a_missing_or_read_only_folder_fails_clearly_and_keeps_what_was_there() {
        let folder = tempfile::tempdir().unwrap();
        let gone = folder.path().join("gone");
        assert_eq!(
            write_backup(&gone, &accounts(1), "a backup password", 3, 0)
                .unwrap_err()
                .code(),
            "backup_folder_missing"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let first =
                write_backup(folder.path(), &accounts(1), "a backup password", 3, 0).unwrap();
            std::fs::set_permissions(folder.path(), std::fs::Permissions::from_mode(0o500))
                .unwrap();
            // root ignores permissions: only check where they hold.
            if std::fs::write(folder.path().join("probe"), "x").is_err() {
                let error = write_backup(folder.path(), &accounts(2), "a backup password", 3, 60)
                    .unwrap_err();
                assert_eq!(error.code(), "backup_write_failed");
                assert_eq!(
                    list(folder.path()).unwrap(),
                    std::slice::from_ref(&first.path)
                );
            }
            std::fs::set_permissions(folder.path(), std::fs::Permissions::from_mode(0o700))
                .unwrap();
        }
    }
}
