//! Raivo OTP's export: a zip sealed with WinZip's AES under the export's password, holding
//! `raivo-otp-export.json` (and an HTML copy), or that JSON alone. The JSON is a list of
//! accounts whose every value is text: `issuer`, `account`, a Base32 `secret`, `algorithm`,
//! `digits`, `kind` (TOTP, HOTP), `timer` (the period) and `counter`.

use serde::Deserialize;
use serde_json::Value;

use super::archive::{self, Archive};
use super::crypto::damaged;
use super::exported::{ExportedAccount, ExportedKind, ExportedSecret, label};
use super::kdf::KdfBudget;
use super::wipe::{Entries, entry_as};
use super::{Format, Imported};
use crate::error::{Error, Result};
use crate::otp::AccountDraft;

const EXPORT: &str = "raivo-otp-export.json";

pub struct Raivo;

#[derive(Deserialize)]
struct Account {
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    account: String,
    secret: String,
    #[serde(default)]
    algorithm: Option<String>,
    #[serde(default)]
    digits: Option<String>,
    kind: String,
    #[serde(default)]
    timer: Option<String>,
    #[serde(default)]
    counter: Option<String>,
}

impl Drop for Account {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.secret);
    }
}

/// A number Raivo wrote as text; blank for the default.
fn number(text: &Option<String>, field: &'static str) -> Result<Option<u64>> {
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|_| Error::invalid(field, "this is not a number")),
    }
}

impl Account {
    fn draft(&self) -> Result<AccountDraft> {
        ExportedAccount {
            issuer: &self.issuer,
            name: &self.account,
            kind: ExportedKind::named(&self.kind),
            secret: ExportedSecret::Base32(&self.secret),
            algorithm: self.algorithm.as_deref().filter(|a| !a.trim().is_empty()),
            digits: number(&self.digits, "digits")?,
            period: number(&self.timer, "period")?,
            counter: number(&self.counter, "counter")?,
        }
        .draft()
    }
}

fn export_in(names: Vec<String>) -> Option<String> {
    // Archives made on Windows may separate folders with a backslash.
    names
        .into_iter()
        .find(|n| n.rsplit(['/', '\\']).next() == Some(EXPORT))
}

fn is_plain(file: &[u8]) -> bool {
    super::text(file).is_some_and(|t| t.trim_start().starts_with('['))
        && super::names_keys(file, &["issuer", "account", "secret", "kind", "timer"])
}

impl Format for Raivo {
    fn name(&self) -> &'static str {
        "raivo"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        is_plain(file)
            || (archive::is_zip(file) && archive::names(file).and_then(export_in).is_some())
    }

    fn is_encrypted(&self, file: &[u8]) -> bool {
        Archive::open(file).is_ok_and(|mut archive| archive.any_encrypted())
    }

    fn read(&self, file: &[u8], password: Option<&str>, _: &mut KdfBudget) -> Result<Imported> {
        let json = if archive::is_zip(file) {
            let mut archive = Archive::open(file)?;
            let path =
                export_in(archive.names()).ok_or_else(|| damaged("the archive has no export"))?;
            archive.read(&path, password)?
        } else {
            zeroize::Zeroizing::new(file.to_vec())
        };
        let accounts: Vec<Value> = serde_json::from_slice(&json)
            .map_err(|_| damaged("the export is not complete JSON"))?;
        let accounts = Entries(accounts);
        let mut imported = Imported::default();
        for account in accounts.iter() {
            let text = |key: &str| account.get(key).and_then(Value::as_str).unwrap_or("");
            let shown = label(text("issuer"), text("account"));
            let read = entry_as::<Account>(account)
                .map_err(|_| Error::invalid("secret", "this account is incomplete"))
                .and_then(|a| a.draft());
            imported.take(|| shown, read);
        }
        Ok(imported)
    }
}
