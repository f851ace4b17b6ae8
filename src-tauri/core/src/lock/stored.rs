//! The app lock's keychain items: the passcode's verifier and the count of wrong tries.

use super::{Attempts, PasscodeVerifier};
use crate::error::{Error, Result};
use crate::vault::Vault;

const PASSCODE_VERIFIER: &str = "lock-passcode";
const UNLOCK_ATTEMPTS: &str = "lock-attempts";

pub fn passcode_verifier(vault: &Vault) -> Result<Option<PasscodeVerifier>> {
    vault
        .keychain_item(PASSCODE_VERIFIER)?
        .map(|bytes| PasscodeVerifier::from_bytes(&bytes))
        .transpose()
}

/// Stores `verifier`, or removes the passcode.
pub fn set_passcode_verifier(vault: &mut Vault, verifier: Option<&PasscodeVerifier>) -> Result<()> {
    let bytes = verifier.map(PasscodeVerifier::to_bytes).transpose()?;
    vault.set_keychain_item(PASSCODE_VERIFIER, bytes.as_ref().map(|b| b.as_slice()))
}

/// The wrong tries so far. A damaged count reads as many wrong tries, the last just now,
/// not as none.
pub fn unlock_attempts(vault: &Vault) -> Result<Attempts> {
    Ok(match vault.keychain_item(UNLOCK_ATTEMPTS)? {
        Some(bytes) => serde_json::from_slice(&bytes).unwrap_or(Attempts {
            failures: 10,
            last_failure_at: crate::clock::now_unix(),
        }),
        None => Attempts::default(),
    })
}

pub fn set_unlock_attempts(vault: &mut Vault, attempts: &Attempts) -> Result<()> {
    let bytes = serde_json::to_vec(attempts).map_err(|e| Error::Crypto(e.to_string()))?;
    vault.set_keychain_item(UNLOCK_ATTEMPTS, Some(&bytes))
}
