//! Keychain items that are not an account's or a token's (the app lock's), kept beside the
//! secrets under names of their own; their owners give them meaning.

use zeroize::Zeroizing;

use super::Vault;
use crate::error::{Error, Result};

impl Vault {
    /// The keychain item `name`, or `None` when there is none.
    pub fn keychain_item(&self, name: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        match self.secrets.get_bytes(name) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(Error::SecretMissing(_)) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// Stores `bytes` as the keychain item `name`, or removes the item.
    pub fn set_keychain_item(&mut self, name: &str, bytes: Option<&[u8]>) -> Result<()> {
        match bytes {
            Some(bytes) => self.secrets.put_bytes(name, bytes),
            None => match self.secrets.delete(name) {
                Err(Error::SecretMissing(_)) => Ok(()),
                other => other,
            },
        }
    }
}
