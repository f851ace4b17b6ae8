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

use super::archive::{self, Archive};
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
pub fn is_steam_manifest(file: &[u8]) -> bool {
    super::names_keys(file, &["entries", "encrypted", "steamid"])
}

/// Names Windows keeps for devices, whatever follows the dot ("CON.maFile" is the console).
const DEVICES: &[&str] = &["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"];

/// Whether a name from the manifest is a plain `.maFile` name, in its folder, on any system:
/// no separator, no drive, no device.
pub(super) fn in_folder(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").to_ascii_uppercase();
    let numbered_device = (stem.starts_with("COM") || stem.starts_with("LPT"))
        && stem.len() == 4
        && stem.as_bytes()[3].is_ascii_digit();
    name.ends_with(EXTENSION)
        && !name.starts_with('.')
        && !name.contains(['/', '\\', ':'])
        && !DEVICES.contains(&stem.as_str())
        && !numbered_device
}

/// The maFiles folder as the zip a phone would carry: the manifest and each file it lists,
/// read by `read` (a name in the folder; at most [`super::MAX_BACKUP_BYTES`] in all). What
/// a desktop does when the user picks the manifest itself.
pub fn bundle_steam_folder(
    manifest_file: &[u8],
    mut read: impl FnMut(&str) -> std::io::Result<Vec<u8>>,
) -> Result<Vec<u8>> {
    use std::io::Write;
    let listed = manifest(manifest_file)?;
    let failed =
        |e: zip::result::ZipError| damaged(format!("the folder could not be bundled: {e}"));
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    archive
        .start_file(format!("maFiles/{MANIFEST}"), options)
        .map_err(failed)?;
    archive
        .write_all(manifest_file)
        .map_err(|e| failed(e.into()))?;
    let mut total = manifest_file.len();
    for entry in listed.entries.iter().filter(|e| in_folder(&e.filename)) {
        let Ok(bytes) = read(&entry.filename) else {
            // A file that is not there is named in the import's report, as a zip without it.
            continue;
        };
        total = total.saturating_add(bytes.len());
        if total > super::MAX_BACKUP_BYTES {
            return Err(Error::BackupTooLarge);
        }
        archive
            .start_file(format!("maFiles/{}", entry.filename), options)
            .map_err(failed)?;
        archive.write_all(&bytes).map_err(|e| failed(e.into()))?;
    }
    Ok(archive.finish().map_err(failed)?.into_inner())
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
            || is_steam_manifest(file)
            || (archive::is_zip(file)
                && archive::names(file).is_some_and(|names| folder_in(&names).is_some()))
    }

    fn is_encrypted(&self, file: &[u8]) -> bool {
        let Ok(mut archive) = Archive::open(file) else {
            return false;
        };
        if archive.any_encrypted() {
            return true;
        }
        match folder_in(&archive.names()) {
            Some((folder, true)) => archive
                .read(&format!("{folder}{MANIFEST}"), None)
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
        if is_steam_manifest(file) {
            return Err(damaged(
                "the manifest only lists the accounts: choose the maFiles folder as a zip",
            ));
        }
        // One opening: what every file unpacks to counts against one cap.
        let mut archive = Archive::open(file)?;
        let names = archive.names();
        let Some((folder, true)) = folder_in(&names) else {
            // Loose .maFile files, unencrypted (encrypted ones need the manifest's salts).
            for name in names.iter().filter(|n| n.ends_with(EXTENSION)) {
                let bytes = archive.read(name, password)?;
                let (shown, read) = read_ma_file(&bytes, name);
                imported.take(|| shown, read);
            }
            return Ok(imported);
        };
        let mut manifest = manifest(&archive.read(&format!("{folder}{MANIFEST}"), password)?)?;
        // Each file once, and no more files than the archive holds.
        let mut seen = std::collections::HashSet::new();
        manifest.entries.retain(|e| seen.insert(e.filename.clone()));
        if manifest.entries.len() > archive.len() {
            return Err(damaged(
                "the manifest lists more files than the folder holds",
            ));
        }
        let key_password = match (manifest.encrypted, password) {
            (false, _) => None,
            (true, None) => return Err(Error::BackupPasswordRequired),
            (true, Some(password)) => Some(password),
        };
        // Each file has its own salt: every derivation is paid for before the first runs.
        if key_password.is_some() {
            kdf.spend(&vec![KdfCost::pbkdf2(ITERATIONS); manifest.entries.len()])?;
        }
        for entry in &manifest.entries {
            // A name from the file stays a name: no path inside the archive but the folder.
            if !in_folder(&entry.filename) {
                imported.take(
                    || entry.filename.clone(),
                    Err(damaged("the manifest names a file outside its folder")),
                );
                continue;
            }
            let bytes = match archive.read(&format!("{folder}{}", entry.filename), password) {
                Ok(bytes) => bytes,
                Err(error @ (Error::BackupTooLarge | Error::WrongBackupPassword)) => {
                    return Err(error);
                }
                Err(error) => {
                    imported.take(|| entry.filename.clone(), Err(error));
                    continue;
                }
            };
            let plain = match key_password {
                None => bytes,
                Some(key_password) => decrypt(&bytes, entry, key_password)?,
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
