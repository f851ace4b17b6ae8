//! LastPass Authenticator's JSON export: `accounts`, each with `issuerName` and `userName` as
//! the user last named them and `originalIssuerName`/`originalUserName` as the code gave them,
//! a Base32 `secret`, `timeStep`, `digits` and `algorithm`, and `folderData` placing it in a
//! folder. Android's file (`version` 3) adds the device's own fields; iOS's (`version` 1) does
//! not. LastPass has time-based accounts only.

use serde::Deserialize;
use serde_json::Value;

use super::crypto::damaged;
use super::exported::{ExportedAccount, ExportedKind, ExportedSecret, label};
use super::kdf::KdfBudget;
use super::wipe::{Entries, entry_as};
use super::{Format, Imported};
use crate::error::{Error, Result};
use crate::otp::AccountDraft;

pub struct LastPass;

#[derive(Deserialize)]
struct Export {
    accounts: Vec<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Account {
    #[serde(default)]
    issuer_name: Option<String>,
    #[serde(default)]
    original_issuer_name: Option<String>,
    #[serde(default)]
    user_name: Option<String>,
    #[serde(default)]
    original_user_name: Option<String>,
    secret: String,
    time_step: Option<u64>,
    digits: Option<u64>,
    algorithm: Option<String>,
}

impl Drop for Account {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.secret);
    }
}

/// The first of `names` that is not blank.
fn first(names: [&Option<String>; 2]) -> &str {
    names
        .into_iter()
        .flatten()
        .map(|s| s.trim())
        .find(|s| !s.is_empty())
        .unwrap_or("")
}

impl Account {
    /// The names as the user sees them in LastPass: their own, else the code's. A name
    /// still in "Issuer:account" form with no issuer of its own is split.
    fn names(&self) -> (&str, &str) {
        let issuer = first([&self.issuer_name, &self.original_issuer_name]);
        let name = first([&self.user_name, &self.original_user_name]);
        match (issuer, name.split_once(':')) {
            ("", Some((issuer, name))) => (issuer.trim(), name.trim()),
            _ => (issuer, name),
        }
    }

    fn draft(&self) -> Result<AccountDraft> {
        let (issuer, name) = self.names();
        ExportedAccount {
            issuer,
            name,
            kind: ExportedKind::Totp,
            secret: ExportedSecret::Base32(&self.secret),
            algorithm: self.algorithm.as_deref(),
            digits: self.digits,
            period: self.time_step,
            counter: None,
        }
        .draft()
    }
}

/// Where the app shows an account: its folder, then its place in it.
fn place(account: &Value) -> (u64, u64) {
    let number = |key: &str| {
        account
            .pointer(&format!("/folderData/{key}"))
            .and_then(Value::as_u64)
            .unwrap_or(u64::MAX)
    };
    (number("folderId"), number("position"))
}

impl Format for LastPass {
    fn name(&self) -> &'static str {
        "lastpass"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        super::names_keys(file, &["accounts", "issuerName", "timeStep"])
            || super::names_keys(file, &["accounts", "originalUserName"])
    }

    fn read(&self, file: &[u8], _: Option<&str>, _: &mut KdfBudget) -> Result<Imported> {
        let text = super::text(file).ok_or_else(|| damaged("the export is not text"))?;
        let export: Export =
            serde_json::from_str(text).map_err(|_| damaged("the export is not complete JSON"))?;
        let mut accounts = Entries(export.accounts);
        accounts.0.sort_by_cached_key(place);
        let mut imported = Imported::default();
        for account in accounts.iter() {
            match entry_as::<Account>(account) {
                Ok(account) => {
                    let (issuer, name) = account.names();
                    let shown = label(issuer, name);
                    imported.take(|| shown, account.draft());
                }
                Err(_) => {
                    let text = |key: &str| account.get(key).and_then(Value::as_str).unwrap_or("");
                    imported.take(
                        || label(text("issuerName"), text("userName")),
                        Err(Error::invalid("secret", "this account is incomplete")),
                    );
                }
            }
        }
        Ok(imported)
    }
}
