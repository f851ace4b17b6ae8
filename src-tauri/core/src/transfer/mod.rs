//! Moving accounts in and out of Pocket: Aegis vaults, plain lists of otpauth:// links, and
//! writing exports so that only their owner can read them.

mod aegis;
mod uri_list;

use std::io::Write;
use std::path::Path;

pub use aegis::{read_aegis, write_aegis};
pub use uri_list::{read_uri_list, write_uri_list};

use crate::error::{Error, Result};
use crate::otp::{AccountDraft, SkippedAccount};

/// What a file held: the accounts Pocket can take, and the others with the reason.
#[derive(Debug, Default)]
pub struct Imported {
    pub accounts: Vec<AccountDraft>,
    pub skipped: Vec<SkippedAccount>,
}

/// The formats Pocket reads, told apart by content (a file's name says little).
pub fn read_backup(text: &str, password: Option<&str>) -> Result<Imported> {
    if text.trim_start().starts_with('{') {
        read_aegis(text, password)
    } else {
        read_uri_list(text)
    }
}

/// Writes an export readable by its owner only (0600 on Unix), replacing any file there: the
/// bytes go to a new private file beside it, which then takes its place, so a failure (a
/// full disk) leaves no half-written export and no earlier file's wider permissions.
pub fn write_private(path: &Path, contents: &[u8]) -> Result<()> {
    let io = |e: std::io::Error| Error::ExportFailed(e.to_string());
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| Error::ExportFailed("no file name".into()))?;
    let temporary = dir.join(format!(
        ".{}.{}.part",
        name.to_string_lossy(),
        uuid::Uuid::new_v4().simple()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&temporary).and_then(|mut file| {
        file.write_all(contents)?;
        file.sync_all()
    });
    if let Err(error) = written.and_then(|()| std::fs::rename(&temporary, path)) {
        let _ = std::fs::remove_file(&temporary);
        return Err(io(error));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
