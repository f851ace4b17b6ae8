//! Authenticator Pro (now Stratum) backups: plain JSON with capitalised keys, or encrypted.
//! The current encryption starts with `AUTHENTICATORPRO`, then a 16-byte salt and a 12-byte
//! nonce, then the JSON sealed with AES-256-GCM under Argon2id (64 MiB, 3 passes, 4 lanes).
//! The older one starts with `AuthenticatorPro`, then a 20-byte salt and a 16-byte IV, then
//! AES-256-CBC under PBKDF2-HMAC-SHA1 (64,000 iterations); before 2021 the salt was 8 bytes
//! and the iterations 100,000.

use serde::Deserialize;
use serde_json::Value;

use super::crypto::{Pbkdf2, aes_cbc_open, aes_gcm_open, argon2id, damaged, pbkdf2};
use super::exported::{ExportedAccount, ExportedKind, ExportedSecret, label};
use super::kdf::KdfBudget;
use super::wipe::{Entries, entry_as};
use super::{Format, Imported};
use crate::error::{Error, Result};

const STRONG: &[u8; 16] = b"AUTHENTICATORPRO";
const LEGACY: &[u8; 16] = b"AuthenticatorPro";

pub struct AuthenticatorPro;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Backup {
    authenticators: Vec<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Authenticator {
    #[serde(rename = "Type")]
    kind: u8,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    username: Option<String>,
    secret: String,
    algorithm: Option<u8>,
    digits: Option<u64>,
    period: Option<u64>,
    counter: Option<u64>,
}

impl Drop for Authenticator {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.secret);
    }
}

fn header(file: &[u8]) -> Option<&[u8; 16]> {
    [STRONG, LEGACY].into_iter().find(|h| file.starts_with(*h))
}

impl Format for AuthenticatorPro {
    fn name(&self) -> &'static str {
        "authenticator_pro"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        header(file).is_some() || super::names_keys(file, &["Authenticators"])
    }

    fn is_encrypted(&self, file: &[u8]) -> bool {
        header(file).is_some()
    }

    fn read(&self, file: &[u8], password: Option<&str>, kdf: &mut KdfBudget) -> Result<Imported> {
        let backup = match header(file) {
            None => parse(file).ok_or_else(|| damaged("the backup is not complete JSON"))?,
            Some(header) => {
                let password = password.ok_or(Error::BackupPasswordRequired)?;
                if header == STRONG {
                    let plain = open_strong(&file[16..], password, kdf)?;
                    parse(&plain)
                        .ok_or_else(|| damaged("the backup's contents are not readable"))?
                } else {
                    open_legacy(&file[16..], password, kdf)?
                }
            }
        };
        let entries = Entries(backup.authenticators);
        let mut imported = Imported::default();
        for entry in entries.iter() {
            let text = |key: &str| entry.get(key).and_then(Value::as_str).unwrap_or("");
            let read = entry_as::<Authenticator>(entry)
                .map_err(|_| Error::invalid("secret", "this entry is incomplete"))
                .and_then(|a| read_authenticator(&a));
            imported.take(|| label(text("Issuer"), text("Username")), read);
        }
        Ok(imported)
    }
}

fn open_strong(
    rest: &[u8],
    password: &str,
    kdf: &mut KdfBudget,
) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    const SALT: usize = 16;
    const NONCE: usize = 12;
    if rest.len() < SALT + NONCE + 16 {
        return Err(damaged("the backup is cut short"));
    }
    let key = argon2id(password.as_bytes(), &rest[..SALT], 65_536, 3, 4, kdf)?;
    aes_gcm_open(
        key.as_slice(),
        &rest[SALT..SALT + NONCE],
        &rest[SALT + NONCE..],
        &[],
    )
}

/// The two layouts of the older encryption: (salt bytes, PBKDF2 iterations).
const LEGACY_LAYOUTS: [(usize, u32); 2] = [(20, 64_000), (8, 100_000)];

/// CBC has no MAC: the layout and password that give a readable backup are the right ones;
/// when none does, the password is wrong.
fn open_legacy(rest: &[u8], password: &str, kdf: &mut KdfBudget) -> Result<Backup> {
    const IV: usize = 16;
    let mut fitted = false;
    for (salt, iterations) in LEGACY_LAYOUTS {
        if rest.len() < salt + IV + 16 || !(rest.len() - salt - IV).is_multiple_of(16) {
            continue;
        }
        fitted = true;
        let key = pbkdf2(
            Pbkdf2::Sha1,
            password.as_bytes(),
            &rest[..salt],
            iterations,
            kdf,
        )?;
        if let Ok(plain) = aes_cbc_open(key.as_slice(), &rest[salt..salt + IV], &rest[salt + IV..])
            && let Some(backup) = parse(&plain)
        {
            return Ok(backup);
        }
    }
    Err(if fitted {
        Error::WrongBackupPassword
    } else {
        damaged("the backup is cut short")
    })
}

fn parse(json: &[u8]) -> Option<Backup> {
    serde_json::from_str(super::text(json)?).ok()
}

fn read_authenticator(entry: &Authenticator) -> Result<crate::otp::AccountDraft> {
    let kind = match entry.kind {
        1 => ExportedKind::Hotp,
        2 => ExportedKind::Totp,
        3 => ExportedKind::Other("mobile-otp".into()),
        4 => ExportedKind::Steam,
        5 => ExportedKind::Other("yandex".into()),
        other => ExportedKind::Other(format!("type {other}")),
    };
    let algorithm = match entry.algorithm.unwrap_or(0) {
        0 => "SHA1",
        1 => "SHA256",
        2 => "SHA512",
        _ => return Err(Error::invalid("algorithm", "use SHA1, SHA256 or SHA512")),
    };
    ExportedAccount {
        issuer: &entry.issuer,
        name: entry.username.as_deref().unwrap_or(""),
        counter: match kind {
            ExportedKind::Hotp => Some(entry.counter.unwrap_or(0)),
            _ => None,
        },
        kind,
        secret: ExportedSecret::Base32(&entry.secret),
        algorithm: Some(algorithm),
        digits: entry.digits,
        period: entry.period,
    }
    .draft()
}
