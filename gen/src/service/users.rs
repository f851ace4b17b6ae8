//! The service's users: e-mail and an Argon2 password hash. The brake on guessing is the
//! service's (`throttle`), around `check_password`.

use std::path::Path;
use std::sync::Mutex;

use super::passwords::{PasswordChecker, hash_password};
use rusqlite::{Connection, OptionalExtension, params};

use super::error::ServiceError;

pub const MIN_PASSWORD_CHARS: usize = 10;

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS users (
        id            INTEGER PRIMARY KEY,
        email         TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        push_serial   TEXT,
        -- A pairing in progress: the token whose QR code the security page shows.
        pairing_serial TEXT,
        created_at    INTEGER NOT NULL
    );";

pub struct Users {
    db: Mutex<Connection>,
    clock: fn() -> i64,
    /// Checked against when the e-mail is unknown, so that both cases take the same time.
    decoy_hash: String,
    passwords: PasswordChecker,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    /// The push token that logs this user in, once paired.
    pub push_serial: Option<String>,
}

fn now() -> i64 {
    pocket_core::clock::now_unix() as i64
}

impl Users {
    pub fn open(db_path: &Path) -> Result<Users, ServiceError> {
        let db = Connection::open(db_path)?;
        db.execute_batch("PRAGMA journal_mode = WAL;")?;
        db.execute_batch(SCHEMA)?;
        let decoy_hash = hash_password("a password nobody has")?;
        Ok(Users {
            db: Mutex::new(db),
            clock: now,
            decoy_hash,
            passwords: PasswordChecker::default(),
        })
    }

    fn db(&self) -> std::sync::MutexGuard<'_, Connection> {
        super::unpoisoned(&self.db)
    }

    pub fn add(&self, email: &str, password: &str) -> Result<User, ServiceError> {
        let email = normalize_email(email).ok_or(ServiceError::Invalid("email"))?;
        if password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(ServiceError::Invalid("password"));
        }
        let hash = hash_password(password)?;
        let inserted = self.db().execute(
            "INSERT OR IGNORE INTO users (email, password_hash, created_at) VALUES (?1, ?2, ?3)",
            params![email, hash, (self.clock)()],
        )?;
        if inserted == 0 {
            return Err(ServiceError::UserExists);
        }
        self.find(&email)?
            .ok_or_else(|| ServiceError::Internal("a user vanished".into()))
    }

    /// Adds `count` users `{prefix}{n}@example.test` with one password, hashed once: for load
    /// tests, where hashing thousands of passwords would take minutes. Returns their e-mails.
    pub fn add_numbered(
        &self,
        prefix: &str,
        count: usize,
        password: &str,
    ) -> Result<Vec<String>, ServiceError> {
        if password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(ServiceError::Invalid("password"));
        }
        let hash = hash_password(password)?;
        let mut db = self.db();
        let batch = db.transaction()?;
        let mut emails = Vec::with_capacity(count);
        for n in 0..count {
            let email = normalize_email(&format!("{prefix}{n}@example.test"))
                .ok_or(ServiceError::Invalid("email"))?;
            let inserted = batch.execute(
                "INSERT OR IGNORE INTO users (email, password_hash, created_at) VALUES (?1, ?2, ?3)",
                params![email, hash, (self.clock)()],
            )?;
            if inserted == 0 {
                return Err(ServiceError::UserExists);
            }
            emails.push(email);
        }
        batch.commit()?;
        Ok(emails)
    }

    pub fn find(&self, email: &str) -> Result<Option<User>, ServiceError> {
        let Some(email) = normalize_email(email) else {
            return Ok(None);
        };
        self.user_where("email = ?1", &email)
    }

    /// Starts (or restarts) pairing with a new token's serial.
    pub fn begin_pairing(&self, user_id: i64, serial: &str) -> Result<(), ServiceError> {
        self.db().execute(
            "UPDATE users SET pairing_serial = ?2 WHERE id = ?1",
            params![user_id, serial],
        )?;
        Ok(())
    }

    /// The serial being paired, if any.
    pub fn pairing_serial(&self, user_id: i64) -> Result<Option<String>, ServiceError> {
        Ok(self
            .db()
            .query_row(
                "SELECT pairing_serial FROM users WHERE id = ?1",
                params![user_id],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    /// The phone finished the rollout: this token now logs the user in.
    pub fn finish_pairing(&self, user_id: i64, serial: &str) -> Result<(), ServiceError> {
        self.db().execute(
            "UPDATE users SET push_serial = ?2, pairing_serial = NULL WHERE id = ?1 AND pairing_serial = ?2",
            params![user_id, serial],
        )?;
        Ok(())
    }

    /// The same, found by the token: the rollout finishes the pairing it belongs to.
    pub fn finish_pairing_of(&self, serial: &str) -> Result<(), ServiceError> {
        self.db().execute(
            "UPDATE users SET push_serial = ?1, pairing_serial = NULL WHERE pairing_serial = ?1",
            params![serial],
        )?;
        Ok(())
    }

    pub fn by_id(&self, user_id: i64) -> Result<Option<User>, ServiceError> {
        self.user_where("id = ?1", &user_id)
    }

    /// The one user matching `condition` (a fixed SQL condition with one parameter).
    fn user_where(
        &self,
        condition: &str,
        value: &dyn rusqlite::ToSql,
    ) -> Result<Option<User>, ServiceError> {
        let sql = format!("SELECT id, email, push_serial FROM users WHERE {condition}");
        Ok(self
            .db()
            .query_row(&sql, [value], |r| {
                Ok(User {
                    id: r.get(0)?,
                    email: r.get(1)?,
                    push_serial: r.get(2)?,
                })
            })
            .optional()?)
    }

    /// The user, when the password is right. An unknown e-mail takes as long as a wrong
    /// password, so that timing does not tell which addresses have accounts.
    pub fn check_password(
        &self,
        email: &str,
        password: &str,
    ) -> Result<Option<User>, ServiceError> {
        let email = normalize_email(email).unwrap_or_default();
        let stored: Option<String> = self
            .db()
            .query_row(
                "SELECT password_hash FROM users WHERE email = ?1",
                params![email],
                |r| r.get(0),
            )
            .optional()?;
        let hash = stored.as_deref().unwrap_or(&self.decoy_hash);
        let right = self.passwords.matches(hash, password)? && stored.is_some();
        if !right {
            return Ok(None);
        }
        self.find(&email)
    }
}

/// A password for a new user: 16 characters from an alphabet without look-alikes, about 90
/// bits.
pub fn generate_password() -> Result<String, ServiceError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect())
}

