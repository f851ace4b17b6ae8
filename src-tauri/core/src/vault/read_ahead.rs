//! Start-up reads the secrets of the first rows before the UI asks for their codes. The
//! keychain answers each read in milliseconds (a D-Bus round trip to the Secret Service on
//! Linux, more with a thousand items in it), and at start-up the webview takes longer than
//! that to load the page: read then, the first screen's codes need no keychain round trip.

use std::sync::Arc;

use super::{AccountState, SecretStore, SharedVault, Vault, exclusive};
use crate::error::Result;
use crate::otp::OtpKind;

/// How many rows the home screen shows first: a tall phone screen's. Start-up reads their
/// secrets ahead, the home screen's first read brings their codes, and the list draws that
/// many rows before the rest.
pub const FIRST_ROWS: usize = 12;

impl Vault {
    /// The accounts whose codes the first rows show: the first `count` time-based accounts
    /// in the user's order (counter-based ones make a code only when asked).
    pub fn first_rows(&self, count: usize) -> Result<Vec<String>> {
        Ok(self
            .accounts()?
            .into_iter()
            .filter(|account| !matches!(account.params.kind, OtpKind::Hotp { .. }))
            .take(count)
            .map(|account| account.id)
            .collect())
    }

    /// Of the first rows' accounts, those whose secrets are not read yet, and the store that
    /// holds them.
    fn unread_first(&self, count: usize) -> Result<(Vec<String>, Arc<dyn SecretStore>)> {
        let mut ids = self.first_rows(count)?;
        ids.retain(|id| !self.cache.contains_key(id));
        Ok((ids, self.secrets.clone()))
    }
}

/// Reads the secrets of the first `count` time-based accounts into the vault's memory,
/// holding the vault only between reads, so the UI's calls go ahead while the keychain
/// answers. Stops at the first secret that cannot be read (a locked keychain asks once, when
/// the UI reads it and can say why). Returns how many it read.
pub fn read_ahead(shared: &SharedVault, count: usize) -> Result<usize> {
    let (ids, store) = exclusive(shared).unread_first(count)?;
    let mut read = 0;
    for id in ids {
        let Ok(secret) = store.get(&id) else {
            break;
        };
        let mut vault = exclusive(shared);
        // Removed meanwhile, or read already by the UI: what the vault has stays.
        let active = matches!(vault.db.get(&id)?, Some((_, AccountState::Active)));
        if active && !vault.cache.contains_key(&id) {
            vault.cache.insert(id, secret);
            read += 1;
        }
    }
    Ok(read)
}

#[cfg(test)]
mod tests {
    use std::sync::{Mutex, OnceLock, Weak};

    use super::*;
    use crate::otp::{AccountDraft, OtpParams, SecretKey};
    use crate::vault::MemoryStore;

    fn draft(name: &str, kind: OtpKind) -> AccountDraft {
        let secret = SecretKey::from_bytes(format!("{name:-<20}").into_bytes()).unwrap();
        let params = OtpParams {
            kind,
            ..OtpParams::default_totp()
        };
        AccountDraft::new("Corp", name, secret, params).unwrap()
    }

    /// A vault of `names` (the second one counter-based) in `dir`, opened again so that no
    /// secret is in its memory.
    fn reopened(dir: &tempfile::TempDir, store: Box<dyn SecretStore>, names: &[&str]) -> Vault {
        let path = dir.path().join("pocket.sqlite");
        let filler = Arc::new(MemoryStore::default());
        let mut vault = Vault::open(&path, Box::new(filler.clone())).unwrap();
        for (n, name) in names.iter().enumerate() {
            let kind = if n == 1 {
                OtpKind::Hotp { counter: 0 }
            } else {
                OtpKind::Totp { period: 30 }
            };
            let account = vault.add(draft(name, kind), 0).unwrap();
            store
                .put(&account.id, &filler.get(&account.id).unwrap())
                .unwrap();
        }
        drop(vault);
        Vault::open(&path, store).unwrap()
    }

    fn ids_of(vault: &Vault) -> Vec<String> {
        vault
            .accounts()
            .unwrap()
            .into_iter()
            .map(|a| a.id)
            .collect()
    }

