//! Proton Authenticator's JSON export: `entries`, each an otpauth:// link (TOTP) or a
//! `steam://` key with a name. The password-protected one has a 16-byte `salt` and
//! `content`, the plain export sealed with AES-256-GCM (its nonce first, and a fixed text as
//! associated data) under Argon2id (19 MiB, 2 passes, one lane).

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use serde::Deserialize;
use serde_json::Value;

use super::crypto::{aes_gcm_open, argon2id, damaged};
use super::exported::label;
use super::kdf::KdfBudget;
use super::wipe::{Entries, entry_as};
use super::{Format, Imported};
use crate::error::{Error, Result};
use crate::otp::{AccountDraft, OtpParams, SecretKey, parse_uri};

const ASSOCIATED: &[u8] = b"proton.authenticator.export.v1";

pub struct Proton;

#[derive(Deserialize)]
struct Export {
    version: u64,
    #[serde(default)]
    entries: Vec<Value>,
}

#[derive(Deserialize)]
struct Protected {
    version: u64,
    salt: String,
    content: String,
}

#[derive(Deserialize)]
struct Entry {
    content: Content,
}

#[derive(Deserialize)]
struct Content {
    uri: String,
    entry_type: String,
    #[serde(default)]
    name: String,
}

/// The link holds the secret.
impl Drop for Content {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.uri);
    }
}

fn is_protected(file: &[u8]) -> bool {
    super::names_keys(file, &["version", "salt", "content"])
        && !super::names_keys(file, &["entries"])
}

impl Format for Proton {
    fn name(&self) -> &'static str {
        "proton"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        super::names_keys(file, &["version", "entries", "entry_type"]) || is_protected(file)
    }

    fn is_encrypted(&self, file: &[u8]) -> bool {
        is_protected(file)
    }

    fn read(&self, file: &[u8], password: Option<&str>, kdf: &mut KdfBudget) -> Result<Imported> {
        let text = super::text(file).ok_or_else(|| damaged("the export is not text"))?;
        let export: Export = if is_protected(file) {
            let password = password.ok_or(Error::BackupPasswordRequired)?;
            let plain = open(text, password, kdf)?;
            serde_json::from_slice(&plain)
                .map_err(|_| damaged("the decrypted export is not readable"))?
        } else {
            serde_json::from_str(text).map_err(|_| damaged("the export is not complete JSON"))?
        };
        if export.version != 1 {
            return Err(damaged(format!(
                "export version {} is not known",
                export.version
            )));
        }
        let entries = Entries(export.entries);
        let mut imported = Imported::default();
        for entry in entries.iter() {
            let name = entry
                .pointer("/content/name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            match entry_as::<Entry>(entry) {
                Ok(entry) => {
                    let read = read_entry(&entry.content);
                    let shown = match &read {
                        Ok(draft) => draft.label(),
                        Err(_) => label(&name, ""),
                    };
                    imported.take(|| shown, read);
                }
                Err(_) => imported.take(
                    || label(&name, ""),
                    Err(Error::invalid("secret", "this entry is incomplete")),
                ),
            }
        }
        Ok(imported)
    }
}

fn open(text: &str, password: &str, kdf: &mut KdfBudget) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    let protected: Protected =
        serde_json::from_str(text).map_err(|_| damaged("the export is not complete JSON"))?;
    if protected.version != 1 {
        return Err(damaged(format!(
            "export version {} is not known",
            protected.version
        )));
    }
    let decode = |b64: &str| {
        STANDARD
            .decode(b64.trim())
            .map_err(|_| damaged("the export is not Base64"))
    };
    let salt = decode(&protected.salt)?;
    let sealed = decode(&protected.content)?;
    if salt.len() != 16 || sealed.len() < 12 + 16 {
        return Err(damaged("the export's salt or contents are cut short"));
    }
    let key = argon2id(password.as_bytes(), &salt, 19_456, 2, 1, kdf)?;
    aes_gcm_open(key.as_slice(), &sealed[..12], &sealed[12..], ASSOCIATED)
}

fn read_entry(content: &Content) -> Result<AccountDraft> {
    match content.entry_type.as_str() {
        "Steam" => {
            let key = content
                .uri
                .strip_prefix("steam://")
                .ok_or_else(|| Error::invalid("secret", "a Steam entry without its key"))?;
            // Base32 as a rule; Base64 when the key Proton was given was not Base32.
            let secret = SecretKey::from_base32(key).or_else(|error| {
                STANDARD_NO_PAD
                    .decode(key.trim_end_matches('='))
                    .map_err(|_| error)
                    .and_then(SecretKey::from_bytes)
            })?;
            AccountDraft::new("Steam", &content.name, secret, OtpParams::steam())
        }
        _ => parse_uri(&content.uri),
    }
}
