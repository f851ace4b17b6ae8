//! Browser sessions: an opaque id in an HttpOnly, SameSite=Strict cookie (Secure over TLS), a
//! CSRF token per session for every form, and where the login stands: password checked and
//! waiting for the phone, or signed in.
//!
//! A session row exists only from the moment a password is right: a visitor who has not
//! logged in has a pre-session cookie instead, whose CSRF token is derived from it with a key
//! the service keeps, so that requests from strangers (and their floods) write nothing. The
//! session id changes when the password is accepted and again at sign-in, so that an id
//! planted in a browser before the login is worth nothing after it; the page that waits for
//! the phone also holds a secret of its own login, which its status requests must show.

use std::path::Path;
use std::sync::Mutex;

use hmac::{Hmac, Mac};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::Sha256;

use super::error::ServiceError;

pub const COOKIE: &str = "pocket_session";
/// The visitor's cookie before any password was right.
pub const PRESESSION_COOKIE: &str = "pocket_visit";
/// Idle sessions end after this long.
const IDLE_SECONDS: i64 = 8 * 60 * 60;
/// Every session ends this long after the password was accepted, however busy it is.
pub const LIFETIME_SECONDS: i64 = 12 * 60 * 60;

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS sessions (
        id              TEXT PRIMARY KEY,
        csrf            TEXT NOT NULL,
        user_id         INTEGER,
        pending_user_id INTEGER,
        transaction_id  TEXT,
        touched_at      INTEGER NOT NULL
    );";

/// Columns added since the first schema, for databases made before them.
const ADDED_COLUMNS: &[(&str, &str)] = &[
    ("login_secret", "TEXT"),
    ("created_at", "INTEGER NOT NULL DEFAULT 0"),
];

/// Where a browser's login stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginState {
    /// The password was right; the login waits for the phone (or a typed code).
    AwaitingSecondFactor {
        user_id: i64,
        transaction_id: Option<String>,
    },
    SignedIn {
        user_id: i64,
    },
}

/// Its `Debug` leaves the id, the CSRF token and the login secret out: each is a credential.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    pub id: String,
    pub csrf: String,
    pub state: LoginState,
    /// While awaiting the second factor: what the waiting page's status requests must show.
    pub login_secret: Option<String>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

pub struct Sessions {
    db: Mutex<Connection>,
    clock: fn() -> i64,
    /// Signs pre-session CSRF tokens; made at start, so a restart expires open forms.
    form_key: [u8; 32],
}

fn now() -> i64 {
    pocket_core::clock::now_unix() as i64
}

impl Sessions {
    pub fn open(db_path: &Path) -> Result<Sessions, ServiceError> {
        let db = Connection::open(db_path)?;
        db.execute_batch("PRAGMA journal_mode = WAL;")?;
        db.execute_batch(SCHEMA)?;
        let columns: Vec<String> = db
            .prepare("SELECT name FROM pragma_table_info('sessions')")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for (name, kind) in ADDED_COLUMNS {
            if !columns.iter().any(|c| c == name) {
                db.execute_batch(&format!("ALTER TABLE sessions ADD COLUMN {name} {kind};"))?;
            }
        }
        Ok(Sessions {
            db: Mutex::new(db),
            clock: now,
            form_key: random()?,
        })
    }

    /// The same sessions with another clock, for tests of their lifetimes.
    pub fn with_clock(mut self, clock: fn() -> i64) -> Sessions {
        self.clock = clock;
        self
    }

