//! The push server's state and rules: tokens and their rollout, challenges signed with the
//! server's key, polls within a minute of the server's clock, answers verified and taken once
//! within the answer window.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use pocket_core::otp::{AccountDraft, OtpParams, SecretKey, format_uri};
use pocket_core::push::{SigningKey, VerifyingKey};
use rusqlite::{Connection, OptionalExtension, params};
use url::Url;

mod challenges;
mod codes;
mod registration;
mod requests;
mod wakeups;

pub use requests::{COOL_DOWN_SECONDS, MAX_OPEN_REQUESTS, REJECTIONS_BEFORE_COOL_DOWN};
pub use wakeups::WakeUpSent;
use wakeups::WakeUps;

use super::error::ServiceError;

pub const PUSH_PATH: &str = "/ttype/push";
/// How long a phone has to finish the rollout after the QR code is shown, unless `serve
/// --enrollment-ttl` says otherwise (QA sees the expiry without waiting two minutes).
pub const ENROLLMENT_TTL_SECONDS: i64 = 120;
/// Seconds a login request can be answered.
pub const ANSWER_WINDOW_SECONDS: i64 = 120;
/// How far a poll's timestamp may be from the server's clock.
pub const POLL_CLOCK_SKEW_SECONDS: i64 = 60;
/// The longest a poll may be held open waiting for a request: below the 30 s at which common
/// proxies cut idle requests.
pub const LONG_POLL_MAX_SECONDS: u64 = 25;
/// Our own server key; the phones' keys are 4096 bits.
const SERVER_KEY_BITS: usize = 2048;

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS server_key (id INTEGER PRIMARY KEY CHECK (id = 1), pkcs8 BLOB NOT NULL);
    CREATE TABLE IF NOT EXISTS push_tokens (
        serial      TEXT PRIMARY KEY,
        label       TEXT NOT NULL,
        credential  TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('clientwait', 'enrolled')),
        phone_key   TEXT,
        issued_at   INTEGER NOT NULL,
        -- The code to type when no request arrives: delivered with the rollout.
        totp_secret TEXT NOT NULL,
        last_code_step INTEGER NOT NULL DEFAULT -1
    );
    CREATE TABLE IF NOT EXISTS challenges (
        transaction_id   TEXT PRIMARY KEY,
        serial           TEXT NOT NULL,
        nonce            TEXT NOT NULL UNIQUE,
        title            TEXT NOT NULL,
        question         TEXT NOT NULL,
        presence_options TEXT,
        presence_answer  TEXT,
        created_at       INTEGER NOT NULL,
        answered_at      INTEGER,
        accepted         INTEGER
    );";

/// Later additions, applied once to databases made before them (`PRAGMA user_version`).
const MIGRATIONS: &[&str] = &[
    // Instant delivery: a held poll returns early only for requests the phone has not seen.
    // Push fatigue: rejections in a row, cleared by an accept.
    "ALTER TABLE challenges ADD COLUMN delivered INTEGER NOT NULL DEFAULT 0;
     CREATE TABLE rejection_streaks (serial TEXT PRIMARY KEY, count INTEGER NOT NULL, last_at INTEGER NOT NULL);",
    // Push fatigue: a request left to expire counts like a rejection, once.
    "ALTER TABLE challenges ADD COLUMN ignored INTEGER NOT NULL DEFAULT 0;",
    // Wake-ups: the phone's registration (`fbtoken`, then its signed updates).
    "ALTER TABLE push_tokens ADD COLUMN registration TEXT;",
];

fn migrate(db: &Connection) -> Result<(), ServiceError> {
    let done: i64 = db.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (index, step) in MIGRATIONS.iter().enumerate().skip(done.max(0) as usize) {
        db.execute_batch(&format!(
            "BEGIN; {step} PRAGMA user_version = {}; COMMIT;",
            index + 1
        ))?;
    }
    Ok(())
}

