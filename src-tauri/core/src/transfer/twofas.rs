//! 2FAS backups (`.2fas`), schema versions 1 to 4. An encrypted one keeps its accounts in
//! `servicesEncrypted` and a known text in `reference`, each `ciphertext:salt:nonce` in
//! Base64, sealed with AES-256-GCM under PBKDF2-HMAC-SHA256 (10,000 iterations) of the
//! password. `reference` tells a wrong password from a damaged file.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_json::Value;

use super::crypto::{Key, Pbkdf2, aes_gcm_open, damaged, pbkdf2};
use super::exported::{ExportedAccount, ExportedKind, ExportedSecret, label};
use super::kdf::KdfBudget;
use super::wipe::{Entries, entry_as};
use super::{Format, Imported};
use crate::error::{Error, Result};
use crate::otp::AccountIcon;

const ITERATIONS: u32 = 10_000;
const NEWEST_SCHEMA: u64 = 4;

pub struct TwoFas;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Backup {
    schema_version: u64,
    #[serde(default)]
    services: Vec<Value>,
    services_encrypted: Option<String>,
    reference: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Otp {
    label: Option<String>,
    account: Option<String>,
    issuer: Option<String>,
    digits: Option<u64>,
    period: Option<u64>,
    algorithm: Option<String>,
    counter: Option<u64>,
    token_type: Option<String>,
}

#[derive(Deserialize)]
struct Service {
    #[serde(default)]
    name: String,
    secret: String,
    #[serde(default)]
    otp: Otp,
}

impl Drop for Service {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.secret);
    }
}

impl Service {
    fn issuer(&self) -> &str {
        match self.name.trim() {
            "" => self.otp.issuer.as_deref().unwrap_or("").trim(),
            name => name,
        }
    }

    /// The account name. Schemas 2 and 3 keep "Issuer:account" in `label`.
    fn account(&self) -> &str {
        if let Some(account) = self.otp.account.as_deref().filter(|a| !a.trim().is_empty()) {
            return account;
        }
        let label = self.otp.label.as_deref().unwrap_or("");
        match label.split_once(':') {
            Some((issuer, account)) if issuer.trim() == self.issuer() => account,
            _ => label,
        }
    }
}

fn encrypted_part(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl Format for TwoFas {
    fn name(&self) -> &'static str {
        "2fas"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        super::names_keys(file, &["schemaVersion", "services"])
    }

    fn is_encrypted(&self, file: &[u8]) -> bool {
        super::text(file)
            .and_then(|text| serde_json::from_str::<Backup>(text).ok())
            .is_some_and(|backup| encrypted_part(&backup.services_encrypted).is_some())
    }

    fn read(&self, file: &[u8], password: Option<&str>, kdf: &mut KdfBudget) -> Result<Imported> {
        let backup: Backup = super::text(file)
            .and_then(|text| serde_json::from_str(text).ok())
            .ok_or_else(|| damaged("this 2FAS backup is not complete JSON"))?;
        if !(1..=NEWEST_SCHEMA).contains(&backup.schema_version) {
            return Err(damaged(format!(
                "2FAS schema version {} is not one Pocket knows",
                backup.schema_version
            )));
        }
        let services = Entries(match encrypted_part(&backup.services_encrypted) {
            None => backup.services,
            Some(sealed) => {
                let password = password.ok_or(Error::BackupPasswordRequired)?;
                open_services(sealed, encrypted_part(&backup.reference), password, kdf)?
            }
        });
        let mut imported = Imported::default();
        for service in services.iter() {
            let text = |key: &str| service.get(key).and_then(Value::as_str).unwrap_or("");
            match entry_as::<Service>(service) {
                Ok(parsed) => {
                    let name = label(parsed.issuer(), parsed.account());
                    let draft = read_service(&parsed).map(|d| d.with_icon(label_icon(service)));
                    imported.take(|| name, draft);
                }
                Err(_) => imported.take(
                    || label(text("name"), ""),
                    Err(Error::invalid("secret", "this entry is incomplete")),
                ),
            }
        }
        Ok(imported)
    }
}