    fn db(&self) -> std::sync::MutexGuard<'_, Connection> {
        super::unpoisoned(&self.db)
    }

    /// How many sessions the service keeps (for tests and QA).
    pub fn count(&self) -> Result<i64, ServiceError> {
        Ok(self
            .db()
            .query_row("SELECT COUNT(*) FROM sessions", [], |r| r.get(0))?)
    }

    /// The live session with this id, touched; `None` when unknown, idle too long or past
    /// its lifetime. Reading writes no row.
    pub fn get(&self, id: &str) -> Result<Option<Session>, ServiceError> {
        let now = (self.clock)();
        let db = self.db();
        db.execute(
            "DELETE FROM sessions WHERE touched_at < ?1 OR created_at < ?2",
            params![now - IDLE_SECONDS, now - LIFETIME_SECONDS],
        )?;
        let row = db
            .query_row(
                "SELECT csrf, user_id, pending_user_id, transaction_id, login_secret
                 FROM sessions WHERE id = ?1",
                params![id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<i64>>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<String>>(4)?,
                    ))
                },
            )
            .optional()?;
        let Some((csrf, user, pending, transaction_id, login_secret)) = row else {
            return Ok(None);
        };
        let state = match (user, pending) {
            (Some(user_id), _) => LoginState::SignedIn { user_id },
            (None, Some(user_id)) => LoginState::AwaitingSecondFactor {
                user_id,
                transaction_id,
            },
            (None, None) => return Ok(None),
        };
        db.execute(
            "UPDATE sessions SET touched_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        Ok(Some(Session {
            id: id.to_string(),
            csrf,
            state,
            login_secret,
        }))
    }

    /// A new session, for a browser whose password was just right.
    pub fn start(&self, state: LoginState) -> Result<Session, ServiceError> {
        let session = Session {
            id: token()?,
            csrf: token()?,
            login_secret: awaiting(&state).then(token).transpose()?,
            state,
        };
        let (user, pending, transaction) = columns(&session.state);
        let now = (self.clock)();
        self.db().execute(
            "INSERT INTO sessions (id, csrf, user_id, pending_user_id, transaction_id, login_secret, touched_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![session.id, session.csrf, user, pending, transaction, session.login_secret, now],
        )?;
        Ok(session)
    }

    /// Moves a session along the login, under a new id and CSRF token (and a new login
    /// secret while it waits for the phone): whatever a browser held before is worth nothing.
    pub fn set_state(&self, session: &Session, state: LoginState) -> Result<Session, ServiceError> {
        let next = Session {
            id: token()?,
            csrf: token()?,
            login_secret: awaiting(&state).then(token).transpose()?,
            state,
        };
        let (user, pending, transaction) = columns(&next.state);
        self.db().execute(
            "UPDATE sessions SET id = ?2, csrf = ?3, user_id = ?4, pending_user_id = ?5, transaction_id = ?6,
               login_secret = ?7, touched_at = ?8
             WHERE id = ?1",
            params![session.id, next.id, next.csrf, user, pending, transaction, next.login_secret, (self.clock)()],
        )?;
        Ok(next)
    }

    pub fn end(&self, session: &Session) -> Result<(), ServiceError> {
        self.db()
            .execute("DELETE FROM sessions WHERE id = ?1", params![session.id])?;
        Ok(())
    }

    /// The CSRF token of a visitor's form, derived from its pre-session cookie.
    pub fn visitor_csrf(&self, presession: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.form_key)
            .expect("HMAC takes a key of any length");
        mac.update(presession.as_bytes());
        data_encoding::BASE64URL_NOPAD.encode(&mac.finalize().into_bytes())
    }

    /// Whether `token` is the CSRF token of the visitor with this pre-session cookie.
    pub fn visitor_csrf_ok(&self, presession: &str, token: &str) -> bool {
        constant_time_eq(self.visitor_csrf(presession).as_bytes(), token.as_bytes())
    }

    /// Whether a form's token is this session's. Compared in constant time.
    pub fn csrf_ok(session: &Session, token: &str) -> bool {
        constant_time_eq(session.csrf.as_bytes(), token.as_bytes())
    }

    /// Whether `secret` is this waiting login's own: only the browser that submitted the
    /// password was shown it.
    pub fn login_secret_ok(session: &Session, secret: &str) -> bool {
        session
            .login_secret
            .as_deref()
            .is_some_and(|own| constant_time_eq(own.as_bytes(), secret.as_bytes()))
    }
}

fn awaiting(state: &LoginState) -> bool {
    matches!(state, LoginState::AwaitingSecondFactor { .. })
}

