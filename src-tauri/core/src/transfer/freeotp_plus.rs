//! FreeOTP+'s JSON export: `tokens`, each with its secret as Java's signed bytes, and
//! `tokenOrder`, the order the app shows them in.

use serde::Deserialize;
use serde_json::Value;

use super::exported::{ExportedAccount, ExportedKind, ExportedSecret, label};
use super::kdf::KdfBudget;
use super::wipe::{Entries, entry_as};
use super::{Format, Imported};
use crate::error::{Error, Result};

pub struct FreeOtpPlus;

#[derive(Deserialize)]
struct Export {
    tokens: Vec<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Token {
    #[serde(default)]
    issuer_ext: Option<String>,
    #[serde(default)]
    issuer_int: Option<String>,
    #[serde(default)]
    label: String,
    #[serde(rename = "type")]
    kind: String,
    secret: Vec<i16>,
    algo: Option<String>,
    digits: Option<u64>,
    period: Option<u64>,
    counter: Option<u64>,
}

impl Drop for Token {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.secret);
    }
}

impl Token {
    fn issuer(&self) -> &str {
        [&self.issuer_ext, &self.issuer_int]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
            .unwrap_or("")
    }
}

fn parse(file: &[u8]) -> Option<Export> {
    let value: Value = serde_json::from_str(super::text(file)?).ok()?;
    value.get("tokenOrder")?;
    serde_json::from_value(value).ok()
}

impl Format for FreeOtpPlus {
    fn name(&self) -> &'static str {
        "freeotp_plus"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        super::names_keys(file, &["tokens"])
            && (super::names_keys(file, &["tokenOrder"]) || super::names_keys(file, &["issuerExt"]))
    }

    fn read(&self, file: &[u8], _: Option<&str>, _: &mut KdfBudget) -> Result<Imported> {
        let export =
            parse(file).ok_or_else(|| Error::BackupDamaged("not a FreeOTP+ export".into()))?;
        let tokens = Entries(export.tokens);
        let mut imported = Imported::default();
        for token in tokens.iter() {
            let read = entry_as::<Token>(token)
                .map_err(|_| Error::invalid("secret", "this token is incomplete"));
            let (name, entry) = match read {
                Ok(token) => (label(token.issuer(), &token.label), read_token(&token)),
                Err(error) => (label_of(token), Err(error)),
            };
            imported.take(|| name, entry);
        }
        Ok(imported)
    }
}

fn label_of(token: &Value) -> String {
    let text = |key: &str| token.get(key).and_then(Value::as_str).unwrap_or("");
    label(text("issuerExt"), text("label"))
}

fn read_token(token: &Token) -> Result<crate::otp::AccountDraft> {
    // Java bytes are signed: -128..127 stand for 0x80..0x7f.
    let secret = token
        .secret
        .iter()
        .map(|&b| i8::try_from(b).map(|b| b as u8))
        .collect::<std::result::Result<Vec<u8>, _>>()
        .map_err(|_| Error::invalid("secret", "the secret holds values that are not bytes"))?;
    ExportedAccount {
        issuer: token.issuer(),
        name: &token.label,
        // Steam has no type of its own in FreeOTP: a TOTP token issued by "Steam".
        kind: match ExportedKind::named(&token.kind) {
            ExportedKind::Totp if token.issuer().eq_ignore_ascii_case("steam") => {
                ExportedKind::Steam
            }
            kind => kind,
        },
        secret: ExportedSecret::Bytes(secret),
        algorithm: token.algo.as_deref(),
        digits: token.digits,
        period: token.period,
        // FreeOTP keeps the counter of the code it showed last; the next one, which Pocket
        // stores, is one more (as in the link the account came from).
        counter: token.counter.map(|c| c.saturating_add(1)),
    }
    .draft()
}
