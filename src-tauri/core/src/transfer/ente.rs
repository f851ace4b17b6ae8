//! Ente Auth's exports. The plain one is a list of otpauth:// links with Ente's own habits:
//! `otpauth://steam/`, names not percent-encoded, lines quoted as JSON strings, and a
//! `codeDisplay` parameter that marks codes in Ente's trash. The encrypted one is JSON: the
//! same text in libsodium's XChaCha20-Poly1305 secret stream (`encryptionNonce` is the
//! stream's header) under Argon2id with the limits `kdfParams` names.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;

use super::crypto::{argon2id, damaged, secretstream_open};
use super::kdf::KdfBudget;
use super::{Format, Imported};
use crate::error::{Error, Result};
use crate::otp::{AccountDraft, SkippedAccount, parse_uri};

pub struct EnteEncrypted;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Encrypted {
    version: u64,
    kdf_params: KdfParams,
    encrypted_data: String,
    encryption_nonce: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KdfParams {
    mem_limit: u64,
    ops_limit: u32,
    salt: String,
}

impl Format for EnteEncrypted {
    fn name(&self) -> &'static str {
        "ente"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        super::names_keys(file, &["kdfParams", "encryptedData"])
    }

    fn is_encrypted(&self, _: &[u8]) -> bool {
        true
    }

    fn read(&self, file: &[u8], password: Option<&str>, kdf: &mut KdfBudget) -> Result<Imported> {
        let export: Encrypted = super::text(file)
            .and_then(|text| serde_json::from_str(text).ok())
            .ok_or_else(|| damaged("this Ente export is not complete JSON"))?;
        if export.version != 1 {
            return Err(damaged(format!(
                "Ente export version {} is not known",
                export.version
            )));
        }
        let password = password.ok_or(Error::BackupPasswordRequired)?;
        let decode = |b64: &str| {
            STANDARD
                .decode(b64.trim())
                .map_err(|_| damaged("the export is not Base64"))
        };
        let params = &export.kdf_params;
        // libsodium counts memory in bytes and hands Argon2 whole KiB; more than 4 TiB does
        // not fit Argon2's count and is refused by the budget all the same.
        let memory_kib = u32::try_from(params.mem_limit / 1024).unwrap_or(u32::MAX);
        let key = argon2id(
            password.as_bytes(),
            &decode(&params.salt)?,
            memory_kib,
            params.ops_limit,
            1,
            kdf,
        )?;
        let plain = secretstream_open(
            key.as_slice(),
            &decode(&export.encryption_nonce)?,
            &decode(&export.encrypted_data)?,
        )?;
        let text =
            std::str::from_utf8(&plain).map_err(|_| damaged("the decrypted codes are not text"))?;
        Ok(read_lines(text))
    }
}

/// Ente's plain text export, told from an ordinary link list by what only Ente writes.
pub struct EnteText;

impl Format for EnteText {
    fn name(&self) -> &'static str {
        "ente_text"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        super::text(file).is_some_and(|text| {
            text.lines().any(|line| {
                let line = line.trim().trim_matches('"');
                line.starts_with("otpauth://")
                    && (line.contains("codeDisplay=") || line.starts_with("otpauth://steam/"))
            })
        })
    }

    fn read(&self, file: &[u8], _: Option<&str>, _: &mut KdfBudget) -> Result<Imported> {
        Ok(read_lines(super::text(file).unwrap_or_default()))
    }
}

/// The links of an Ente export, one per line; codes in Ente's trash are named, not added.
pub(crate) fn read_lines(text: &str) -> Imported {
    let mut imported = Imported::default();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        // Some versions wrote each line as a JSON string.
        let unquoted;
        let line = if line.len() > 1 && line.starts_with('"') && line.ends_with('"') {
            unquoted = serde_json::from_str::<String>(line)
                .unwrap_or_else(|_| line.trim_matches('"').to_string());
            unquoted.as_str()
        } else {
            line
        };
        match read_link(line) {
            Ok(draft) if in_trash(line) => imported.skipped.push(SkippedAccount {
                label: draft.label(),
                reason: Error::InTrash,
            }),
            Ok(draft) => imported.accounts.push(draft),
            Err(reason) => imported.skipped.push(SkippedAccount {
                label: format!("line {}", number + 1),
                reason,
            }),
        }
    }
    imported
}

/// A link as Ente writes it: a `#` in a name is not encoded, and would start a fragment.
fn read_link(line: &str) -> Result<AccountDraft> {
    match parse_uri(line) {
        Err(error) if line.contains('#') => parse_uri(&line.replace('#', "%23")).map_err(|_| error),
        read => read,
    }
}

/// Whether `codeDisplay` (JSON in the query) says the code is in the trash.
fn in_trash(line: &str) -> bool {
    let Some((_, query)) = line.split_once('?') else {
        return false;
    };
    url::form_urlencoded::parse(query.as_bytes())
        .filter(|(key, _)| key == "codeDisplay")
        .filter_map(|(_, value)| serde_json::from_str::<serde_json::Value>(&value).ok())
        .any(|display| display.get("trashed") == Some(&serde_json::Value::Bool(true)))
}
