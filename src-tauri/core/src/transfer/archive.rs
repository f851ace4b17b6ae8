//! Zip archives, as some apps export (Proton Pass) or as a folder of files travels (Steam
//! Desktop Authenticator's `maFiles`). Only what an export needs: the names in the archive,
//! and one entry's bytes, read with a cap so that a small archive cannot unpack into
//! gigabytes.

use std::io::{Cursor, Read};

use zeroize::Zeroizing;

use super::MAX_BACKUP_BYTES;
use super::crypto::damaged;
use crate::error::{Error, Result};

/// More entries than this is no export: the central directory alone would be megabytes.
const MAX_ENTRIES: usize = 10_000;

/// Whether `file` starts as a zip archive (an entry, or the end record of an empty one).
pub(crate) fn is_zip(file: &[u8]) -> bool {
    file.starts_with(b"PK\x03\x04") || file.starts_with(b"PK\x05\x06")
}

fn open(file: &[u8]) -> Result<zip::ZipArchive<Cursor<&[u8]>>> {
    if !is_zip(file) {
        return Err(damaged("the file is not a zip archive"));
    }
    let archive = zip::ZipArchive::new(Cursor::new(file))
        .map_err(|e| damaged(format!("the zip archive is not readable: {e}")))?;
    if archive.len() > MAX_ENTRIES {
        return Err(damaged("the zip archive holds more files than any export"));
    }
    Ok(archive)
}

/// The names of the files in the archive, or none when it is not one that can be read.
pub(crate) fn names(file: &[u8]) -> Option<Vec<String>> {
    let archive = open(file).ok()?;
    archive
        .file_names()
        .map(|name| name.map(|name| name.into_owned()))
        .collect::<std::result::Result<_, _>>()
        .ok()
}

/// Whether any file in the archive is encrypted.
pub(crate) fn any_encrypted(file: &[u8]) -> bool {
    open(file).is_ok_and(|mut archive| {
        (0..archive.len()).any(|i| archive.by_index_raw(i).is_ok_and(|f| f.encrypted()))
    })
}

/// The bytes of the file `name`, unpacked; `password` opens an encrypted entry (both zip
/// encryptions). At most [`MAX_BACKUP_BYTES`] are unpacked.
pub(crate) fn read(file: &[u8], name: &str, password: Option<&str>) -> Result<Zeroizing<Vec<u8>>> {
    let mut archive = open(file)?;
    let index = archive
        .index_for_name(name)
        .ok_or_else(|| damaged(format!("the archive has no {name}")))?;
    let encrypted = archive
        .by_index_raw(index)
        .map_err(|e| damaged(format!("{name} is not readable: {e}")))?
        .encrypted();
    let entry = match (encrypted, password) {
        (false, _) => archive.by_index(index),
        (true, None) => return Err(Error::BackupPasswordRequired),
        (true, Some(password)) => archive.by_index_decrypt(index, password.as_bytes()),
    };
    let entry = entry.map_err(|e| match e {
        zip::result::ZipError::InvalidPassword => Error::WrongBackupPassword,
        e => damaged(format!("{name} is not readable: {e}")),
    })?;
    let mut bytes = Zeroizing::new(Vec::new());
    entry
        .take(MAX_BACKUP_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            // Without a MAC (ZipCrypto) a wrong password shows only as data that fails its
            // checksum.
            if encrypted {
                Error::WrongBackupPassword
            } else {
                damaged(format!("{name} is not readable: {e}"))
            }
        })?;
    if bytes.len() > MAX_BACKUP_BYTES {
        return Err(Error::BackupTooLarge);
    }
    Ok(bytes)
}
