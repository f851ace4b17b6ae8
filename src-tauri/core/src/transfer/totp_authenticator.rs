//! TOTP Authenticator's backup (`.bin`/`.encrypt`): Base64 of AES-256-CBC (a zero IV, PKCS#7)
//! under SHA-256 of the password, or of the app's own default password when the user set
//! none. Inside, a JSON object of one member whose name is the account list, itself JSON
//! text, and whose value is the time of the backup. Each account has its `key` in the
//! encoding `base` names (16, 32 or 64), and `digits` and `period` as text; the app has only
//! SHA-1 time-based codes.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_json::Value;
use sha2::Digest;
use zeroize::Zeroizing;

use super::crypto::{aes_cbc_open, damaged};
use super::exported::{ExportedAccount, ExportedKind, ExportedSecret, label};
use super::kdf::KdfBudget;
use super::wipe::{Entries, entry_as};
use super::{Format, Imported};
use crate::error::{Error, Result};
use crate::otp::AccountDraft;

/// What the app encrypts with when the user gives no password.
const DEFAULT_PASSWORD: &str = "TotpAuthenticator";

pub struct TotpAuthenticator;

#[derive(Deserialize)]
struct Account {
    key: String,
    #[serde(default)]
    base: Option<u64>,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    digits: Option<Value>,
    #[serde(default)]
    period: Option<Value>,
}

impl Drop for Account {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.key);
    }
}

/// Base64 text and nothing else, at least two AES blocks of it.
fn looks_sealed(file: &[u8]) -> bool {
    super::text(file).is_some_and(|text| {
        let text = text.trim();
        text.len() >= 44
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
    })
}

/// The ciphertext: whole AES blocks, or the file was cut short.
fn sealed(file: &[u8]) -> Result<Vec<u8>> {
    let cut = || damaged("the backup is cut short");
    let text = super::text(file).ok_or_else(cut)?.trim();
    let bytes = STANDARD.decode(text).map_err(|_| cut())?;
    if bytes.len() % 16 != 0 {
        return Err(cut());
    }
    Ok(bytes)
}

fn open(sealed: &[u8], password: &str) -> Result<Entries> {
    let key = Zeroizing::new(<[u8; 32]>::from(sha2::Sha256::digest(password.as_bytes())));
    let plain = aes_cbc_open(key.as_slice(), &[0; 16], sealed)?;
    // Without a MAC, a wrong key that happens to unpad shows as text that is not this JSON.
    let outer: serde_json::Map<String, Value> =
        serde_json::from_slice(&plain).map_err(|_| Error::WrongBackupPassword)?;
    let list = outer
        .keys()
        .next()
        .ok_or_else(|| damaged("the backup holds no account list"))?;
    let accounts: Vec<Value> = serde_json::from_str(list)
        .map_err(|_| damaged("the backup's account list is not readable"))?;
    let mut outer = Value::Object(outer);
    super::wipe::wipe(&mut outer);
    Ok(Entries(accounts))
}

/// A number the app wrote as text ("6", or "" for its default) or as a number.
fn setting(value: &Option<Value>, field: &'static str) -> Result<Option<u64>> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .map(Some)
            .ok_or_else(|| Error::invalid(field, "this is not a number")),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| Error::invalid(field, "this is not a number")),
        Some(_) => Err(Error::invalid(field, "this is not a number")),
    }
}

impl Account {
    fn draft(&self) -> Result<AccountDraft> {
        let key = self.key.trim();
        let secret = match self.base.unwrap_or(16) {
            16 => ExportedSecret::Bytes(
                data_encoding::HEXLOWER_PERMISSIVE
                    .decode(key.as_bytes())
                    .map_err(|_| Error::invalid("secret", "the key is not hexadecimal"))?,
            ),
            32 => ExportedSecret::Base32(key),
            64 => ExportedSecret::Bytes(
                STANDARD
                    .decode(key)
                    .map_err(|_| Error::invalid("secret", "the key is not Base64"))?,
            ),
            other => {
                return Err(Error::invalid("secret", format!("a key in base {other}")));
            }
        };
        // The app shows an account without an issuer as "Unknown".
        let issuer = match self.issuer.trim() {
            "Unknown" => "",
            issuer => issuer,
        };
        ExportedAccount {
            issuer,
            name: &self.name,
            kind: ExportedKind::Totp,
            secret,
            algorithm: None,
            digits: setting(&self.digits, "digits")?,
            period: setting(&self.period, "period")?,
            counter: None,
        }
        .draft()
    }
}

impl Format for TotpAuthenticator {
    fn name(&self) -> &'static str {
        "totp_authenticator"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        looks_sealed(file)
    }

    /// A backup made without a password opens with the app's default: cheap to try (one
    /// hash, no key derivation).
    fn is_encrypted(&self, file: &[u8]) -> bool {
        sealed(file).is_ok_and(|sealed| open(&sealed, DEFAULT_PASSWORD).is_err())
    }

    fn read(&self, file: &[u8], password: Option<&str>, _: &mut KdfBudget) -> Result<Imported> {
        let sealed = sealed(file)?;
        // No password: the app's default opens a backup made without one.
        let accounts = match password {
            Some(password) => open(&sealed, password)?,
            None => open(&sealed, DEFAULT_PASSWORD).map_err(|error| match error {
                Error::WrongBackupPassword => Error::BackupPasswordRequired,
                other => other,
            })?,
        };
        let mut imported = Imported::default();
        for account in accounts.iter() {
            match entry_as::<Account>(account) {
                Ok(account) => {
                    let shown = label(&account.issuer, &account.name);
                    imported.take(|| shown, account.draft());
                }
                Err(_) => {
                    let text = |key: &str| account.get(key).and_then(Value::as_str).unwrap_or("");
                    imported.take(
                        || label(text("issuer"), text("name")),
                        Err(Error::invalid("secret", "this account is incomplete")),
                    );
                }
            }
        }
        Ok(imported)
    }
}