/// Lower case and trimmed; one `@` with something on both sides and a dot in the domain.
pub(crate) fn normalize_email(email: &str) -> Option<String> {
    let email = email.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let sane = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.contains(char::is_whitespace)
        && email.len() <= 254
        && !domain.contains('@');
    sane.then_some(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn users() -> (Users, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        (
            Users::open(&dir.path().join("service.sqlite")).unwrap(),
            dir,
        )
    }

    #[test]
    fn passwords_are_hashed_and_checked() {
        let (users, _dir) = users();
        let alice = users
            .add(" Alice@Example.com ", "correct horse battery")
            .unwrap();
        assert_eq!(alice.email, "alice@example.com");
        assert_eq!(
            users
                .check_password("alice@example.com", "correct horse battery")
                .unwrap(),
            Some(alice.clone())
        );
        assert_eq!(
            users
                .check_password("ALICE@example.com", "wrong password!")
                .unwrap(),
            None
        );
        assert_eq!(
            users
                .check_password("nobody@example.com", "correct horse battery")
                .unwrap(),
            None
        );
        let stored: String = users
            .db()
            .query_row("SELECT password_hash FROM users", [], |r| r.get(0))
            .unwrap();
        assert!(stored.starts_with("$argon2id$") && !stored.contains("horse"));
    }

    #[test]
    fn bad_input_is_refused() {
        let (users, _dir) = users();
        for email in [
            "",
            "alice",
            "@example.com",
            "alice@",
            "alice@example",
            "a b@example.com",
            "a@b@example.com",
        ] {
            assert!(
                matches!(
                    users.add(email, "long enough password"),
                    Err(ServiceError::Invalid("email"))
                ),
                "{email}"
            );
        }
        assert!(matches!(
            users.add("bob@example.com", "short"),
            Err(ServiceError::Invalid("password"))
        ));
        users
            .add("bob@example.com", "long enough password")
            .unwrap();
        assert!(matches!(
            users.add("BOB@example.com", "another long password"),
            Err(ServiceError::UserExists)
        ));
    }
}
