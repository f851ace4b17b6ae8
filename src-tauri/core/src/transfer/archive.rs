//! Zip archives, as some apps export (Proton Pass, Authenticator Plus) or as a folder of
//! files travels (Steam Desktop Authenticator's `maFiles`). Only what an export needs: the
//! names in the archive, and entries' bytes. An archive is opened once per read, its entry
//! count checked from its end record before its directory is parsed, and everything
//! unpacked from it shares one cap, so that a small archive cannot unpack into gigabytes
//! however its entries are arranged.

use std::io::{Cursor, Read};

use zeroize::Zeroizing;

use super::MAX_BACKUP_BYTES;
use super::crypto::damaged;
use crate::error::{Error, Result};

/// More entries than this is no export: the directory alone would be megabytes.
const MAX_ENTRIES: usize = 10_000;
const END_RECORD: &[u8; 4] = b"PK\x05\x06";
const END_RECORD_LENGTH: usize = 22;

/// Whether `file` starts as a zip archive (an entry, or the end record of an empty one).
pub(crate) fn is_zip(file: &[u8]) -> bool {
    file.starts_with(b"PK\x03\x04") || file.starts_with(END_RECORD)
}

/// The entry count the archive's end record states, read before anything else: the last
/// end-record signature within the largest comment's reach.
fn stated_entries(file: &[u8]) -> Option<usize> {
    let reach = file
        .len()
        .saturating_sub(END_RECORD_LENGTH + usize::from(u16::MAX));
    let at = (reach..=file.len().checked_sub(END_RECORD_LENGTH)?)
        .rev()
        .find(|&at| file[at..].starts_with(END_RECORD))?;
    let count = u16::from_le_bytes([file[at + 10], file[at + 11]]);
    // 0xFFFF defers to a zip64 record: an archive that large is no export.
    (count != u16::MAX).then_some(usize::from(count))
}

/// An archive open for reading, with what may still be unpacked from it.
pub(crate) struct Archive<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    left: usize,
}

impl<'a> Archive<'a> {
    pub fn open(file: &'a [u8]) -> Result<Archive<'a>> {
        if !is_zip(file) {
            return Err(damaged("the file is not a zip archive"));
        }
        match stated_entries(file) {
            None => return Err(damaged("the zip archive is not complete: it was cut short")),
            Some(count) if count > MAX_ENTRIES => {
                return Err(damaged("the zip archive holds more files than any export"));
            }
            Some(_) => {}
        }
        let zip = zip::ZipArchive::new(Cursor::new(file))
            .map_err(|e| damaged(format!("the zip archive is not readable: {e}")))?;
        Ok(Archive {
            zip,
            left: MAX_BACKUP_BYTES,
        })
    }

    pub fn names(&self) -> Vec<String> {
        self.zip
            .file_names()
            .filter_map(|n| n.ok())
            .map(|n| n.into_owned())
            .collect()
    }

    pub fn len(&self) -> usize {
        self.zip.len()
    }

    /// Whether any file in the archive is encrypted.
    pub fn any_encrypted(&mut self) -> bool {
        (0..self.zip.len()).any(|i| self.zip.by_index_raw(i).is_ok_and(|f| f.encrypted()))
    }

    /// The bytes of the file `name`, unpacked; `password` opens an encrypted entry (both zip
    /// encryptions). What is unpacked counts against the archive's cap.
    pub fn read(&mut self, name: &str, password: Option<&str>) -> Result<Zeroizing<Vec<u8>>> {
        let index = self
            .zip
            .index_for_name(name)
            .ok_or_else(|| damaged(format!("the archive has no {name}")))?;
        let raw = self
            .zip
            .by_index_raw(index)
            .map_err(|e| damaged(format!("{name} is not readable: {e}")))?;
        let (encrypted, stated_size) = (raw.encrypted(), raw.size());
        drop(raw);
        let entry = match (encrypted, password) {
            (false, _) => self.zip.by_index(index),
            (true, None) => return Err(Error::BackupPasswordRequired),
            (true, Some(password)) => self.zip.by_index_decrypt(index, password.as_bytes()),
        };
        let entry = entry.map_err(|e| match e {
            zip::result::ZipError::InvalidPassword => Error::WrongBackupPassword,
            e => damaged(format!("{name} is not readable: {e}")),
        })?;
        // Sized up front from what the entry states (within the cap), so the buffer holding
        // a secret is not grown, and its earlier copies left unwiped, as it fills.
        let mut bytes = Zeroizing::new(Vec::new());
        let expected = usize::try_from(stated_size)
            .unwrap_or(usize::MAX)
            .min(self.left);
        bytes
            .try_reserve_exact(expected.saturating_add(1))
            .map_err(|_| Error::BackupTooLarge)?;
        entry
            .take(self.left as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| {
                // Without a MAC (ZipCrypto) a wrong password shows only as data that fails
                // its checksum.
                if encrypted {
                    Error::WrongBackupPassword
                } else {
                    damaged(format!("{name} is not readable: {e}"))
                }
            })?;
        if bytes.len() > self.left {
            return Err(Error::BackupTooLarge);
        }
        self.left -= bytes.len();
        Ok(bytes)
    }
}

/// The names of the files in the archive, or none when it is not one that can be read.
pub(crate) fn names(file: &[u8]) -> Option<Vec<String>> {
    Archive::open(file).ok().map(|archive| archive.names())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_archive_stating_too_many_entries_is_refused_before_its_directory_is_read() {
        let mut end = END_RECORD.to_vec();
        end.extend_from_slice(&[0, 0, 0, 0]);
        end.extend_from_slice(&20_000u16.to_le_bytes());
        end.extend_from_slice(&20_000u16.to_le_bytes());
        end.extend_from_slice(&[0; 10]);
        let refused = Archive::open(&end).err().map(|e| e.to_string());
        assert!(refused.unwrap().contains("more files than any export"));
        let mut zip64 = end.clone();
        zip64[10..12].copy_from_slice(&u16::MAX.to_le_bytes());
        assert!(Archive::open(&zip64).is_err());
        // No end record at all: cut short.
        let cut = Archive::open(b"PK\x03\x04 and then nothing")
            .err()
            .map(|e| e.to_string());
        assert!(cut.unwrap().contains("cut short"));
    }
}
