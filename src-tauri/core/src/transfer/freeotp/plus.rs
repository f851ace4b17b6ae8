//! FreeOTP+'s JSON export: `tokens`, each with its secret as Java's signed bytes, and
//! `tokenOrder`, the order the app shows them in.

use serde::Deserialize;
use serde_json::Value;

use super::super::kdf::KdfBudget;
use super::super::wipe::Entries;
use super::super::{Format, Imported};
use crate::error::{Error, Result};

pub struct FreeOtpPlus;

#[derive(Deserialize)]
struct Export {
    tokens: Vec<Value>,
}

fn parse(file: &[u8]) -> Option<Export> {
    let value: Value = serde_json::from_str(super::super::text(file)?).ok()?;
    value.get("tokenOrder")?;
    serde_json::from_value(value).ok()
}

impl Format for FreeOtpPlus {
    fn name(&self) -> &'static str {
        "freeotp_plus"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        let names = |keys: &[&str]| super::super::names_keys(file, keys);
        names(&["tokens"]) && (names(&["tokenOrder"]) || names(&["issuerExt"]))
    }

    fn read(&self, file: &[u8], _: Option<&str>, _: &mut KdfBudget) -> Result<Imported> {
        let export =
            parse(file).ok_or_else(|| Error::BackupDamaged("not a FreeOTP+ export".into()))?;
        let tokens = Entries(export.tokens);
        let mut imported = Imported::default();
        for token in tokens.iter() {
            super::take_token(&mut imported, token);
        }
        Ok(imported)
    }
}
