//! Secrets as owner-only files in a folder: for headless tools (pocket-gen's simulated phone)
//! that run where no keychain is, never for the app.

use std::io::Write;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::secret_store::SecretStore;
use crate::error::{Error, Result};
use crate::otp::SecretKey;

pub struct FileStore {
    dir: PathBuf,
}

impl FileStore {
    pub fn open(dir: &Path) -> Result<FileStore> {
        std::fs::create_dir_all(dir).map_err(|e| Error::KeychainUnavailable(e.to_string()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| Error::KeychainUnavailable(e.to_string()))?;
        }
        Ok(FileStore {
            dir: dir.to_path_buf(),
        })
    }

    /// Ids are ours (UUIDs with a prefix), but a path is built from them: keep it a file name.
    fn path(&self, id: &str) -> PathBuf {
        let name: String = id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        self.dir.join(name)
    }
}

impl SecretStore for FileStore {
    fn put(&self, id: &str, secret: &SecretKey) -> Result<()> {
        self.put_bytes(id, secret.as_bytes())
    }

    fn get(&self, id: &str) -> Result<SecretKey> {
        SecretKey::from_bytes(self.get_bytes(id)?.to_vec())
    }

    fn put_bytes(&self, id: &str, bytes: &[u8]) -> Result<()> {
        let path = self.path(id);
        let partial = path.with_extension("partial");
        let unavailable = |e: std::io::Error| Error::KeychainUnavailable(e.to_string());
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&partial).map_err(unavailable)?;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(unavailable)?;
        // Rename last, so a reader never sees half a key.
        std::fs::rename(&partial, &path).map_err(unavailable)
    }

    fn get_bytes(&self, id: &str) -> Result<Zeroizing<Vec<u8>>> {
        match std::fs::read(self.path(id)) {
            Ok(bytes) => Ok(Zeroizing::new(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(Error::SecretMissing(id.to_string()))
            }
            Err(e) => Err(Error::KeychainUnavailable(e.to_string())),
        }
    }

    fn delete(&self, id: &str) -> Result<()> {
        match std::fs::remove_file(self.path(id)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(Error::KeychainUnavailable(e.to_string()))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_owner_only_files_and_forgets_them() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::open(&dir.path().join("keys")).unwrap();
        store
            .put_bytes("push-key:../../etc/passwd", b"secret")
            .unwrap();
        let names: Vec<_> = std::fs::read_dir(dir.path().join("keys"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
        assert!(!names[0].to_string_lossy().contains('/'));
        assert_eq!(
            &*store.get_bytes("push-key:../../etc/passwd").unwrap(),
            b"secret"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("keys").join(&names[0]))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        store.delete("push-key:../../etc/passwd").unwrap();
        store.delete("push-key:../../etc/passwd").unwrap();
        assert_eq!(
            store
                .get_bytes("push-key:../../etc/passwd")
                .unwrap_err()
                .code(),
            "secret_missing"
        );
    }
}
