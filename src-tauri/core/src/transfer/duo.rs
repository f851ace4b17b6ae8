//! Duo Mobile's accounts, as a rooted phone has them (`duokit/accounts.json`; Duo itself has
//! no export): a list of accounts with a `name` and an `otpGenerator` holding a Base32
//! `otpSecret` and, for counter-based ones, a `counter`. Duo's codes are SHA-1, 6 digits,
//! 30 seconds. Duo Push accounts (no `otpGenerator`) are listed as not movable.

use serde::Deserialize;
use serde_json::Value;

use super::crypto::damaged;
use super::exported::{ExportedAccount, ExportedKind, ExportedSecret};
use super::kdf::KdfBudget;
use super::wipe::{Entries, entry_as};
use super::{Format, Imported};
use crate::error::{Error, Result};

pub struct Duo;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Account {
    #[serde(default)]
    name: String,
    otp_generator: Generator,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Generator {
    otp_secret: String,
    #[serde(default)]
    counter: Option<u64>,
}

impl Drop for Generator {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.otp_secret);
    }
}

impl Format for Duo {
    fn name(&self) -> &'static str {
        "duo"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        super::text(file).is_some_and(|t| t.trim_start().starts_with('['))
            && super::names_keys(file, &["accountType", "pkey"])
    }

    fn read(&self, file: &[u8], _: Option<&str>, _: &mut KdfBudget) -> Result<Imported> {
        let text = super::text(file).ok_or_else(|| damaged("the file is not text"))?;
        let accounts: Vec<Value> =
            serde_json::from_str(text).map_err(|_| damaged("the file is not complete JSON"))?;
        let accounts = Entries(accounts);
        let mut imported = Imported::default();
        for account in accounts.iter() {
            let name = account
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let read = match entry_as::<Account>(account) {
                Ok(account) => ExportedAccount {
                    issuer: &account.name,
                    name: "",
                    kind: match account.otp_generator.counter {
                        Some(_) => ExportedKind::Hotp,
                        None => ExportedKind::Totp,
                    },
                    secret: ExportedSecret::Base32(&account.otp_generator.otp_secret),
                    algorithm: None,
                    digits: None,
                    period: None,
                    counter: account.otp_generator.counter,
                }
                .draft(),
                // Duo Push accounts have no code; any other entry that does not read is
                // incomplete.
                Err(_) if account.get("otpGenerator").is_none() => {
                    Err(Error::UnsupportedOtpType("Duo Push".into()))
                }
                Err(_) => Err(Error::invalid("secret", "this account is incomplete")),
            };
            imported.take(|| name, read);
        }
        Ok(imported)
    }
}
