//! The platform keychain through keyring 4: Secret Service on Linux, the Keychain on Apple
//! platforms (data-protection keychain), the Keystore on Android, Credential Manager on Windows.

use keyring_core::{Entry, Error as KeyringError};

use super::secret_store::SecretStore;
use crate::error::{Error, Result};
use crate::otp::SecretKey;

/// The keychain "service" under which the app keeps its secrets.
pub const APP_SERVICE: &str = "Pocket";

/// Installs this platform's keychain as the default store. Without it every keychain call
/// fails with `KeychainUnavailable`, which the UI explains; nothing falls back to plain text.
pub fn use_platform_keychain() -> Result<()> {
    let store = platform_store().map_err(|e| Error::KeychainUnavailable(e.to_string()))?;
    keyring_core::set_default_store(store);
    Ok(())
}

#[cfg(all(target_os = "linux", not(target_os = "android")))]
fn platform_store() -> keyring_core::Result<std::sync::Arc<keyring_core::CredentialStore>> {
    Ok(zbus_secret_service_keyring_store::Store::new()?)
}

#[cfg(any(target_os = "macos", target_os = "ios"))]
fn platform_store() -> keyring_core::Result<std::sync::Arc<keyring_core::CredentialStore>> {
    Ok(apple_native_keyring_store::protected::Store::new()?)
}

#[cfg(target_os = "android")]
fn platform_store() -> keyring_core::Result<std::sync::Arc<keyring_core::CredentialStore>> {
    Ok(android_native_keyring_store::Store::new()?)
}

#[cfg(target_os = "windows")]
fn platform_store() -> keyring_core::Result<std::sync::Arc<keyring_core::CredentialStore>> {
    Ok(windows_native_keyring_store::Store::new()?)
}

/// Secrets as keychain items named (service, account id), holding canonical base32.
pub struct KeychainStore {
    service: String,
}

impl KeychainStore {
    pub fn new(service: &str) -> KeychainStore {
        KeychainStore {
            service: service.to_string(),
        }
    }

    fn entry(&self, account_id: &str) -> Result<Entry> {
        Entry::new(&self.service, account_id).map_err(|e| map_error(e, account_id))
    }
}

impl SecretStore for KeychainStore {
    fn put(&self, account_id: &str, secret: &SecretKey) -> Result<()> {
        self.entry(account_id)?
            .set_password(&secret.to_base32())
            .map_err(|e| map_error(e, account_id))
    }

    fn get(&self, account_id: &str) -> Result<SecretKey> {
        let text = zeroize::Zeroizing::new(
            self.entry(account_id)?
                .get_password()
                .map_err(|e| map_error(e, account_id))?,
        );
        // A value that is not our base32 was not written by us: treat it as missing.
        SecretKey::from_base32(&text).map_err(|_| Error::SecretMissing(account_id.to_string()))
    }

    fn put_bytes(&self, id: &str, bytes: &[u8]) -> Result<()> {
        self.entry(id)?
            .set_secret(bytes)
            .map_err(|e| map_error(e, id))
    }

    fn get_bytes(&self, id: &str) -> Result<zeroize::Zeroizing<Vec<u8>>> {
        let bytes = self.entry(id)?.get_secret().map_err(|e| map_error(e, id))?;
        Ok(zeroize::Zeroizing::new(bytes))
    }

    fn delete(&self, account_id: &str) -> Result<()> {
        match self.entry(account_id)?.delete_credential() {
            Ok(()) | Err(KeyringError::NoEntry) => Ok(()),
            Err(e) => Err(map_error(e, account_id)),
        }
    }
}

fn map_error(error: KeyringError, account_id: &str) -> Error {
    match error {
        KeyringError::NoStorageAccess(_) => Error::KeychainLocked,
        KeyringError::NoEntry | KeyringError::BadEncoding(_) => {
            Error::SecretMissing(account_id.to_string())
        }
        other => Error::KeychainUnavailable(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// keyring-core's mock store stands in for the platform one; the real Secret Service is
    /// exercised by the end-to-end tests.
    #[test]
    fn round_trips_and_maps_errors() {
        keyring_core::set_default_store(keyring_core::mock::Store::new().unwrap());
        let store = KeychainStore::new("pocket-test");
        let secret = SecretKey::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        assert_eq!(store.get("a").unwrap_err().code(), "secret_missing");
        store.put("a", &secret).unwrap();
        assert_eq!(store.get("a").unwrap(), secret);
        store.delete("a").unwrap();
        store.delete("a").unwrap();
        assert_eq!(store.get("a").unwrap_err().code(), "secret_missing");
    }
}
