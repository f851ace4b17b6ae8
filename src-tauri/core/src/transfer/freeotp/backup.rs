//! FreeOTP 2's backup (`externalBackup.xml`, despite its name a serialised Java map; see
//! `java_map`). `masterKey` holds a random AES key sealed with AES-GCM under PBKDF2 of the
//! backup password; each token is two entries, `<uuid>` with the token's secret sealed under
//! that master key and `<uuid>-token` with its settings. Each sealing names what it sealed
//! (`mToken`: "AES", "HmacSHA1", …), which is also its associated data.

use serde::Deserialize;
use serde_json::Value;
use zeroize::Zeroizing;

use super::super::crypto::{Pbkdf2, aes_gcm_open, damaged, pbkdf2};
use super::super::kdf::KdfBudget;
use super::super::{Format, Imported};
use super::java_map::{looks_like_map, read_string_map};
use super::{Token, java_bytes, label_of};
use crate::error::{Error, Result};

/// FreeOTP writes 100,000; this is twenty times that.
const MAX_ITERATIONS: u32 = 2_000_000;
const TOKEN_SUFFIX: &str = "-token";

pub struct FreeOtpBackup;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MasterKey {
    m_algorithm: String,
    m_encrypted_key: Sealed,
    m_iterations: u32,
    m_salt: Vec<i16>,
}

/// `EncryptedKey`: what FreeOTP sealed, with the cipher's parameters (a DER `GCMParameters`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Sealed {
    m_cipher: String,
    m_cipher_text: Vec<i16>,
    m_parameters: Vec<i16>,
    m_token: String,
}

#[derive(Deserialize)]
struct SealedEntry {
    key: String,
}

/// Java's signed bytes as bytes, or the file is damaged.
fn bytes_of(values: &[i16], what: &str) -> Result<Vec<u8>> {
    java_bytes(values).ok_or_else(|| damaged(format!("the {what} holds values that are not bytes")))
}

/// The nonce from DER `GCMParameters ::= SEQUENCE { nonce OCTET STRING, tagLength INTEGER
/// DEFAULT 12 }`; FreeOTP's tags are 16 bytes, as Pocket's cipher expects.
fn gcm_nonce(der: &[u8]) -> Result<&[u8]> {
    let bad = || damaged("the cipher's parameters are not readable");
    let body = match der {
        [0x30, length, body @ ..] if usize::from(*length) == body.len() => body,
        _ => return Err(bad()),
    };
    let (nonce, rest) = match body {
        [0x04, length, rest @ ..] if usize::from(*length) <= rest.len() => {
            rest.split_at(usize::from(*length))
        }
        _ => return Err(bad()),
    };
    match rest {
        [0x02, 0x01, 16] => Ok(nonce),
        _ => Err(damaged("the cipher's tag is not 16 bytes")),
    }
}

impl Sealed {
    fn open(&self, key: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        if self.m_cipher != "AES/GCM/NoPadding" {
            return Err(damaged(format!(
                "the cipher {} is not known",
                self.m_cipher
            )));
        }
        let parameters = bytes_of(&self.m_parameters, "cipher's parameters")?;
        let sealed = bytes_of(&self.m_cipher_text, "encrypted key")?;
        aes_gcm_open(
            key,
            gcm_nonce(&parameters)?,
            &sealed,
            self.m_token.as_bytes(),
        )
    }
}

impl MasterKey {
    fn open(&self, password: &str, kdf: &mut KdfBudget) -> Result<Zeroizing<Vec<u8>>> {
        let hash = match self.m_algorithm.as_str() {
            "PBKDF2withHmacSHA512" => Pbkdf2::Sha512,
            "PBKDF2withHmacSHA1" => Pbkdf2::Sha1,
            other => return Err(damaged(format!("the key derivation {other} is not known"))),
        };
        if self.m_iterations > MAX_ITERATIONS {
            return Err(Error::BackupTooCostly);
        }
        let salt = bytes_of(&self.m_salt, "salt")?;
        let wrapping = pbkdf2(hash, password.as_bytes(), &salt, self.m_iterations, kdf)?;
        let master = self.m_encrypted_key.open(wrapping.as_slice())?;
        if master.len() != 32 {
            return Err(damaged("the master key is not 256 bits"));
        }
        Ok(master)
    }
}

impl Format for FreeOtpBackup {
    fn name(&self) -> &'static str {
        "freeotp"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        looks_like_map(file)
    }

    fn is_encrypted(&self, _: &[u8]) -> bool {
        true
    }

    fn read(&self, file: &[u8], password: Option<&str>, kdf: &mut KdfBudget) -> Result<Imported> {
        let map = read_string_map(file)?;
        let master = map
            .0
            .get("masterKey")
            .ok_or_else(|| damaged("the backup has no master key"))?;
        let master: MasterKey = serde_json::from_str(master)
            .map_err(|_| damaged("the backup's master key is not readable"))?;
        let password = password.ok_or(Error::BackupPasswordRequired)?;
        let master = master.open(password, kdf)?;

        let mut imported = Imported::default();
        for (id, settings) in &map.0 {
            let Some(uuid) = id.strip_suffix(TOKEN_SUFFIX) else {
                continue;
            };
            let settings: Value = serde_json::from_str(settings).unwrap_or(Value::Null);
            let read = Token::deserialize(&settings)
                .map_err(|_| Error::invalid("secret", "this token is incomplete"));
            let shown = match &read {
                Ok(token) => token.shown(),
                Err(_) => label_of(&settings),
            };
            let secret = map
                .0
                .get(uuid)
                .ok_or(Error::MissingParameter("secret"))
                .and_then(|entry| token_secret(entry, &master));
            imported.take(
                || shown,
                read.and_then(|token| token.draft(secret?.to_vec())),
            );
        }
        // The backup keeps no order: the accounts come in by name.
        imported.accounts.sort_by_key(|a| a.label().to_lowercase());
        Ok(imported)
    }
}

/// A token's secret: `{"key": "<EncryptedKey as JSON>"}`, opened with the master key.
fn token_secret(entry: &str, master: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let unreadable = || Error::invalid("secret", "this token's key is not readable");
    let entry: SealedEntry = serde_json::from_str(entry).map_err(|_| unreadable())?;
    let sealed: Sealed = serde_json::from_str(&entry.key).map_err(|_| unreadable())?;
    // The master key opened, so a tag that fails here is damage, not a wrong password.
    sealed.open(master).map_err(|error| match error {
        Error::WrongBackupPassword => Error::invalid("secret", "this token's key is damaged"),
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gcm_parameters_are_read_strictly() {
        let mut der = vec![0x30, 17, 0x04, 12];
        der.extend_from_slice(&[7; 12]);
        der.extend_from_slice(&[0x02, 0x01, 16]);
        assert_eq!(gcm_nonce(&der).unwrap(), [7; 12]);
        let mut short_tag = der.clone();
        short_tag[18] = 12;
        assert!(
            gcm_nonce(&short_tag)
                .unwrap_err()
                .to_string()
                .contains("16 bytes")
        );
        for bad in [&der[..10], &[0x31, 0][..], &[0x30, 2, 0x04, 9][..]] {
            assert_eq!(gcm_nonce(bad).unwrap_err().code(), "backup_damaged");
        }
    }
}
