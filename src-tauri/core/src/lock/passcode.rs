//! The Pocket passcode on desktop: at least six digits, or a passphrase of at least eight
//! characters. Only an Argon2id verifier is kept, with its salt and cost, in the keychain.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

const MIN_DIGITS: usize = 6;
const MIN_PASSPHRASE_CHARS: usize = 8;
/// Longer than any passphrase a person types; keeps the hash's input bounded.
const MAX_PASSCODE_BYTES: usize = 1024;

/// OWASP's Argon2id minimum (19 MiB, 2 passes, 1 lane): a fraction of a second here, and
/// each guess costs an attacker with the verifier as much.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;
/// A verifier asking for more than this is not one Pocket wrote: refused, not run.
const MAX_MEMORY_KIB: u32 = 256 * 1024;
const MAX_PASSES: u32 = 10;

/// Refuses a passcode that is too easy to guess by its length.
pub fn check_new_passcode(passcode: &str) -> Result<()> {
    let long_enough = if !passcode.is_empty() && passcode.bytes().all(|b| b.is_ascii_digit()) {
        passcode.len() >= MIN_DIGITS
    } else {
        passcode.chars().filter(|c| !c.is_whitespace()).count() >= MIN_PASSPHRASE_CHARS
    };
    if !long_enough {
        return Err(Error::PasscodeTooShort);
    }
    if passcode.len() > MAX_PASSCODE_BYTES {
        return Err(Error::InvalidParameter {
            param: "passcode",
            reason: format!("longer than {MAX_PASSCODE_BYTES} bytes"),
        });
    }
    Ok(())
}

/// What the keychain holds instead of the passcode.
#[derive(Clone, Serialize, Deserialize)]
pub struct PasscodeVerifier {
    memory_kib: u32,
    passes: u32,
    lanes: u32,
    salt: String,
    hash: String,
}

impl std::fmt::Debug for PasscodeVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasscodeVerifier(..)")
    }
}

impl PasscodeVerifier {
    pub fn new(passcode: &str) -> Result<PasscodeVerifier> {
        let mut salt = [0u8; 16];
        OsRng.fill_bytes(&mut salt);
        let hash = derive(passcode, &salt, MEMORY_KIB, PASSES, LANES)?;
        Ok(PasscodeVerifier {
            memory_kib: MEMORY_KIB,
            passes: PASSES,
            lanes: LANES,
            salt: BASE64.encode(salt),
            hash: BASE64.encode(hash.as_slice()),
        })
    }

    pub fn matches(&self, passcode: &str) -> Result<bool> {
        if self.memory_kib > MAX_MEMORY_KIB || self.passes > MAX_PASSES || self.lanes > 4 {
            return Err(Error::Crypto(
                "the passcode verifier asks for too much work".into(),
            ));
        }
        let damaged = |_| Error::Crypto("the passcode verifier is damaged".into());
        let salt = BASE64.decode(&self.salt).map_err(damaged)?;
        let expected = Zeroizing::new(BASE64.decode(&self.hash).map_err(damaged)?);
        if passcode.len() > MAX_PASSCODE_BYTES {
            return Ok(false);
        }
        let hash = derive(passcode, &salt, self.memory_kib, self.passes, self.lanes)?;
        Ok(bool::from(hash.as_slice().ct_eq(expected.as_slice())))
    }

    pub fn to_bytes(&self) -> Result<Zeroizing<Vec<u8>>> {
        serde_json::to_vec(self)
            .map(Zeroizing::new)
            .map_err(|e| Error::Crypto(e.to_string()))
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<PasscodeVerifier> {
        serde_json::from_slice(bytes)
            .map_err(|_| Error::Crypto("the passcode verifier is damaged".into()))
    }
}

fn derive(
    passcode: &str,
    salt: &[u8],
    memory_kib: u32,
    passes: u32,
    lanes: u32,
) -> Result<Zeroizing<[u8; 32]>> {
    let params = argon2::Params::new(memory_kib, passes, lanes, Some(32))
        .map_err(|e| Error::Crypto(format!("Argon2 parameters: {e}")))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut hash = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(passcode.as_bytes(), salt, hash.as_mut_slice())
        .map_err(|e| Error::Crypto(format!("Argon2: {e}")))?;
    Ok(hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_digits_or_eight_characters() {
        for weak in ["", "12345", "abc", "seven77", "       x", "１２３４５６"] {
            assert!(
                matches!(check_new_passcode(weak), Err(Error::PasscodeTooShort)),
                "{weak:?} was taken"
            );
        }
        for fine in ["123456", "00000000", "correct horse", "wachtwoord"] {
            check_new_passcode(fine).unwrap();
        }
        assert!(matches!(
            check_new_passcode(&"x".repeat(2000)),
            Err(Error::InvalidParameter {
                param: "passcode",
                ..
            })
        ));
    }

    #[test]
    fn the_verifier_opens_for_its_passcode_only_and_holds_no_passcode() {
        let verifier = PasscodeVerifier::new("246810").unwrap();
        let stored = verifier.to_bytes().unwrap();
        assert!(!String::from_utf8_lossy(&stored).contains("246810"));
        let read = PasscodeVerifier::from_bytes(&stored).unwrap();
        assert!(read.matches("246810").unwrap());
        assert!(!read.matches("246811").unwrap());
        assert!(!read.matches("").unwrap());
        // Two verifiers of one passcode differ: each has its own salt.
        let again = PasscodeVerifier::new("246810").unwrap();
        assert_ne!(again.hash, verifier.hash);
    }

    #[test]
    fn a_verifier_asking_for_gigabytes_is_refused_unrun() {
        let mut verifier = PasscodeVerifier::new("246810").unwrap();
        verifier.memory_kib = 4 * 1024 * 1024;
        assert!(matches!(verifier.matches("246810"), Err(Error::Crypto(_))));
        assert!(matches!(
            PasscodeVerifier::from_bytes(b"{not json"),
            Err(Error::Crypto(_))
        ));
    }
}
