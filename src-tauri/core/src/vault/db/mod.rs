//! The metadata database: SQLite with a versioned schema. Never holds a secret. Every SQL
//! statement of the vault is in this module: the schema here, the accounts', the push
//! tokens' and the containers' statements beside it.

mod accounts;
mod clocks;
mod containers;
mod icons;
mod push;
mod settings;

use std::path::Path;

use rusqlite::Connection;

use crate::error::{Error, Result};

/// Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    "CREATE TABLE accounts (
        id          TEXT PRIMARY KEY,
        issuer      TEXT NOT NULL,
        name        TEXT NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('totp', 'hotp', 'steam')),
        algorithm   TEXT NOT NULL,
        digits      INTEGER NOT NULL,
        period      INTEGER,
        counter     INTEGER,
        position    INTEGER NOT NULL,
        -- 'pending' until the secret is in the keychain, 'deleting' once removal began:
        -- start-up finishes or undoes whatever a crash interrupted.
        state       TEXT NOT NULL CHECK (state IN ('pending', 'active', 'deleting')),
        created_at  INTEGER NOT NULL
    );",
    // Push tokens: the server's key here, the phone's private key in the keychain.
    "CREATE TABLE push_tokens (
        id          TEXT PRIMARY KEY,
        serial      TEXT NOT NULL,
        label       TEXT NOT NULL,
        issuer      TEXT NOT NULL,
        url         TEXT NOT NULL,
        verify_tls  INTEGER NOT NULL,
        server_key  TEXT,
        state       TEXT NOT NULL CHECK (state IN ('pending', 'active', 'deleting')),
        created_at  INTEGER NOT NULL
    );
    CREATE TABLE push_requests (
        token_id          TEXT NOT NULL,
        nonce             TEXT NOT NULL,
        serial            TEXT NOT NULL,
        issuer            TEXT NOT NULL,
        title             TEXT NOT NULL,
        question          TEXT NOT NULL,
        presence_options  TEXT NOT NULL,
        takes_decline_reason INTEGER NOT NULL,
        received_at       INTEGER NOT NULL,
        expires_at        INTEGER NOT NULL,
        outcome           TEXT NOT NULL,
        detail            TEXT NOT NULL DEFAULT '',
        answered_at       INTEGER,
        PRIMARY KEY (token_id, nonce)
    );",
    // Settings: one text value per key.
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    // privacyIDEA smartphone containers (the phone's key in the keychain) and which of the
    // accounts and push tokens each manages, by the server's serial.
    "CREATE TABLE containers (
        id            TEXT PRIMARY KEY,
        serial        TEXT NOT NULL,
        issuer        TEXT NOT NULL,
        server        TEXT NOT NULL,
        verify_tls    INTEGER NOT NULL,
        -- 'pending' until the server took the registration; 'moved' once another phone
        -- took it over.
        state         TEXT NOT NULL CHECK (state IN ('pending', 'registered', 'moved', 'unregistered')),
        policies      TEXT NOT NULL DEFAULT '{}',
        last_sync_at  INTEGER,
        last_error    TEXT NOT NULL DEFAULT '',
        created_at    INTEGER NOT NULL
    );
    CREATE TABLE container_tokens (
        container_id   TEXT NOT NULL REFERENCES containers (id) ON DELETE CASCADE,
        serial         TEXT NOT NULL,
        tokentype      TEXT NOT NULL,
        account_id     TEXT,
        push_token_id  TEXT,
        PRIMARY KEY (container_id, serial)
    );
    -- A token removed by any path leaves its container with it.
    CREATE TRIGGER account_leaves_container AFTER DELETE ON accounts BEGIN
        DELETE FROM container_tokens WHERE account_id = OLD.id;
    END;
    CREATE TRIGGER push_token_leaves_container AFTER DELETE ON push_tokens BEGIN
        DELETE FROM container_tokens WHERE push_token_id = OLD.id;
    END;",
    // The user's own accounts that joined a container when its server recognised their
    // codes: when the server lets go of one, it stays, as the phone's own.
    "ALTER TABLE container_tokens ADD COLUMN joined INTEGER NOT NULL DEFAULT 0;",
    // The app lock and the clock: what a push server asks before its requests are answered
    // (privacyIDEA's app_force_unlock), and the newest clock measurement from each server,
    // kept so that codes can follow the measured time offline too.
    "ALTER TABLE push_tokens ADD COLUMN unlock_demand TEXT NOT NULL DEFAULT '';
    CREATE TABLE server_clocks (
        source          TEXT PRIMARY KEY,
        offset_ms       INTEGER NOT NULL,
        uncertainty_ms  INTEGER NOT NULL,
        measured_at     INTEGER NOT NULL
    );",
    // Pictures imported with accounts (an Aegis image, a 2FAS label), gone with the account.
    "CREATE TABLE account_icons (
        account_id  TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
        format      TEXT NOT NULL CHECK (format IN ('png', 'jpeg', 'svg', 'label')),
        -- The image's bytes, or the label's letters.
        data        BLOB NOT NULL,
        colour      TEXT
    );",
    // What a container's first sync may send so that its server recognises accounts the
    // phone held before: the accounts the user chose when registering (their ids, JSON), and
    // when that went, so it goes once whatever the server answered.
    "ALTER TABLE containers ADD COLUMN offer TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE containers ADD COLUMN offered_at INTEGER;",
];

pub struct Db {
    conn: Connection,
}

/// The folder readable by its owner only, and the database with its `-wal` and `-shm` files
/// likewise: other users of the machine must not read the account list or the request
/// history. SQLite gives the `-wal` and `-shm` files the database file's mode.
fn make_private(path: &Path) -> Result<()> {
    let storage = |e: std::io::Error| Error::Storage(format!("{}: {e}", path.display()));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(storage)?;
        #[cfg(unix)]
        set_mode(dir, 0o700).map_err(storage)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(storage)?;
    #[cfg(unix)]
    for suffix in ["", "-wal", "-shm"] {
        let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        match set_mode(&file, 0o600) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            other => other.map_err(storage)?,
        }
    }
    Ok(())
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

impl Db {
    pub fn open(path: &Path) -> Result<Db> {
        make_private(path)?;
        let conn = Connection::open(path)?;
        // FULL: a write the user saw succeed survives a power cut, not only a crash.
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
        )?;
        let mut db = Db { conn };
        db.migrate()?;
        Ok(db)
    }

    /// The database as it is, for reading only: nothing is migrated or written (a phone's
    /// background service reads it while the app may be writing). One written by another
    /// version of Pocket is refused.
    pub fn open_read_only(path: &Path) -> Result<Db> {
        let conn = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let known = MIGRATIONS.len() as i64;
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found != known {
            return Err(Error::DatabaseTooNew { found, known });
        }
        Ok(Db { conn })
    }

    fn migrate(&mut self) -> Result<()> {
        let known = MIGRATIONS.len() as i64;
        let found: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > known {
            return Err(Error::DatabaseTooNew { found, known });
        }
        let tx = self.conn.transaction()?;
        for (index, migration) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            tx.execute_batch(migration)?;
            tx.pragma_update(None, "user_version", index as i64 + 1)?;
        }
        tx.commit()?;
        Ok(())
    }
}
