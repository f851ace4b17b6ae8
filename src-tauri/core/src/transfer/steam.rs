//! Steam Desktop Authenticator's accounts: one `.maFile` per account (JSON with Steam's
//! `shared_secret` in Base64 and the `account_name`), kept in a `maFiles` folder with a
//! `manifest.json` that lists them. With encryption on, each file is instead the Base64 of
//! its JSON under AES-256-CBC, keyed by PBKDF2-HMAC-SHA1 of the password (50,000 rounds) with
//! the salt and IV the manifest gives that file. A folder arrives as a zip of it (what a
//! phone can carry), or on a desktop as its manifest, which the app bundles with the files
//! beside it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_json::Value;
use zeroize::Zeroizing;

use super::archive;
use super::crypto::{Pbkdf2, aes_cbc_open, damaged, pbkdf2_paid};
use super::kdf::{KdfBudget, KdfCost};
use super::{Format, Imported};
use crate::error::{Error, Result};
use crate::otp::{AccountDraft, OtpParams, SecretKey};

/// What Steam Desktop Authenticator derives its keys with, for every file.
const ITERATIONS: u32 = 50_000;
const MANIFEST: &str = "manifest.json";
const EXTENSION: &str = ".maFile";

pub struct Steam;

#[derive(Deserialize)]
pub(crate) struct Manifest {
    #[serde(default)]
    encrypted: bool,
    #[serde(default)]
    entries: Vec<ManifestEntry>,
}

#[derive(Deserialize)]
pub(crate) struct ManifestEntry {
    pub filename: String,
    #[serde(default)]
    encryption_iv: Option<String>,
    #[serde(default)]
    encryption_salt: Option<String>,
}

#[derive(Deserialize)]
struct MaFile {
    shared_secret: String,
    #[serde(default)]
    account_name: String,
}

impl Drop for MaFile {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.shared_secret);
    }
}

fn is_ma_file(file: &[u8]) -> bool {
    super::names_keys(file, &["shared_secret", "account_name"])
}

/// A manifest on its own: it names the files but holds no secret.
pub(crate) fn is_manifest(file: &[u8]) -> bool {
    super::names_keys(file, &["entries", "encrypted", "steamid"])
}

pub(crate) fn manifest(file: &[u8]) -> Result<Manifest> {
    let text = super::text(file).ok_or_else(|| damaged("the manifest is not text"))?;
    serde_json::from_str(text).map_err(|_| damaged("the manifest is not complete JSON"))
}

/// The folder's files inside a zip: the manifest (at any depth) and the folder it is in.
fn folder_in(names: &[String]) -> Option<(String, bool)> {
    let manifest = names
        .iter()
        .filter(|n| n.rsplit('/').next() == Some(MANIFEST))
        .min_by_key(|n| n.len());
    match manifest {
        Some(path) => Some((path[..path.len() - MANIFEST.len()].to_string(), true)),
        None => names
            .iter()
            .any(|n| n.ends_with(EXTENSION))
            .then(|| (String::new(), false)),
    }
}

