//! Bitwarden's exports: JSON (plain, or protected with a password) and CSV. Only logins with
//! a `totp` field are accounts here; the rest of a password vault is none of Pocket's business
//! and is passed over without a word.

use serde::Deserialize;
use serde_json::Value;

use super::exported::label;
use super::kdf::KdfBudget;
use super::wipe::{Entries, entry_as};
use super::{Format, Imported, names_keys};
use crate::error::{Error, Result};
use crate::otp::{AccountDraft, OtpParams, SecretKey, parse_uri};

mod protected;

/// What a `totp` field holds: an otpauth:// link, `steam://` and a key, or a bare key (TOTP
/// with the common settings). `item` names the login, `username` is its user.
pub(crate) fn read_totp(field: &str, item: &str, username: &str) -> Result<AccountDraft> {
    let field = field.trim();
    if field
        .get(..10)
        .is_some_and(|start| start.eq_ignore_ascii_case("otpauth://"))
    {
        let mut draft = parse_uri(field)?;
        if draft.issuer.is_empty() {
            draft.issuer = item.trim().to_string();
        }
        return Ok(draft);
    }
    if let Some(key) = field
        .get(..8)
        .filter(|start| start.eq_ignore_ascii_case("steam://"))
        .map(|_| &field[8..])
    {
        return AccountDraft::new(
            item,
            username,
            SecretKey::from_base32(key)?,
            OtpParams::steam(),
        );
    }
    AccountDraft::new(
        item,
        username,
        SecretKey::from_base32(field)?,
        OtpParams::default_totp(),
    )
}

#[derive(Deserialize)]
struct Vault {
    #[serde(default)]
    items: Vec<Value>,
}

#[derive(Deserialize)]
struct Item {
    #[serde(default)]
    name: String,
    login: Option<Login>,
}

#[derive(Deserialize)]
struct Login {
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    totp: Option<String>,
}

impl Drop for Login {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.totp);
    }
}

pub struct BitwardenJson;

fn json(file: &[u8]) -> Option<Value> {
    let value: Value = serde_json::from_str(super::text(file)?).ok()?;
    value.get("encrypted")?.as_bool()?;
    Some(value)
}

fn is_protected(file: &[u8]) -> bool {
    names_keys(file, &["encrypted", "data"])
}

impl Format for BitwardenJson {
    fn name(&self) -> &'static str {
        "bitwarden"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        names_keys(file, &["encrypted", "items"]) || is_protected(file)
    }

    fn is_encrypted(&self, file: &[u8]) -> bool {
        is_protected(file)
    }

    fn read(&self, file: &[u8], password: Option<&str>, kdf: &mut KdfBudget) -> Result<Imported> {
        let value =
            json(file).ok_or_else(|| Error::BackupDamaged("not a Bitwarden export".into()))?;
        let vault: Vault = if value["encrypted"] == Value::Bool(true) {
            let plain = protected::open(&value, password, kdf)?;
            serde_json::from_slice(&plain)
                .map_err(|_| Error::BackupDamaged("the decrypted export is not readable".into()))?
        } else {
            serde_json::from_value(value)
                .map_err(|_| Error::BackupDamaged("the export's items are not readable".into()))?
        };
        let items = Entries(vault.items);
        let mut imported = Imported::default();
        for item in items.iter() {
            let Ok(item) = entry_as::<Item>(item) else {
                continue; // not a login: a card, a note, an identity
            };
            let Some(login) = &item.login else { continue };
            let Some(totp) = login.totp.as_deref().filter(|t| !t.trim().is_empty()) else {
                continue;
            };
            let username = login.username.as_deref().unwrap_or_default();
            imported.take(
                || label(&item.name, username),
                read_totp(totp, &item.name, username),
            );
        }
        Ok(imported)
    }
}

/// Bitwarden's CSV export (personal or organisation): a header row naming the columns, of
/// which `name`, `login_username` and `login_totp` matter here.
pub struct BitwardenCsv;

fn csv_columns(file: &[u8]) -> Option<(usize, Option<usize>, usize)> {
    let first = super::text(file)?.lines().next()?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(first.as_bytes());
    let header = reader.records().next()?.ok()?;
    let find = |name: &str| header.iter().position(|h| h.trim() == name);
    Some((find("name")?, find("login_username"), find("login_totp")?))
}

impl Format for BitwardenCsv {
    fn name(&self) -> &'static str {
        "bitwarden_csv"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        csv_columns(file).is_some()
    }

    fn read(&self, file: &[u8], _: Option<&str>, _: &mut KdfBudget) -> Result<Imported> {
        let (name, username, totp) = csv_columns(file)
            .ok_or_else(|| Error::BackupDamaged("not a Bitwarden CSV export".into()))?;
        let text = super::text(file).unwrap_or_default();
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut imported = Imported::default();
        for (row, record) in reader.records().enumerate() {
            let record = record.map_err(|e| {
                Error::BackupDamaged(format!("row {} is not valid CSV: {e}", row + 2))
            })?;
            let cell = |column: usize| record.get(column).unwrap_or("");
            let field = cell(totp);
            if field.trim().is_empty() {
                continue;
            }
            let user = username.map(cell).unwrap_or("");
            imported.take(
                || label(cell(name), user),
                read_totp(field, cell(name), user),
            );
        }
        Ok(imported)
    }
}
