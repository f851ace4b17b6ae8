//! Battle.net's authenticator, as a rooted phone has it: the app's shared preferences keep
//! `com.blizzard.bma.AUTH_STORE.HASH`, the hex of a text XOR-ed with a fixed mask; the text
//! is the device secret (40 hex digits: 20 bytes) followed by the serial
//! ("US-1234-5678-9012"). The codes are TOTP, SHA-1, 8 digits, 30 seconds: a Battle.net
//! account named by its serial.

use super::crypto::damaged;
use super::kdf::KdfBudget;
use super::{Format, Imported};
use crate::error::{Error, Result};
use crate::otp::{AccountDraft, Algorithm, OtpKind, OtpParams, SecretKey};

const STORE: &str = "com.blizzard.bma.AUTH_STORE.HASH";
/// The secret's hex digits at the start of the store.
const SECRET_DIGITS: usize = 40;

/// The app's mask (published by those who read its files, e.g. WinAuth and Aegis).
const MASK: [u8; 57] = [
    0x39, 0x8e, 0x27, 0xfc, 0x50, 0x27, 0x6a, 0x65, 0x60, 0x65, 0xb0, 0xe5, 0x25, 0xf4, 0xc0, 0x6c,
    0x04, 0xc6, 0x10, 0x75, 0x28, 0x6b, 0x8e, 0x7a, 0xed, 0xa5, 0x9d, 0xa9, 0x81, 0x3b, 0x5d, 0xd6,
    0xc8, 0x0d, 0x2f, 0xb3, 0x80, 0x68, 0x77, 0x3f, 0xa5, 0x9b, 0xa4, 0x7c, 0x17, 0xca, 0x6c, 0x64,
    0x79, 0x01, 0x5c, 0x1d, 0x5b, 0x8b, 0x8f, 0x6b, 0x9a,
];

pub struct BattleNet;

/// The text of a masked value.
fn unmask(hex: &str) -> Result<zeroize::Zeroizing<String>> {
    let bad = || damaged("a value in the file is not the app's");
    let hex = hex.trim();
    if hex.len() > 2 * MASK.len() {
        return Err(bad());
    }
    let bytes = zeroize::Zeroizing::new(
        data_encoding::HEXLOWER_PERMISSIVE
            .decode(hex.as_bytes())
            .map_err(|_| bad())?,
    );
    let plain: zeroize::Zeroizing<Vec<u8>> =
        zeroize::Zeroizing::new(bytes.iter().zip(MASK).map(|(b, m)| b ^ m).collect());
    std::str::from_utf8(&plain)
        .map(|text| zeroize::Zeroizing::new(text.to_string()))
        .map_err(|_| bad())
}

impl Format for BattleNet {
    fn name(&self) -> &'static str {
        "battlenet"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        super::text(file).is_some_and(|t| t.contains("<map") && t.contains(STORE))
    }

    fn read(&self, file: &[u8], _: Option<&str>, _: &mut KdfBudget) -> Result<Imported> {
        let text = super::text(file).ok_or_else(|| damaged("the file is not text"))?;
        let document = roxmltree::Document::parse(text)
            .map_err(|e| damaged(format!("the file is not complete XML: {e}")))?;
        let store = document
            .root_element()
            .children()
            .find(|n| n.has_tag_name("string") && n.attribute("name") == Some(STORE))
            .and_then(|n| n.text())
            .ok_or_else(|| damaged("the file holds no authenticator"))?;
        let store = unmask(store)?;
        let (secret, serial) = store
            .split_at_checked(SECRET_DIGITS)
            .ok_or_else(|| damaged("the authenticator is cut short"))?;
        let serial = serial.trim();
        let read = data_encoding::HEXLOWER_PERMISSIVE
            .decode(secret.as_bytes())
            .map_err(|_| Error::invalid("secret", "the device secret is not hexadecimal"))
            .and_then(SecretKey::from_bytes)
            .and_then(|secret| {
                let params = OtpParams {
                    kind: OtpKind::Totp { period: 30 },
                    algorithm: Algorithm::Sha1,
                    digits: 8,
                };
                AccountDraft::new("Battle.net", serial, secret, params)
            });
        let mut imported = Imported::default();
        imported.take(|| super::exported::label("Battle.net", serial), read);
        Ok(imported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The store of a published test authenticator (Aegis' importer tests): the mask is the
    /// app's if it gives back that authenticator's secret and serial.
    #[test]
    fn the_mask_opens_a_real_store() {
        let store = "09ec179861450806035080d113c5f05e62f67316110eec1bd495a9cdb65a3cb3f93b1f80b80b4507f0c8894e25fb5d494b31692d76b8bc5fac";
        assert_eq!(
            unmask(store).unwrap().as_str(),
            "0b0d1bbcc5046102f0cc9eba904d7aae16038c28US-2211-2050-3346"
        );
        let file = format!(
            "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n<string name=\"{STORE}\">{store}</string>\n</map>"
        );
        let imported = super::super::read_backup(file.as_bytes(), None).unwrap();
        let account = &imported.accounts[0];
        assert_eq!(account.label(), "Battle.net (US-2211-2050-3346)");
        assert_eq!(account.params.digits, 8);
        assert_eq!(account.secret.as_bytes().len(), 20);
        let cut = file.replace(store, &store[..60]);
        assert_eq!(
            super::super::read_backup(cut.as_bytes(), None)
                .unwrap_err()
                .code(),
            "backup_damaged"
        );
    }
}