/// `ciphertext:salt:nonce`, each in Base64.
struct Sealed {
    ciphertext: Vec<u8>,
    salt: Vec<u8>,
    nonce: Vec<u8>,
}

fn split(sealed: &str) -> Result<Sealed> {
    let parts: Vec<&str> = sealed.split(':').collect();
    let [ciphertext, salt, nonce] = parts.as_slice() else {
        return Err(damaged("the encrypted part does not have its three pieces"));
    };
    let decode = |part: &str| {
        STANDARD
            .decode(part.trim())
            .map_err(|_| damaged("the encrypted part is not Base64"))
    };
    Ok(Sealed {
        ciphertext: decode(ciphertext)?,
        salt: decode(salt)?,
        nonce: decode(nonce)?,
    })
}

fn open_services(
    sealed: &str,
    reference: Option<&str>,
    password: &str,
    kdf: &mut KdfBudget,
) -> Result<Vec<Value>> {
    let services = split(sealed)?;
    let key: Key = pbkdf2(
        Pbkdf2::Sha256,
        password.as_bytes(),
        &services.salt,
        ITERATIONS,
        kdf,
    )?;
    // The reference opens with the right password whatever became of the accounts: when it
    // does and they do not, the file is damaged.
    let checked = match reference.map(split).transpose()? {
        Some(reference) => {
            aes_gcm_open(key.as_slice(), &reference.nonce, &reference.ciphertext, &[])?;
            true
        }
        None => false,
    };
    let plain = match aes_gcm_open(key.as_slice(), &services.nonce, &services.ciphertext, &[]) {
        Ok(plain) => plain,
        Err(Error::WrongBackupPassword) if checked => {
            return Err(damaged(
                "the accounts do not decrypt, though the password is right",
            ));
        }
        Err(other) => return Err(other),
    };
    serde_json::from_slice(&plain).map_err(|_| damaged("the decrypted accounts are not readable"))
}

fn read_service(service: &Service) -> Result<crate::otp::AccountDraft> {
    let otp = &service.otp;
    let kind = ExportedKind::named(otp.token_type.as_deref().unwrap_or("TOTP"));
    ExportedAccount {
        issuer: service.issuer(),
        name: service.account(),
        counter: match kind {
            ExportedKind::Hotp => Some(otp.counter.unwrap_or(0)),
            _ => None,
        },
        kind,
        // 2FAS accepts spaces and missing padding in what users typed.
        secret: ExportedSecret::Base32(&service.secret),
        algorithm: otp.algorithm.as_deref(),
        digits: otp.digits,
        period: otp.period,
    }
    .draft()
}

/// The letters 2FAS draws for a service when its user chose a label over a brand icon (the
/// brand icons are 2FAS's own pictures, which the file names but does not hold: Pocket's
/// icon for the issuer stands in for them). Read loosely: an odd icon costs the icon, never
/// the account.
fn label_icon(service: &Value) -> Option<AccountIcon> {
    let icon = service.get("icon")?;
    if icon.get("selected")?.as_str()? != "Label" {
        return None;
    }
    let label = icon.get("label")?;
    let colour = label
        .get("backgroundColor")
        .and_then(Value::as_str)
        .map_or(DEFAULT_LABEL_COLOUR, label_colour);
    AccountIcon::label(label.get("text")?.as_str()?, colour)
}

const DEFAULT_LABEL_COLOUR: &str = "#5f6b7a";

/// 2FAS names its label colours; these are Pocket's shades of them.
fn label_colour(name: &str) -> &'static str {
    match name {
        "Red" => "#c62828",
        "Orange" => "#e65100",
        "Yellow" => "#f9a825",
        "Green" => "#2e7d32",
        "Turquoise" => "#00897b",
        "LightBlue" => "#0288d1",
        "Indigo" => "#3949ab",
        "Pink" => "#d81b60",
        "Purple" => "#8e24aa",
        "Brown" => "#6d4c41",
        _ => DEFAULT_LABEL_COLOUR,
    }
}
