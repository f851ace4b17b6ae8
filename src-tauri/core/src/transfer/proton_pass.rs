//! Proton Pass's export: a zip holding `Proton Pass/data.json`, the user's vaults, each with
//! its items. A login item may carry a code as `content.totpUri` and any item more of them as
//! extra fields of type `totp`; each is an otpauth:// link or a bare Base32 key, and blank
//! when the item has none. Trashed items (`state` 2) stay behind. The same JSON unzipped is
//! read too. The encrypted export is the zip with `Proton Pass/data.pgp`, the JSON as a
//! password-encrypted OpenPGP message (older ones were the whole zip as one, read by
//! `openpgp`).

use serde::Deserialize;
use serde_json::Value;

use super::archive::{self, Archive};
use super::crypto::damaged;
use super::exported::label;
use super::kdf::KdfBudget;
use super::openpgp;
use super::wipe::{Entries, entry_as, wipe};
use super::{Format, Imported};
use crate::error::{Error, Result};
use crate::otp::{AccountDraft, OtpParams, SecretKey, parse_uri};

const DATA: &str = "Proton Pass/data.json";
/// The encrypted export's data: the JSON as a password-encrypted OpenPGP message.
const SEALED_DATA: &str = "Proton Pass/data.pgp";
const TRASHED: u64 = 2;

pub struct ProtonPass;

#[derive(Deserialize)]
struct Export {
    #[serde(default)]
    encrypted: bool,
    vaults: serde_json::Map<String, Value>,
}

#[derive(Deserialize)]
struct Item {
    #[serde(default)]
    state: u64,
    data: ItemData,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ItemData {
    #[serde(default)]
    metadata: Metadata,
    #[serde(default)]
    content: Content,
    #[serde(default)]
    extra_fields: Vec<ExtraField>,
}

#[derive(Deserialize, Default)]
struct Metadata {
    #[serde(default)]
    name: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Content {
    #[serde(default)]
    totp_uri: String,
    #[serde(default)]
    item_email: String,
    #[serde(default)]
    item_username: String,
    /// The field's name before Proton Pass split it into an email and a user name.
    #[serde(default)]
    username: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExtraField {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    field_name: String,
    #[serde(default)]
    data: ExtraData,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ExtraData {
    #[serde(default)]
    totp_uri: String,
}

impl Drop for Content {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.totp_uri);
    }
}

impl Drop for ExtraData {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.totp_uri);
    }
}

impl Content {
    fn user(&self) -> &str {
        [&self.item_email, &self.item_username, &self.username]
            .into_iter()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
            .unwrap_or("")
    }
}

fn is_plain_json(file: &[u8]) -> bool {
    super::names_keys(file, &["vaults", "items", "encrypted"])
}

fn is_export_zip(file: &[u8]) -> bool {
    archive::is_zip(file)
        && archive::names(file).is_some_and(|n| n.iter().any(|n| n == DATA || n == SEALED_DATA))
}

impl Format for ProtonPass {
    fn name(&self) -> &'static str {
        "proton_pass"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        is_export_zip(file) || is_plain_json(file)
    }

    /// The encrypted export seals its data with OpenPGP; a plain one the user protected
    /// with a zip password asks for that.
    fn is_encrypted(&self, file: &[u8]) -> bool {
        Archive::open(file).is_ok_and(|mut archive| {
            archive.names().iter().any(|n| n == SEALED_DATA) || archive.any_encrypted()
        })
    }

    fn read(&self, file: &[u8], password: Option<&str>, kdf: &mut KdfBudget) -> Result<Imported> {
        let json = if archive::is_zip(file) {
            let mut archive = Archive::open(file)?;
            if archive.names().iter().any(|n| n == SEALED_DATA) {
                let sealed = archive.read(SEALED_DATA, None)?;
                let password = password.ok_or(Error::BackupPasswordRequired)?;
                openpgp::decrypt(&sealed, password, kdf)?
            } else {
                archive.read(DATA, password)?
            }
        } else {
            zeroize::Zeroizing::new(file.to_vec())
        };
        let mut export: Export = serde_json::from_slice(&json)
            .map_err(|_| damaged("the export's data is not complete JSON"))?;
        if export.encrypted {
            // Proton Pass's own encryption is its account's key: only Proton Pass opens it.
            return Err(Error::ExportTiedToAccount);
        }
        let mut imported = Imported::default();
        for vault in export.vaults.values_mut() {
            let items = vault.get_mut("items").map(Value::take).unwrap_or_default();
            let items = match items {
                Value::Array(items) => Entries(items),
                _ => continue,
            };
            for item in items.iter() {
                read_item(item, &mut imported);
            }
            wipe(vault);
        }
        Ok(imported)
    }
}

fn read_item(item: &Value, imported: &mut Imported) {
    let name = item
        .pointer("/data/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let item = match entry_as::<Item>(item) {
        Ok(item) => item,
        Err(_) => {
            // Only an item that looks as if it had a code is worth a line in the report.
            if item.pointer("/data/content/totpUri").is_some() {
                imported.take(
                    || name,
                    Err(Error::invalid("secret", "this item is incomplete")),
                );
            }
            return;
        }
    };
    let data = &item.data;
    let user = data.content.user();
    let codes = std::iter::once((String::new(), data.content.totp_uri.as_str())).chain(
        data.extra_fields
            .iter()
            .filter(|f| f.kind == "totp")
            .map(|f| (f.field_name.trim().to_string(), f.data.totp_uri.as_str())),
    );
    for (field, code) in codes {
        if code.trim().is_empty() {
            continue;
        }
        let shown = match field.as_str() {
            "" => label(&data.metadata.name, user),
            field => label(&data.metadata.name, format!("{user} {field}").trim()),
        };
        let read = if item.state == TRASHED {
            Err(Error::InTrash)
        } else {
            read_code(code, &data.metadata.name, user)
        };
        imported.take(|| shown, read);
    }
}

/// A link, with the item's name and user standing in for what it leaves out; or a bare key.
fn read_code(code: &str, item_name: &str, user: &str) -> Result<AccountDraft> {
    let code = code.trim();
    if code
        .get(..10)
        .is_some_and(|s| s.eq_ignore_ascii_case("otpauth://"))
    {
        let mut draft = parse_uri(code)?;
        if draft.issuer.is_empty() {
            draft = AccountDraft::new(item_name, &draft.name, draft.secret, draft.params)?;
        }
        if draft.name.is_empty() {
            draft = AccountDraft::new(&draft.issuer, user, draft.secret, draft.params)?;
        }
        return Ok(draft);
    }
    let secret = SecretKey::from_base32(code)?;
    AccountDraft::new(item_name, user, secret, OtpParams::default_totp())
}
