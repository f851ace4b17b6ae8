//! Automatic encrypted backups: after every change to the accounts, an encrypted Aegis vault
//! of all of them in a folder the user chose, named with its date and time, written
//! atomically, read back and checked, and only the newest few kept. Push tokens are not in
//! it: their keys belong to this phone.

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

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

impl Written {
    /// The new backup's file name, as the list of this install's backups records it.
    pub fn name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// A backup file's name for `now` (Unix seconds, UTC): sorting the names sorts the backups.
pub fn file_name(now: u64) -> String {
    let stamp = crate::clock::iso8601(now);
    // 2026-12-01T21:51:21+00:00 → 2026-12-01_21-51-21
    let stamp = stamp[..19].replace('T', "_").replace(':', "-");
    format!("{PREFIX}{stamp}{SUFFIX}")
}

/// The files in `folder` named as Pocket names its backups, oldest first by name. Anyone can
/// put a file of that name there (a synced folder): what may be removed is decided by the
/// list of what this install wrote, not by names.
pub fn list(folder: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(folder).map_err(|e| folder_error(folder, &e))?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
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
/// and removes all but the newest `keep` of the backups this install wrote (`ours`, by file
/// name), never the one just written. Files it did not write are never removed, however they
/// are named or dated. A failure at any step leaves the earlier backups as they were; the
/// accounts themselves are never touched.
pub fn write_backup(
    folder: &Path,
    accounts: &[AccountDraft],
    password: &str,
    keep: usize,
    now: u64,
    ours: &[String],
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
    write_backup_file(&path, contents.as_bytes())?;
    let written = std::fs::read_to_string(&path).map_err(|e| folder_error(folder, &e))?;
    let back = read_aegis(&written, Some(password)).map_err(|_| Error::BackupCheckFailed)?;
    if back.accounts != accounts {
        let _ = std::fs::remove_file(&path);
        return Err(Error::BackupCheckFailed);
    }
    let older: Vec<PathBuf> = list(folder)?
        .into_iter()
        .filter(|old| *old != path)
        .filter(|old| {
            old.file_name()
                .is_some_and(|n| ours.iter().any(|ours| n.to_string_lossy() == *ours))
        })
        .collect();
    let mut removed = Vec::new();
    for old in older
        .iter()
        .take((older.len() + 1).saturating_sub(keep.max(1)))
    {
        std::fs::remove_file(old).map_err(|e| folder_error(folder, &e))?;
        removed.push(old.clone());
    }
    Ok(Written {
        path,
        accounts: accounts.len(),
        removed,
    })
}

/// The backups in `folder` that open with `old`, each with its contents encrypted again with
/// `new`: nothing is written yet. A password the user changed (because it leaked, say) must
/// open none of them afterwards; files that do not open with `old` are left as they are.
pub fn prepare_reencryption(folder: &Path, old: &str, new: &str) -> Result<Reencryption> {
    let mut prepared = Reencryption::default();
    for path in list(folder)? {
        let text = std::fs::read_to_string(&path).map_err(|e| folder_error(folder, &e))?;
        let Ok(backup) = read_aegis(&text, Some(old)) else {
            prepared.left_alone += 1;
            continue;
        };
        let contents = write_aegis(&backup.accounts, new)?;
        prepared.files.push((path, text, contents));
    }
    Ok(prepared)
}

/// A re-encryption worked out: each file with its old and its new contents.
#[derive(Default)]
pub struct Reencryption {
    files: Vec<(PathBuf, String, Zeroizing<String>)>,
    /// Backups that did not open with the old password (written with an earlier one).
    pub left_alone: usize,
}

impl Reencryption {
    /// Writes every file's new contents, each atomically; returns how many. When one cannot
    /// be written, those already written are put back, so the backups are all under the old
    /// password, as the error says.
    pub fn write(&self) -> Result<usize> {
        self.write_with(write_backup_file)
    }

    fn write_with(&self, mut write: impl FnMut(&Path, &[u8]) -> Result<()>) -> Result<usize> {
        for (done, (path, _, contents)) in self.files.iter().enumerate() {
            if let Err(error) = write(path, contents.as_bytes()) {
                self.put_back(&self.files[..done]);
                return Err(error);
            }
        }
        Ok(self.files.len())
    }

    /// Puts every file back as it was, when the new password could not be kept after all.
    pub fn undo(&self) {
        self.put_back(&self.files);
    }

    fn put_back(&self, files: &[(PathBuf, String, Zeroizing<String>)]) {
        for (path, old, _) in files {
            if let Err(error) = write_backup_file(path, old.as_bytes()) {
                log::warn!("could not put back {}: {error}", path.display());
            }
        }
    }
}

fn write_backup_file(path: &Path, contents: &[u8]) -> Result<()> {
    write_private(path, contents).map_err(|e| match e {
        Error::ExportFailed(detail) => Error::BackupWriteFailed(detail),
        other => other,
    })
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

    /// The list of this install's backups after `written`, as the app keeps it.
    fn noted(ours: &mut Vec<String>, written: &Written) {
        ours.push(written.name());
        ours.retain(|name| !written.removed.iter().any(|r| r.ends_with(name)));
    }

    #[test]
    fn files_planted_under_a_backups_name_are_never_pruned_and_prune_nothing() {
        // A synced folder holding someone else's files named and dated like backups: one
        // dated far ahead, which would sort after every new backup, and a folder.
        let folder = tempfile::tempdir().unwrap();
        let planted = folder.path().join("pocket-backup-2099-01-01_00-00-00.json");
        std::fs::write(&planted, "not ours").unwrap();
        let planted_folder = folder.path().join("pocket-backup-2098-01-01_00-00-00.json");
        std::fs::create_dir(&planted_folder).unwrap();
        let mut ours = Vec::new();
        let mut last = None;
        for t in 0..3u64 {
            let written = write_backup(
                folder.path(),
                &accounts(1),
                "a backup password",
                1,
                t * 60,
                &ours,
            )
            .unwrap();
            assert!(written.path.exists(), "the new backup was pruned");
            noted(&mut ours, &written);
            last = Some(written.path);
        }
        assert!(planted.exists() && planted_folder.is_dir());
        assert_eq!(
            list(folder.path()).unwrap(),
            [last.unwrap(), planted.clone()]
        );
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
        let mut ours = Vec::new();
        for t in 0..5u64 {
            let written = write_backup(
                folder.path(),
                &drafts,
                "a backup password",
                3,
                1_000_000 + t * 60,
                &ours,
            )
            .unwrap();
            noted(&mut ours, &written);
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
        let again = write_backup(
            folder.path(),
            &drafts,
            "a backup password",
            10,
            1_000_240,
            &ours,
        )
        .unwrap();
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
        write_backup(folder.path(), &drafts, "the old password", 5, 0, &[]).unwrap();
        write_backup(folder.path(), &drafts[..1], "the old password", 5, 60, &[]).unwrap();
        write_backup(folder.path(), &drafts, "an even older one", 5, 120, &[]).unwrap();
        let prepared =
            prepare_reencryption(folder.path(), "the old password", "the new password").unwrap();
        assert_eq!(prepared.left_alone, 1);
        assert_eq!(prepared.write().unwrap(), 2);
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
    fn a_reencryption_that_cannot_finish_puts_back_what_it_wrote() {
        let folder = tempfile::tempdir().unwrap();
        for t in 0..3 {
            write_backup(
                folder.path(),
                &accounts(1),
                "the old password",
                5,
                t * 60,
                &[],
            )
            .unwrap();
        }
        let prepared =
            prepare_reencryption(folder.path(), "the old password", "the new password").unwrap();
        // The third write fails (a full disk, say): the first two are put back.
        let mut writes = 0;
        let error = prepared
            .write_with(|path, contents| {
                writes += 1;
                if writes == 3 {
                    return Err(Error::BackupWriteFailed("disk full".into()));
                }
                write_backup_file(path, contents)
            })
            .unwrap_err();
        assert_eq!(error.code(), "backup_write_failed");
        for path in list(folder.path()).unwrap() {
            let text = std::fs::read_to_string(&path).unwrap();
            read_aegis(&text, Some("the old password")).unwrap();
        }
        // And all of it undone on request, once written.
        assert_eq!(prepared.write().unwrap(), 3);
        prepared.undo();
        for path in list(folder.path()).unwrap() {
            let text = std::fs::read_to_string(&path).unwrap();
            read_aegis(&text, Some("the old password")).unwrap();
        }
    }

    #[test]
    fn a_missing_or_read_only_folder_fails_clearly_and_keeps_what_was_there() {
        let folder = tempfile::tempdir().unwrap();
        let gone = folder.path().join("gone");
        assert_eq!(
            write_backup(&gone, &accounts(1), "a backup password", 3, 0, &[])
                .unwrap_err()
                .code(),
            "backup_folder_missing"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let first =
                write_backup(folder.path(), &accounts(1), "a backup password", 3, 0, &[]).unwrap();
            std::fs::set_permissions(folder.path(), std::fs::Permissions::from_mode(0o500))
                .unwrap();
            // root ignores permissions: only check where they hold.
            if std::fs::write(folder.path().join("probe"), "x").is_err() {
                let error =
                    write_backup(folder.path(), &accounts(2), "a backup password", 3, 60, &[])
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
