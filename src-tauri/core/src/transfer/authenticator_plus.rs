//! Authenticator Plus's "Export as text": a password-protected zip (the traditional zip
//! encryption or AES) holding `Accounts.txt`, one otpauth:// link a line, and an HTML copy.

use super::archive;
use super::crypto::damaged;
use super::kdf::KdfBudget;
use super::uri_list::read_uri_list;
use super::{Format, Imported};
use crate::error::Result;

const ACCOUNTS: &str = "Accounts.txt";

pub struct AuthenticatorPlus;

/// The path of `Accounts.txt` in the archive, at any depth.
fn accounts_in(file: &[u8]) -> Option<String> {
    if !archive::is_zip(file) {
        return None;
    }
    archive::names(file)?
        .into_iter()
        .find(|name| name.rsplit('/').next() == Some(ACCOUNTS))
}

impl Format for AuthenticatorPlus {
    fn name(&self) -> &'static str {
        "authenticator_plus"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        accounts_in(file).is_some()
    }

    fn is_encrypted(&self, file: &[u8]) -> bool {
        archive::any_encrypted(file)
    }

    fn read(&self, file: &[u8], password: Option<&str>, _: &mut KdfBudget) -> Result<Imported> {
        let path = accounts_in(file).ok_or_else(|| damaged("the archive has no Accounts.txt"))?;
        let text = archive::read(file, &path, password)?;
        let text = std::str::from_utf8(&text).map_err(|_| damaged("Accounts.txt is not text"))?;
        read_uri_list(text)
    }
}
