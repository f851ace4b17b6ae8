//! Files the user chooses in the system's own dialogs: one to import, a place to save an
//! export. On desktop a dialog gives a path; on phones a `content://` URI the fs plugin opens.
//! Exports on desktop are written for their owner only; on phones the system's save dialog
//! decides where the file goes, and other apps reach only what the user put there.

use std::io::{Read, Write};

use pocket_core::transfer::{
    MAX_BACKUP_BYTES, bundle_steam_folder, is_steam_manifest, write_private,
};
use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::{DialogExt, FilePath};
use tauri_plugin_fs::{FsExt, OpenOptions};
use zeroize::Zeroizing;

use crate::error::IpcError;

/// A file picked for import: what the user knows it by, and its bytes.
pub struct Picked {
    pub name: String,
    pub bytes: Zeroizing<Vec<u8>>,
}

/// Asks for a file to import and reads it; `None` when the user closed the dialog. Files
/// larger than any backup are refused unread.
pub async fn pick_to_import<R: Runtime>(
    app: &AppHandle<R>,
    title: String,
    start_in: Option<std::path::PathBuf>,
) -> Result<Option<Picked>, IpcError> {
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let mut dialog = app.dialog().file().set_title(title);
        if let Some(folder) = start_in {
            dialog = dialog.set_directory(folder);
        }
        let Some(path) = dialog.blocking_pick_file() else {
            return Ok(None);
        };
        let name = display_name(&path);
        let mut options = OpenOptions::new();
        options.read(true);
        let file = app
            .fs()
            .open(path.clone(), options)
            .map_err(IpcError::file)?;
        let mut bytes = read_capped(file, MAX_BACKUP_BYTES)?;
        // Steam Desktop Authenticator's manifest names the files beside it: on a computer
        // they are read and bundled with it, as the folder zipped would be.
        if let (true, FilePath::Path(manifest)) = (is_steam_manifest(&bytes), &path) {
            let folder = manifest.parent().unwrap_or(std::path::Path::new("."));
            let bundled = bundle_steam_folder(&bytes, |name| {
                let file = std::fs::File::open(folder.join(name))?;
                read_capped(file, MAX_BACKUP_BYTES)
                    .map(|bytes| bytes.to_vec())
                    .map_err(|_| std::io::Error::other("too large"))
            })?;
            bytes = Zeroizing::new(bundled);
        }
        Ok(Some(Picked { name, bytes }))
    })
    .await
    .map_err(|e| IpcError::internal(&e))?
}

/// `reader`'s bytes, refused past `max`: the size a file claims is not trusted.
fn read_capped(reader: impl Read, max: usize) -> Result<Zeroizing<Vec<u8>>, IpcError> {
    let mut bytes = Zeroizing::new(Vec::new());
    reader
        .take(max as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(IpcError::file)?;
    if bytes.len() > max {
        return Err(pocket_core::Error::BackupTooLarge.into());
    }
    Ok(bytes)
}

/// Asks where to save `contents` (offering `file_name`) and writes it there; returns what
/// the user knows the place by, or `None` when they closed the dialog.
pub async fn save_export<R: Runtime>(
    app: &AppHandle<R>,
    title: String,
    file_name: String,
    contents: Zeroizing<Vec<u8>>,
) -> Result<Option<String>, IpcError> {
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let Some(path) = app
            .dialog()
            .file()
            .set_title(title)
            .set_file_name(file_name)
            .blocking_save_file()
        else {
            return Ok(None);
        };
        let shown = display_name(&path);
        match path {
            // A path on this machine: owner-only, and never half-written.
            FilePath::Path(path) => write_private(&path, &contents)?,
            uri @ FilePath::Url(_) => {
                let mut options = OpenOptions::new();
                options.write(true).create(true).truncate(true);
                let mut file = app.fs().open(uri, options).map_err(export_failed)?;
                file.write_all(&contents)
                    .and_then(|()| file.sync_all())
                    .map_err(export_failed)?;
            }
        }
        Ok(Some(shown))
    })
    .await
    .map_err(|e| IpcError::internal(&e))?
}

/// The folder automatic backups go to. On desktop the user picks it in the system's dialog
/// (`None` when they close it); phones offer no folder picker, so there it is Pocket's own
/// documents folder, which the system's file manager reaches.
pub async fn pick_backup_folder<R: Runtime>(
    app: &AppHandle<R>,
    title: String,
    current: Option<std::path::PathBuf>,
) -> Result<Option<std::path::PathBuf>, IpcError> {
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        #[cfg(desktop)]
        {
            use tauri::Manager;
            // A folder dialog opened on "Recent" has nothing to choose: start somewhere real.
            let start = current
                .filter(|folder| folder.is_dir())
                .or_else(|| app.path().document_dir().ok().filter(|d| d.is_dir()))
                .or_else(|| app.path().home_dir().ok());
            let mut dialog = app.dialog().file().set_title(title);
            if let Some(start) = start {
                dialog = dialog.set_directory(start);
            }
            let picked = dialog.blocking_pick_folder();
            Ok(picked.and_then(|path| path.into_path().ok()))
        }
        #[cfg(mobile)]
        {
            use tauri::Manager;
            let _ = (title, current);
            let folder = app
                .path()
                .document_dir()
                .map_err(|e| pocket_core::Error::BackupFolderMissing(e.to_string()))?
                .join("Pocket backups");
            std::fs::create_dir_all(&folder)
                .map_err(|e| pocket_core::Error::BackupWriteFailed(e.to_string()))?;
            Ok(Some(folder))
        }
    })
    .await
    .map_err(|e| IpcError::internal(&e))?
}

fn export_failed(error: std::io::Error) -> IpcError {
    pocket_core::Error::ExportFailed(error.to_string()).into()
}

/// A path as it is; a URI by its last part (phones name files that way).
fn display_name(path: &FilePath) -> String {
    match path {
        FilePath::Path(path) => path.display().to_string(),
        FilePath::Url(url) => url
            .path_segments()
            .and_then(|mut segments| segments.next_back())
            .map(|last| {
                url::form_urlencoded::parse(format!("x={last}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default()
            })
            .unwrap_or_else(|| url.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picked_file_larger_than_any_backup_is_refused_unread() {
        let big = std::io::repeat(b'x');
        let refused = read_capped(big, 1024).err().map(|e| e.code);
        assert_eq!(refused, Some("backup_too_large"));
        let small = read_capped(&b"otpauth://totp/A:a?secret=JBSWY3DP"[..], 1024).unwrap();
        assert_eq!(small.len(), 34);
    }

    #[test]
    fn places_are_named_as_the_user_knows_them() {
        let path = FilePath::Path("/home/alice/pocket-export.json".into());
        assert_eq!(display_name(&path), "/home/alice/pocket-export.json");
        let uri = FilePath::Url(
            url::Url::parse("content://com.android.providers.downloads.documents/document/raw%3A%2Fstorage%2Femulated%2F0%2FDownload%2Fpocket.json")
                .unwrap(),
        );
        assert_eq!(
            display_name(&uri),
            "raw:/storage/emulated/0/Download/pocket.json"
        );
    }
}
