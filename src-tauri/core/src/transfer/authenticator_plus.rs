//! Authenticator Plus's "Export as text": a password-protected zip (the traditional zip
//! encryption or AES) holding `Accounts.txt`, one otpauth:// link a line, and an HTML copy.

use super::archive::{self, Archive};
use super::crypto::damaged;
use super::kdf::KdfBudget;
use super::uri_list::read_uri_list;
use super::{Format, Imported};
use crate::error::Result;

const ACCOUNTS: &str = "Accounts.txt";

pub struct AuthenticatorPlus;

/// The path of `Accounts.txt` in the archive, at any depth.
fn accounts_in(names: Vec<String>) -> Option<String> {
    names
        .into_iter()
        .find(|name| name.rsplit('/').next() == Some(ACCOUNTS))
}

impl Format for AuthenticatorPlus {
    fn name(&self) -> &'static str {
        "authenticator_plus"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        archive::is_zip(file) && archive::names(file).and_then(accounts_in).is_some()
    }

    fn is_encrypted(&self, file: &[u8]) -> bool {
        Archive::open(file).is_ok_and(|mut archive| archive.any_encrypted())
    }

    fn read(&self, file: &[u8], password: Option<&str>, _: &mut KdfBudget) -> Result<Imported> {
        let mut archive = Archive::open(file)?;
        let path = accounts_in(archive.names())
            .ok_or_else(|| damaged("the archive has no Accounts.txt"))?;
        let text = archive.read(&path, password)?;
        let text = std::str::from_utf8(&text).map_err(|_| damaged("Accounts.txt is not text"))?;
        read_uri_list(text)
    }
}
