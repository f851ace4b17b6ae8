//! Bitwarden's password-protected JSON export. The password and the file's `salt` (its Base64
//! text, as bytes) give a key by PBKDF2-HMAC-SHA256 or by Argon2id (over the salt's SHA-256),
//! with the parameters the file names; HKDF-Expand makes an encryption and a MAC key of it.
//! `encKeyValidation_DO_NOT_EDIT` and `data` are "2.iv|ciphertext|mac" strings (AES-256-CBC,
//! HMAC-SHA256 over IV and ciphertext); `data` holds the plain export.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_json::Value;
use sha2::Digest;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::transfer::crypto::{
    Key, Pbkdf2, aes_cbc_open, argon2id, damaged, hmac_sha256_check, pbkdf2,
};
use crate::transfer::kdf::KdfBudget;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Protected {
    salt: String,
    kdf_type: u8,
    kdf_iterations: u32,
    kdf_memory: Option<u32>,
    kdf_parallelism: Option<u32>,
    #[serde(rename = "encKeyValidation_DO_NOT_EDIT")]
    validation: String,
    data: String,
}

/// One "2.iv|ciphertext|mac" string.
struct EncString {
    iv: Vec<u8>,
    ciphertext: Vec<u8>,
    mac: Vec<u8>,
}

fn enc_string(text: &str) -> Result<EncString> {
    let body = text
        .strip_prefix("2.")
        .ok_or_else(|| damaged("an encrypted field is not of the kind Bitwarden exports"))?;
    let parts: Vec<&str> = body.split('|').collect();
    let [iv, ciphertext, mac] = parts.as_slice() else {
        return Err(damaged("an encrypted field does not have its three pieces"));
    };
    let decode = |b64: &str| {
        STANDARD
            .decode(b64.trim())
            .map_err(|_| damaged("an encrypted field is not Base64"))
    };
    Ok(EncString {
        iv: decode(iv)?,
        ciphertext: decode(ciphertext)?,
        mac: decode(mac)?,
    })
}

struct Keys {
    encryption: Key,
    mac: Key,
}

fn stretch(master: &Key) -> Result<Keys> {
    let hkdf = hkdf::Hkdf::<sha2::Sha256>::from_prk(master.as_slice())
        .map_err(|_| damaged("the derived key is too short"))?;
    let mut keys = Keys {
        encryption: Zeroizing::new([0u8; 32]),
        mac: Zeroizing::new([0u8; 32]),
    };
    hkdf.expand(b"enc", keys.encryption.as_mut_slice())
        .and_then(|()| hkdf.expand(b"mac", keys.mac.as_mut_slice()))
        .map_err(|_| damaged("the keys cannot be derived"))?;
    Ok(keys)
}

fn open_field(keys: &Keys, field: &EncString) -> Result<Zeroizing<Vec<u8>>> {
    hmac_sha256_check(
        keys.mac.as_slice(),
        &[&field.iv, &field.ciphertext],
        &field.mac,
    )?;
    aes_cbc_open(keys.encryption.as_slice(), &field.iv, &field.ciphertext)
}

/// The plain export inside a protected one.
pub(super) fn open(
    export: &Value,
    password: Option<&str>,
    kdf: &mut KdfBudget,
) -> Result<Zeroizing<Vec<u8>>> {
    if export.get("passwordProtected") != Some(&Value::Bool(true)) {
        // Encrypted with the account's own key: only Bitwarden, signed in, can open it.
        return Err(Error::ExportTiedToAccount);
    }
    let protected: Protected = serde_json::from_value(export.clone())
        .map_err(|_| damaged("the protected export lacks its key settings"))?;
    let password = password.ok_or(Error::BackupPasswordRequired)?;
    // Bitwarden allows 600,000 to 2,000,000 PBKDF2 iterations (older accounts fewer).
    const MAX_PBKDF2_ITERATIONS: u32 = 2_000_000;
    if protected.kdf_type == 0 && protected.kdf_iterations > MAX_PBKDF2_ITERATIONS {
        return Err(Error::BackupTooCostly);
    }
    let salt = protected.salt.as_bytes();
    let master = match protected.kdf_type {
        0 => pbkdf2(
            Pbkdf2::Sha256,
            password.as_bytes(),
            salt,
            protected.kdf_iterations,
            kdf,
        )?,
        1 => {
            let memory_mib = protected
                .kdf_memory
                .ok_or_else(|| damaged("Argon2 without its memory"))?;
            let lanes = protected
                .kdf_parallelism
                .ok_or_else(|| damaged("Argon2 without its parallelism"))?;
            argon2id(
                password.as_bytes(),
                &sha2::Sha256::digest(salt),
                memory_mib.saturating_mul(1024),
                protected.kdf_iterations,
                lanes,
                kdf,
            )?
        }
        other => {
            return Err(damaged(format!(
                "key derivation {other} is not one Bitwarden has"
            )));
        }
    };
    let keys = stretch(&master)?;
    // The validation field opens with the right password whatever became of the data.
    open_field(&keys, &enc_string(&protected.validation)?)?;
    open_field(&keys, &enc_string(&protected.data)?).map_err(|error| match error {
        Error::WrongBackupPassword => {
            damaged("the accounts do not decrypt, though the password is right")
        }
        other => other,
    })
}