    #[test]
    fn the_first_time_based_secrets_are_read_and_no_more() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(MemoryStore::default());
        let names: Vec<String> = (0..6).map(|n| format!("user{n}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let shared: SharedVault =
            Arc::new(Mutex::new(reopened(&dir, Box::new(store.clone()), &names)));
        let ids = ids_of(&exclusive(&shared));

        assert_eq!(read_ahead(&shared, 3).unwrap(), 3);
        store.set_locked(true);
        let mut vault = exclusive(&shared);
        // Rows 0, 2 and 3 are the first three time-based ones; row 1 counts by use.
        for id in [&ids[0], &ids[2], &ids[3]] {
            assert!(vault.code(id, 59).is_ok(), "read ahead: no keychain needed");
        }
        assert_eq!(
            vault.code(&ids[4], 59).unwrap_err().code(),
            "keychain_locked"
        );
        assert!(!vault.cache.contains_key(&ids[1]));
        drop(vault);
        assert_eq!(read_ahead(&shared, 3).unwrap(), 0, "nothing left to read");
    }

    #[test]
    fn a_locked_keychain_is_not_asked_again_and_again() {
        struct Counting(Arc<MemoryStore>, Mutex<usize>);
        impl SecretStore for Counting {
            fn put(&self, id: &str, secret: &crate::otp::SecretKey) -> Result<()> {
                self.0.put(id, secret)
            }
            fn get(&self, id: &str) -> Result<crate::otp::SecretKey> {
                *self.1.lock().unwrap() += 1;
                self.0.get(id)
            }
            fn put_bytes(&self, id: &str, bytes: &[u8]) -> Result<()> {
                self.0.put_bytes(id, bytes)
            }
            fn get_bytes(&self, id: &str) -> Result<zeroize::Zeroizing<Vec<u8>>> {
                self.0.get_bytes(id)
            }
            fn delete(&self, id: &str) -> Result<()> {
                self.0.delete(id)
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let memory = Arc::new(MemoryStore::default());
        let counting = Arc::new(Counting(memory.clone(), Mutex::new(0)));
        let vault = reopened(&dir, Box::new(counting.clone()), &["a", "b", "c", "d"]);
        let shared: SharedVault = Arc::new(Mutex::new(vault));
        memory.set_locked(true);
        assert_eq!(read_ahead(&shared, 12).unwrap(), 0);
        assert_eq!(
            *counting.1.lock().unwrap(),
            1,
            "one try, then the UI's own read"
        );
    }

    /// Removes `victim` from the vault while its secret is being read, as a user deleting
    /// the account at that moment would.
    struct RemovesWhileRead {
        inner: Arc<MemoryStore>,
        vault: OnceLock<Weak<Mutex<Vault>>>,
        victim: OnceLock<String>,
    }

    impl SecretStore for RemovesWhileRead {
        fn put(&self, id: &str, secret: &crate::otp::SecretKey) -> Result<()> {
            self.inner.put(id, secret)
        }
        fn get(&self, id: &str) -> Result<crate::otp::SecretKey> {
            let secret = self.inner.get(id)?;
            if self.victim.get().is_some_and(|victim| victim == id)
                && let Some(vault) = self.vault.get().and_then(Weak::upgrade)
            {
                exclusive(&vault).remove(id)?;
            }
            Ok(secret)
        }
        fn put_bytes(&self, id: &str, bytes: &[u8]) -> Result<()> {
            self.inner.put_bytes(id, bytes)
        }
        fn get_bytes(&self, id: &str) -> Result<zeroize::Zeroizing<Vec<u8>>> {
            self.inner.get_bytes(id)
        }
        fn delete(&self, id: &str) -> Result<()> {
            self.inner.delete(id)
        }
    }

    #[test]
    fn an_account_removed_while_its_secret_is_read_keeps_no_secret() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(RemovesWhileRead {
            inner: Arc::new(MemoryStore::default()),
            vault: OnceLock::new(),
            victim: OnceLock::new(),
        });
        let vault = reopened(&dir, Box::new(store.clone()), &["a", "b", "c"]);
        let ids = ids_of(&vault);
        let shared: SharedVault = Arc::new(Mutex::new(vault));
        store.vault.set(Arc::downgrade(&shared)).unwrap();
        store.victim.set(ids[0].clone()).unwrap();

        assert_eq!(
            read_ahead(&shared, 12).unwrap(),
            1,
            "only the one still there"
        );
        let vault = exclusive(&shared);
        assert!(!vault.cache.contains_key(&ids[0]));
        assert!(vault.cache.contains_key(&ids[2]));
        assert_eq!(ids_of(&vault), [ids[1].clone(), ids[2].clone()]);
    }
}
