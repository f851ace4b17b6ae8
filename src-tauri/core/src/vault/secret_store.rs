//! Where secrets live: the platform keychain in the app, memory in unit tests.

use std::collections::HashMap;
use std::sync::Mutex;

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::otp::SecretKey;

/// One secret per id: an account's OTP secret, or a push token's private key. Shared: start-up
/// reads a few secrets ahead of the UI outside the vault's lock (`Vault::read_ahead`).
pub trait SecretStore: Send + Sync {
    fn put(&self, id: &str, secret: &SecretKey) -> Result<()>;
    /// `Error::SecretMissing` when there is none.
    fn get(&self, id: &str) -> Result<SecretKey>;
    /// Binary secrets (a push token's private key), stored as they are.
    fn put_bytes(&self, id: &str, bytes: &[u8]) -> Result<()>;
    fn get_bytes(&self, id: &str) -> Result<Zeroizing<Vec<u8>>>;
    /// Succeeds when there is nothing to delete, so that a retried delete is harmless.
    fn delete(&self, id: &str) -> Result<()>;
}

/// Secrets in memory, for tests of the layers above. Can be told to fail like a locked keychain,
/// or like one that reads but refuses to store.
#[derive(Default)]
pub struct MemoryStore {
    secrets: Mutex<HashMap<String, Zeroizing<Vec<u8>>>>,
    locked: Mutex<bool>,
    refusing_writes: Mutex<bool>,
}

impl MemoryStore {
    pub fn set_locked(&self, locked: bool) {
        *self.locked.lock().unwrap_or_else(|e| e.into_inner()) = locked;
    }

    pub fn set_refusing_writes(&self, refusing: bool) {
        *self
            .refusing_writes
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = refusing;
    }

    fn check_writable(&self) -> Result<()> {
        self.check_unlocked()?;
        if *self
            .refusing_writes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
        {
            return Err(Error::KeychainUnavailable("it refused to store".into()));
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.secrets.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn check_unlocked(&self) -> Result<()> {
        if *self.locked.lock().unwrap_or_else(|e| e.into_inner()) {
            Err(Error::KeychainLocked)
        } else {
            Ok(())
        }
    }
}

impl SecretStore for MemoryStore {
    fn put(&self, id: &str, secret: &SecretKey) -> Result<()> {
        self.put_bytes(id, secret.as_bytes())
    }

    fn get(&self, id: &str) -> Result<SecretKey> {
        SecretKey::from_bytes(self.get_bytes(id)?.to_vec())
    }

    fn put_bytes(&self, id: &str, bytes: &[u8]) -> Result<()> {
        self.check_writable()?;
        let mut secrets = self.secrets.lock().unwrap_or_else(|e| e.into_inner());
        secrets.insert(id.to_string(), Zeroizing::new(bytes.to_vec()));
        Ok(())
    }

    fn get_bytes(&self, id: &str) -> Result<Zeroizing<Vec<u8>>> {
        self.check_unlocked()?;
        let secrets = self.secrets.lock().unwrap_or_else(|e| e.into_inner());
        secrets
            .get(id)
            .cloned()
            .ok_or_else(|| Error::SecretMissing(id.to_string()))
    }

    fn delete(&self, id: &str) -> Result<()> {
        self.check_unlocked()?;
        self.secrets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(id);
        Ok(())
    }
}

/// Lets a test keep a handle on the store it gave away.
impl<T: SecretStore> SecretStore for std::sync::Arc<T> {
    fn put(&self, id: &str, secret: &SecretKey) -> Result<()> {
        (**self).put(id, secret)
    }
    fn get(&self, id: &str) -> Result<SecretKey> {
        (**self).get(id)
    }
    fn put_bytes(&self, id: &str, bytes: &[u8]) -> Result<()> {
        (**self).put_bytes(id, bytes)
    }
    fn get_bytes(&self, id: &str) -> Result<Zeroizing<Vec<u8>>> {
        (**self).get_bytes(id)
    }
    fn delete(&self, id: &str) -> Result<()> {
        (**self).delete(id)
    }
}
