//! Where secrets live: the platform keychain in the app, memory in unit tests.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::otp::SecretKey;

/// One secret per account id.
pub trait SecretStore: Send {
    fn put(&self, account_id: &str, secret: &SecretKey) -> Result<()>;
    /// `Error::SecretMissing` when there is none.
    fn get(&self, account_id: &str) -> Result<SecretKey>;
    /// Succeeds when there is nothing to delete, so that a retried delete is harmless.
    fn delete(&self, account_id: &str) -> Result<()>;
}

/// Secrets in memory, for tests of the layers above. Can be told to fail like a locked keychain.
#[derive(Default)]
pub struct MemoryStore {
    secrets: Mutex<HashMap<String, SecretKey>>,
    locked: Mutex<bool>,
}

impl MemoryStore {
    pub fn set_locked(&self, locked: bool) {
        *self.locked.lock().unwrap_or_else(|e| e.into_inner()) = locked;
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
    fn put(&self, account_id: &str, secret: &SecretKey) -> Result<()> {
        self.check_unlocked()?;
        let mut secrets = self.secrets.lock().unwrap_or_else(|e| e.into_inner());
        secrets.insert(account_id.to_string(), secret.clone());
        Ok(())
    }

    fn get(&self, account_id: &str) -> Result<SecretKey> {
        self.check_unlocked()?;
        let secrets = self.secrets.lock().unwrap_or_else(|e| e.into_inner());
        secrets
            .get(account_id)
            .cloned()
            .ok_or_else(|| Error::SecretMissing(account_id.to_string()))
    }

    fn delete(&self, account_id: &str) -> Result<()> {
        self.check_unlocked()?;
        self.secrets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(account_id);
        Ok(())
    }
}

/// Lets a test keep a handle on the store it gave away.
impl<T: SecretStore + Sync> SecretStore for std::sync::Arc<T> {
    fn put(&self, account_id: &str, secret: &SecretKey) -> Result<()> {
        (**self).put(account_id, secret)
    }
    fn get(&self, account_id: &str) -> Result<SecretKey> {
        (**self).get(account_id)
    }
    fn delete(&self, account_id: &str) -> Result<()> {
        (**self).delete(account_id)
    }
}
