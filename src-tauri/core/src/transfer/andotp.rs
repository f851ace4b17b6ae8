//! andOTP's backups: a plain JSON array of entries, or the encrypted `.json.aes` file, which
//! is the iteration count (4 bytes, big-endian), a 12-byte salt, a 12-byte nonce, then that
//! JSON sealed with AES-256-GCM under PBKDF2-HMAC-SHA1 of the password. Before 0.6.3 the file
//! was only the nonce and the sealed JSON, keyed by SHA-256 of the password; nothing in the
//! file tells the two apart, so the old (cheap) way is tried first and the tag decides.

use serde::Deserialize;
use serde_json::Value;

use sha2::Digest;
use zeroize::Zeroizing;

use super::crypto::{Pbkdf2, aes_gcm_open, damaged, pbkdf2};
use super::exported::{ExportedAccount, ExportedKind, ExportedSecret, label};
use super::kdf::KdfBudget;
use super::wipe::{Entries, entry_as};
use super::{Format, Imported};
use crate::error::{Error, Result};

const SALT: usize = 12;
const NONCE: usize = 12;
const HEADER: usize = 4 + SALT + NONCE;
/// andOTP draws its count from 140,000 to 160,000; anything far outside is not its file.
const ITERATIONS: std::ops::RangeInclusive<u32> = 1_000..=10_000_000;
/// More than this, several times what andOTP writes, is refused unrun.
const MAX_ITERATIONS: u32 = 1_000_000;

pub struct AndOtp;

#[derive(Deserialize)]
struct Entry {
    secret: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    label: String,
    #[serde(rename = "type")]
    kind: String,
    algorithm: Option<String>,
    digits: Option<u64>,
    period: Option<u64>,
    counter: Option<u64>,
}

impl Drop for Entry {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.secret);
    }
}

fn plain_entries(text: &str) -> Option<Vec<Value>> {
    let entries: Vec<Value> = serde_json::from_str(text).ok()?;
    entries
        .iter()
        .all(|e| e.get("secret").is_some() && e.get("type").is_some())
        .then_some(entries)
}

/// The iteration count of an encrypted backup: binary, with a count andOTP could have drawn.
fn encrypted_header(file: &[u8]) -> Option<u32> {
    if file.len() < 4 || super::text(file).is_some() {
        return None;
    }
    let iterations = u32::from_be_bytes(file[..4].try_into().ok()?);
    ITERATIONS.contains(&iterations).then_some(iterations)
}

/// Files that start like these are pictures, documents or databases, not andOTP's: its old
/// encrypted file has no mark of its own, so any other binary file may be one.
const NOT_ANDOTP: &[&[u8]] = &[
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"BM",
    b"RIFF",
    b"%PDF",
    b"SQLite format 3",
    b"\x1f\x8b",
    b"\x7fELF",
    b"PK",
    // KeePass 1 (KeePass 2's own signature is read as a database before andOTP is asked).
    b"\x03\xd9\xa2\x9a",
    // UTF-16 text with its byte-order mark.
    b"\xff\xfe",
    b"\xfe\xff",
];

/// A binary file long enough to be the old encryption of an empty list, and not one of
/// the kinds above (nor HEIF/AVIF/MP4, which say `ftyp` at byte 4).
fn maybe_old(file: &[u8]) -> bool {
    file.len() >= NONCE + 16 + 2
        && super::text(file).is_none()
        && !NOT_ANDOTP.iter().any(|magic| file.starts_with(magic))
        && file.get(4..8) != Some(b"ftyp")
}

/// The old encryption: a nonce, then the list sealed under SHA-256 of the password.
fn open_old(file: &[u8], password: &str) -> Result<Zeroizing<Vec<u8>>> {
    let key = Zeroizing::new(<[u8; 32]>::from(sha2::Sha256::digest(password.as_bytes())));
    aes_gcm_open(key.as_slice(), &file[..NONCE], &file[NONCE..], &[])
}

impl Format for AndOtp {
    fn name(&self) -> &'static str {
        "andotp"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        let array = super::text(file).is_some_and(|text| text.trim_start().starts_with('['));
        (array && super::names_keys(file, &["secret", "label", "type"]))
            || encrypted_header(file).is_some()
            || maybe_old(file)
    }

    fn is_encrypted(&self, file: &[u8]) -> bool {
        encrypted_header(file).is_some() || maybe_old(file)
    }

    fn read(&self, file: &[u8], password: Option<&str>, kdf: &mut KdfBudget) -> Result<Imported> {
        let entries = Entries(if super::text(file).is_some() {
            super::text(file)
                .and_then(plain_entries)
                .ok_or_else(|| damaged("not an andOTP backup"))?
        } else {
            let password = password.ok_or(Error::BackupPasswordRequired)?;
            let plain = decrypt(file, password, kdf)?;
            std::str::from_utf8(&plain)
                .ok()
                .and_then(plain_entries)
                .ok_or_else(|| damaged("the decrypted backup is not andOTP's list"))?
        });
        let mut imported = Imported::default();
        for entry in entries.iter() {
            let text = |key: &str| entry.get(key).and_then(Value::as_str).unwrap_or("");
            let read = entry_as::<Entry>(entry)
                .map_err(|_| Error::invalid("secret", "this entry is incomplete"))
                .and_then(|e| read_entry(&e));
            imported.take(|| label(text("issuer"), text("label")), read);
        }
        Ok(imported)
    }
}

/// Either encryption: the old one first (it costs one hash), then the iteration count's.
fn decrypt(file: &[u8], password: &str, kdf: &mut KdfBudget) -> Result<Zeroizing<Vec<u8>>> {
    let old = if maybe_old(file) {
        open_old(file, password)
    } else {
        Err(damaged("the backup is cut short"))
    };
    let Some(iterations) = encrypted_header(file) else {
        return old;
    };
    if old.is_ok() {
        return old;
    }
    if file.len() < HEADER + 16 {
        return Err(damaged("the backup is cut short"));
    }
    if iterations > MAX_ITERATIONS {
        return Err(Error::BackupTooCostly);
    }
    let salt = &file[4..4 + SALT];
    let key = pbkdf2(Pbkdf2::Sha1, password.as_bytes(), salt, iterations, kdf)?;
    aes_gcm_open(
        key.as_slice(),
        &file[4 + SALT..HEADER],
        &file[HEADER..],
        &[],
    )
}

fn read_entry(entry: &Entry) -> Result<crate::otp::AccountDraft> {
    // Older andOTP versions had no issuer field: the label held "Issuer - name" (before
    // that, "Issuer:name").
    let (issuer, name) = match (entry.issuer.trim(), entry.label.split_once(" - ")) {
        ("", Some((issuer, name))) => (issuer, name),
        ("", None) => match entry.label.split_once(':') {
            Some((issuer, name)) => (issuer, name),
            None => ("", entry.label.as_str()),
        },
        (issuer, _) => (issuer, entry.label.as_str()),
    };
    ExportedAccount {
        issuer,
        name,
        kind: ExportedKind::named(&entry.kind),
        secret: ExportedSecret::Base32(&entry.secret),
        algorithm: entry.algorithm.as_deref(),
        digits: entry.digits,
        period: entry.period,
        counter: entry.counter,
    }
    .draft()
}