pub struct PushServer {
    db: Mutex<Connection>,
    key: SigningKey,
    url: Url,
    issuer: String,
    clock: fn() -> i64,
    /// Phones holding a long poll open, by serial: woken when a request for them arrives.
    waiters: Mutex<HashMap<String, Arc<tokio::sync::Notify>>>,
    /// Whether polls may wait for requests (`LONG_POLL_MAX_SECONDS`) and say so.
    pub(crate) long_poll: bool,
    /// Seconds within which a QR code must be used.
    pub(crate) enrollment_ttl: i64,
    /// Where requests also go to wake the phone; none: phones are only polled.
    wake_ups: Option<Arc<WakeUps>>,
}

/// A login request the relying page waits on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Triggered {
    pub transaction_id: String,
    /// Under number matching: the number the login page shows the user.
    pub presence_answer: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pairing {
    Waiting,
    Paired,
    Expired,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransactionStatus {
    Waiting,
    Accepted,
    Rejected,
    Expired,
}

fn now() -> i64 {
    pocket_core::clock::now_unix() as i64
}

impl PushServer {
    /// Opens (or creates) the service database; the server key is made once and kept there.
    pub fn open(db_path: &Path, url: Url, issuer: &str) -> Result<PushServer, ServiceError> {
        let db = Connection::open(db_path)?;
        db.execute_batch("PRAGMA journal_mode = WAL;")?;
        db.execute_batch(SCHEMA)?;
        migrate(&db)?;
        let stored: Option<Vec<u8>> = db
            .query_row("SELECT pkcs8 FROM server_key", [], |r| r.get(0))
            .optional()?;
        let key = match stored {
            Some(der) => SigningKey::from_pkcs8(&der)?,
            None => {
                let key = SigningKey::generate(SERVER_KEY_BITS)?;
                db.execute(
                    "INSERT INTO server_key (id, pkcs8) VALUES (1, ?1)",
                    params![key.to_pkcs8()?.as_slice()],
                )?;
                key
            }
        };
        Ok(PushServer {
            db: Mutex::new(db),
            key,
            url,
            issuer: issuer.to_string(),
            clock: now,
            waiters: Mutex::default(),
            long_poll: true,
            enrollment_ttl: ENROLLMENT_TTL_SECONDS,
            wake_ups: None,
        })
    }

    /// Requests also wake phones that gave a Web Push registration.
    pub fn with_wake_ups(mut self) -> Result<PushServer, ServiceError> {
        self.wake_ups = Some(Arc::new(WakeUps::new()?));
        Ok(self)
    }

    pub fn with_enrollment_ttl(mut self, seconds: i64) -> PushServer {
        self.enrollment_ttl = seconds.max(1);
        self
    }

    /// Polls answer at once, as privacyIDEA's do (for comparisons and tests).
    pub fn without_long_poll(mut self) -> PushServer {
        self.long_poll = false;
        self
    }

    /// The same server with another clock, for tests of time limits.
    pub fn with_clock(mut self, clock: fn() -> i64) -> PushServer {
        self.clock = clock;
        self
    }

    fn db(&self) -> std::sync::MutexGuard<'_, Connection> {
        crate::service::unpoisoned(&self.db)
    }

    /// A new token waiting for its phone; returns the serial and the QR code's text.
    pub fn enroll(&self, label: &str) -> Result<(String, String), ServiceError> {
        let serial = format!("PKT{}", hex(&random::<6>()?).to_uppercase());
        let credential = hex(&random::<20>()?);
        let totp_secret = SecretKey::from_bytes(random::<20>()?.to_vec())?
            .to_base32()
            .to_string();
        self.db().execute(
            "INSERT INTO push_tokens (serial, label, credential, state, issued_at, totp_secret)
             VALUES (?1, ?2, ?3, 'clientwait', ?4, ?5)",
            params![serial, label, credential, (self.clock)(), totp_secret],
        )?;
        let mut uri =
            Url::parse("otpauth://pipush/").map_err(|e| ServiceError::Internal(e.to_string()))?;
        uri.set_path(label);
        uri.query_pairs_mut()
            .append_pair("url", self.url.as_str())
            // The protocol counts in whole minutes.
            .append_pair("ttl", &((self.enrollment_ttl + 59) / 60).to_string())
            .append_pair("issuer", &self.issuer)
            .append_pair("enrollment_credential", &credential)
            .append_pair("v", "1")
            .append_pair("serial", &serial)
            .append_pair("sslverify", "1")
            .append_pair("poll_only", "True");
        Ok((serial, uri.to_string()))
    }

    /// The rollout: a matching credential, within the TTL, once. Returns the server's key and
    /// the link of the code account that comes with the push login.
    pub fn rollout(
        &self,
        serial: &str,
        credential: &str,
        phone_key: &str,
        registration: Option<&str>,
    ) -> Result<(String, String), ServiceError> {
        VerifyingKey::from_spki_base64(phone_key).map_err(|_| ServiceError::BadRollout)?;
        let registration = registration.map(registration::checked).transpose()?;
        let deadline = (self.clock)() - self.enrollment_ttl;
        let db = self.db();
        let stored: Option<(String, String, String)> = db
            .query_row(
                "SELECT credential, label, totp_secret FROM push_tokens
                 WHERE serial = ?1 AND state = 'clientwait' AND issued_at >= ?2",
                params![serial, deadline],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let (label, totp_secret) = match stored {
            Some((expected, label, secret))
                if constant_time_eq(expected.as_bytes(), credential.as_bytes()) =>
            {
                (label, secret)
            }
            _ => return Err(ServiceError::BadRollout),
        };
        db.execute(
            "UPDATE push_tokens SET state = 'enrolled', phone_key = ?2, registration = ?3
             WHERE serial = ?1 AND state = 'clientwait'",
            params![serial, phone_key, registration],
        )?;
        let draft = AccountDraft::new(
            &self.issuer,
            &label,
            SecretKey::from_base32(&totp_secret)?,
            OtpParams::default_totp(),
        )?;
        Ok((self.key.verifying_key().to_base64()?, format_uri(&draft)))
    }

    pub fn enrollment_ttl(&self) -> i64 {
        self.enrollment_ttl
    }

    /// Where the pairing of `serial` stands: waiting for the phone, done, or too late.
    pub fn pairing(&self, serial: &str) -> Result<Pairing, ServiceError> {
        let row: Option<(String, i64)> = self
            .db()
            .query_row(
                "SELECT state, issued_at FROM push_tokens WHERE serial = ?1",
                params![serial],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let deadline = (self.clock)() - self.enrollment_ttl;
        Ok(match row {
            Some((state, _)) if state == "enrolled" => Pairing::Paired,
            Some((_, issued_at)) if issued_at >= deadline => Pairing::Waiting,
            _ => Pairing::Expired,
        })
    }

    pub fn is_enrolled(&self, serial: &str) -> Result<bool, ServiceError> {
        Ok(self.phone_key(serial)?.is_some())
    }

    pub(super) fn phone_key(&self, serial: &str) -> Result<Option<VerifyingKey>, ServiceError> {
        let stored: Option<Option<String>> = self
            .db()
            .query_row(
                "SELECT phone_key FROM push_tokens WHERE serial = ?1 AND state = 'enrolled'",
                params![serial],
                |r| r.get(0),
            )
            .optional()?;
        match stored.flatten() {
            Some(text) => Ok(Some(VerifyingKey::from_spki_base64(&text)?)),
            None => Ok(None),
        }
    }
}

/// An answer's form fields.
#[derive(Debug, Default, serde::Deserialize)]
pub struct AnswerForm {
    pub serial: String,
    pub nonce: String,
    pub signature: String,
    pub decline: Option<String>,
    pub decline_reason: Option<String>,
    pub presence_answer: Option<String>,
}

fn random<const N: usize>() -> Result<[u8; N], ServiceError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pairing_code_expires_after_its_ttl() {
        let dir = tempfile::tempdir().unwrap();
        let url = Url::parse("http://127.0.0.1:1/ttype/push").unwrap();
        let server = PushServer::open(&dir.path().join("s.sqlite"), url, "T").unwrap();
        let (serial, _) = server.enroll("x").unwrap();
        assert_eq!(server.pairing(&serial).unwrap(), Pairing::Waiting);
        let later = server.with_clock(|| now() + ENROLLMENT_TTL_SECONDS + 1);
        assert_eq!(later.pairing(&serial).unwrap(), Pairing::Expired);
        assert_eq!(later.pairing("PKTNOPE").unwrap(), Pairing::Expired);
    }
}