fn columns(state: &LoginState) -> (Option<i64>, Option<i64>, Option<String>) {
    match state {
        LoginState::AwaitingSecondFactor {
            user_id,
            transaction_id,
        } => (None, Some(*user_id), transaction_id.clone()),
        LoginState::SignedIn { user_id } => (Some(*user_id), None, None),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `Set-Cookie` value for a session. `secure` where the service runs behind TLS.
pub fn cookie(session: &Session, secure: bool) -> String {
    cookie_line(COOKIE, &session.id, LIFETIME_SECONDS, secure)
}

/// The `Set-Cookie` value for a visitor's pre-session.
pub fn presession_cookie(value: &str, secure: bool) -> String {
    cookie_line(PRESESSION_COOKIE, value, LIFETIME_SECONDS, secure)
}

fn cookie_line(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

/// 32 random bytes, URL-safe: session ids, CSRF tokens, login secrets, pre-sessions.
pub fn token() -> Result<String, ServiceError> {
    Ok(data_encoding::BASE64URL_NOPAD.encode(&random::<32>()?))
}

fn random<const N: usize>() -> Result<[u8; N], ServiceError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sessions() -> (Sessions, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        (
            Sessions::open(&dir.path().join("service.sqlite")).unwrap(),
            dir,
        )
    }

    #[test]
    fn every_step_of_a_login_issues_a_new_id() {
        let (sessions, _dir) = sessions();
        let waiting = sessions
            .start(LoginState::AwaitingSecondFactor {
                user_id: 7,
                transaction_id: Some("tx".into()),
            })
            .unwrap();
        assert!(waiting.login_secret.is_some());
        assert_eq!(sessions.get(&waiting.id).unwrap(), Some(waiting.clone()));
        let signed_in = sessions
            .set_state(&waiting, LoginState::SignedIn { user_id: 7 })
            .unwrap();
        assert_ne!(
            signed_in.id, waiting.id,
            "a known id is useless after login"
        );
        assert_ne!(signed_in.csrf, waiting.csrf);
        assert_eq!(signed_in.login_secret, None);
        assert_eq!(sessions.get(&waiting.id).unwrap(), None);
        assert_eq!(
            sessions.get(&signed_in.id).unwrap().unwrap().state,
            LoginState::SignedIn { user_id: 7 }
        );
        sessions.end(&signed_in).unwrap();
        assert_eq!(sessions.get(&signed_in.id).unwrap(), None);
        assert_eq!(sessions.count().unwrap(), 0);
    }

    #[test]
    fn a_busy_session_still_ends_after_its_lifetime() {
        static NOW: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(1_000_000);
        let clock = || NOW.load(std::sync::atomic::Ordering::SeqCst);
        let dir = tempfile::tempdir().unwrap();
        let sessions = Sessions::open(&dir.path().join("s.sqlite"))
            .unwrap()
            .with_clock(clock);
        let session = sessions.start(LoginState::SignedIn { user_id: 1 }).unwrap();
        // Used every hour: never idle, yet over after twelve hours.
        for _ in 0..LIFETIME_SECONDS / 3600 - 1 {
            NOW.fetch_add(3600, std::sync::atomic::Ordering::SeqCst);
            assert!(sessions.get(&session.id).unwrap().is_some());
        }
        NOW.fetch_add(3601, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(sessions.get(&session.id).unwrap(), None);
    }

    #[test]
    fn visitor_forms_are_signed_and_secrets_are_never_printed() {
        let (sessions, _dir) = sessions();
        let visit = token().unwrap();
        let csrf = sessions.visitor_csrf(&visit);
        assert!(sessions.visitor_csrf_ok(&visit, &csrf));
        assert!(!sessions.visitor_csrf_ok(&token().unwrap(), &csrf));
        assert!(!sessions.visitor_csrf_ok(&visit, ""));
        let session = sessions
            .start(LoginState::AwaitingSecondFactor {
                user_id: 1,
                transaction_id: None,
            })
            .unwrap();
        let shown = format!("{session:?}");
        for secret in [
            &session.id,
            &session.csrf,
            session.login_secret.as_ref().unwrap(),
        ] {
            assert!(!shown.contains(secret.as_str()), "{shown}");
        }
        let plain = cookie(&session, false);
        assert!(
            plain.contains("HttpOnly")
                && plain.contains("SameSite=Strict")
                && !plain.contains("Secure")
        );
        assert!(cookie(&session, true).ends_with("; Secure"));
    }
}
