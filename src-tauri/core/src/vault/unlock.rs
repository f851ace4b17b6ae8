//! The app lock's keychain items: the passcode's verifier and the count of wrong tries.

use super::Vault;
use crate::error::{Error, Result};
use crate::lock::{Attempts, PasscodeVerifier};

const PASSCODE_VERIFIER: &str = "lock-passcode";
const UNLOCK_ATTEMPTS: &str = "lock-attempts";

impl Vault {
    pub fn passcode_verifier(&self) -> Result<Option<PasscodeVerifier>> {
        match self.secrets.get_bytes(PASSCODE_VERIFIER) {
            Ok(bytes) => PasscodeVerifier::from_bytes(&bytes).map(Some),
            Err(Error::SecretMissing(_)) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// Stores `verifier`, or removes the passcode.
    pub fn set_passcode_verifier(&mut self, verifier: Option<&PasscodeVerifier>) -> Result<()> {
        match verifier {
            Some(verifier) => self
                .secrets
                .put_bytes(PASSCODE_VERIFIER, &verifier.to_bytes()?),
            None => match self.secrets.delete(PASSCODE_VERIFIER) {
                Err(Error::SecretMissing(_)) => Ok(()),
                other => other,
            },
        }
    }

    /// The wrong tries so far. A damaged count reads as many wrong tries, the last just now,
    /// not as none.
    pub fn unlock_attempts(&self) -> Result<Attempts> {
        match self.secrets.get_bytes(UNLOCK_ATTEMPTS) {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).unwrap_or(Attempts {
                failures: 10,
                last_failure_at: crate::clock::now_unix(),
            })),
            Err(Error::SecretMissing(_)) => Ok(Attempts::default()),
            Err(other) => Err(other),
        }
    }

    pub fn set_unlock_attempts(&mut self, attempts: &Attempts) -> Result<()> {
        let bytes = serde_json::to_vec(attempts).map_err(|e| Error::Crypto(e.to_string()))?;
        self.secrets.put_bytes(UNLOCK_ATTEMPTS, &bytes)
    }
}