impl Format for Steam {
    fn name(&self) -> &'static str {
        "steam"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        is_ma_file(file)
            || is_manifest(file)
            || (archive::is_zip(file)
                && archive::names(file).is_some_and(|names| folder_in(&names).is_some()))
    }

    fn is_encrypted(&self, file: &[u8]) -> bool {
        let folder = archive::names(file).and_then(|names| folder_in(&names));
        match folder {
            Some((folder, true)) => archive::read(file, &format!("{folder}{MANIFEST}"), None)
                .ok()
                .and_then(|m| manifest(&m).ok())
                .is_some_and(|m| m.encrypted),
            _ => false,
        }
    }

    fn read(&self, file: &[u8], password: Option<&str>, kdf: &mut KdfBudget) -> Result<Imported> {
        let mut imported = Imported::default();
        if is_ma_file(file) {
            if serde_json::from_slice::<serde::de::IgnoredAny>(file).is_err() {
                return Err(damaged("the maFile is not complete JSON"));
            }
            let (shown, read) = read_ma_file(file, "");
            imported.take(|| shown, read);
            return Ok(imported);
        }
        if is_manifest(file) {
            return Err(damaged(
                "the manifest only lists the accounts: choose the maFiles folder as a zip",
            ));
        }
        let names =
            archive::names(file).ok_or_else(|| damaged("the zip archive is not readable"))?;
        let Some((folder, true)) = folder_in(&names) else {
            // Loose .maFile files, unencrypted (encrypted ones need the manifest's salts).
            for name in names.iter().filter(|n| n.ends_with(EXTENSION)) {
                let bytes = archive::read(file, name, None)?;
                let (shown, read) = read_ma_file(&bytes, name);
                imported.take(|| shown, read);
            }
            return Ok(imported);
        };
        let manifest = manifest(&archive::read(file, &format!("{folder}{MANIFEST}"), None)?)?;
        let password = match (manifest.encrypted, password) {
            (false, _) => None,
            (true, None) => return Err(Error::BackupPasswordRequired),
            (true, Some(password)) => Some(password),
        };
        // Each file has its own salt: every derivation is paid for before the first runs.
        if password.is_some() {
            kdf.spend(&vec![KdfCost::pbkdf2(ITERATIONS); manifest.entries.len()])?;
        }
        for entry in &manifest.entries {
            // A name from the file stays a name: no path inside the archive but the folder.
            if entry.filename.contains(['/', '\\']) || entry.filename.starts_with('.') {
                imported.take(
                    || entry.filename.clone(),
                    Err(damaged("the manifest names a file outside its folder")),
                );
                continue;
            }
            let path = format!("{folder}{}", entry.filename);
            let bytes = match archive::read(file, &path, None) {
                Ok(bytes) => bytes,
                Err(error) => {
                    imported.take(|| entry.filename.clone(), Err(error));
                    continue;
                }
            };
            let plain = match password {
                None => bytes,
                Some(password) => decrypt(&bytes, entry, password)?,
            };
            let (shown, read) = read_ma_file(&plain, &entry.filename);
            imported.take(|| shown, read);
        }
        Ok(imported)
    }
}

/// One encrypted `.maFile`, already paid for. A wrong password shows on the first file.
fn decrypt(bytes: &[u8], entry: &ManifestEntry, password: &str) -> Result<Zeroizing<Vec<u8>>> {
    let decode = |text: &Option<String>, what: &str| {
        text.as_deref()
            .and_then(|t| STANDARD.decode(t.trim()).ok())
            .ok_or_else(|| damaged(format!("the manifest has no {what} for {}", entry.filename)))
    };
    let salt = decode(&entry.encryption_salt, "salt")?;
    let iv = decode(&entry.encryption_iv, "IV")?;
    let text = std::str::from_utf8(bytes).map_err(|_| damaged("an encrypted file is not text"))?;
    let sealed = STANDARD
        .decode(text.trim())
        .map_err(|_| damaged(format!("{} is not Base64", entry.filename)))?;
    let key = pbkdf2_paid(Pbkdf2::Sha1, password.as_bytes(), &salt, ITERATIONS);
    let plain = aes_cbc_open(key.as_slice(), &iv, &sealed)?;
    // Without a MAC, a wrong key that happens to unpad shows as text that is not JSON.
    if serde_json::from_slice::<serde::de::IgnoredAny>(&plain).is_err() {
        return Err(Error::WrongBackupPassword);
    }
    Ok(plain)
}

fn read_ma_file(bytes: &[u8], file_name: &str) -> (String, Result<AccountDraft>) {
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(value) => value,
        Err(_) => {
            return (
                file_name.to_string(),
                Err(damaged(format!("{file_name} is not complete JSON"))),
            );
        }
    };
    let value = super::wipe::Entries(vec![value]);
    match super::wipe::entry_as::<MaFile>(&value[0]) {
        Ok(ma_file) => {
            let shown = super::exported::label("Steam", &ma_file.account_name);
            let read = STANDARD
                .decode(ma_file.shared_secret.trim())
                .map_err(|_| Error::invalid("secret", "Steam's shared secret is not Base64"))
                .and_then(SecretKey::from_bytes)
                .and_then(|secret| {
                    AccountDraft::new("Steam", &ma_file.account_name, secret, OtpParams::steam())
                });
            (shown, read)
        }
        Err(_) => (
            file_name.to_string(),
            Err(Error::invalid("secret", "this file has no shared secret")),
        ),
    }
}
