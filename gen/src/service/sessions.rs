//! Browser sessions: an opaque id in an HttpOnly, SameSite=Strict cookie (Secure over TLS), a
//! CSRF token per session for every form, and where the login stands: signed out, password
//! checked and waiting for the phone, or signed in.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, params};

use super::error::ServiceError;

pub const COOKIE: &str = "pocket_session";
/// Idle sessions end after this long; a login waiting for the phone, after the answer window.
const SESSION_SECONDS: i64 = 8 * 60 * 60;

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS sessions (
        id              TEXT PRIMARY KEY,
        csrf            TEXT NOT NULL,
        user_id         INTEGER,
        pending_user_id INTEGER,
        transaction_id  TEXT,
        touched_at      INTEGER NOT NULL
    );";

/// Where a browser's login stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginState {
    SignedOut,
    /// The password was right; the login waits for the phone (or a typed code).
    AwaitingSecondFactor {
        user_id: i64,
        transaction_id: Option<String>,
    },
    SignedIn {
        user_id: i64,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: String,
    pub csrf: String,
    pub state: LoginState,
}

pub struct Sessions {
    db: Mutex<Connection>,
    clock: fn() -> i64,
}

fn now() -> i64 {
    pocket_core::clock::now_unix() as i64
}

impl Sessions {
    pub fn open(db_path: &Path) -> Result<Sessions, ServiceError> {
        let db = Connection::open(db_path)?;
        db.execute_batch("PRAGMA journal_mode = WAL;")?;
        db.execute_batch(SCHEMA)?;
        Ok(Sessions {
            db: Mutex::new(db),
            clock: now,
        })
    }

    fn db(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.db
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn start(&self) -> Result<Session, ServiceError> {
        let session = Session {
            id: token()?,
            csrf: token()?,
            state: LoginState::SignedOut,
        };
        self.db().execute(
            "INSERT INTO sessions (id, csrf, touched_at) VALUES (?1, ?2, ?3)",
            params![session.id, session.csrf, (self.clock)()],
        )?;
        Ok(session)
    }

    /// The live session with this id, touched; `None` when unknown or expired.
    pub fn get(&self, id: &str) -> Result<Option<Session>, ServiceError> {
        let now = (self.clock)();
        let db = self.db();
        db.execute(
            "DELETE FROM sessions WHERE touched_at < ?1",
            params![now - SESSION_SECONDS],
        )?;
        let row = db
            .query_row(
                "SELECT csrf, user_id, pending_user_id, transaction_id FROM sessions WHERE id = ?1",
                params![id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<i64>>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                    ))
                },
            )
            .optional()?;
        let Some((csrf, user, pending, transaction_id)) = row else {
            return Ok(None);
        };
        db.execute(
            "UPDATE sessions SET touched_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        let state = match (user, pending) {
            (Some(user_id), _) => LoginState::SignedIn { user_id },
            (None, Some(user_id)) => LoginState::AwaitingSecondFactor {
                user_id,
                transaction_id,
            },
            (None, None) => LoginState::SignedOut,
        };
        Ok(Some(Session {
            id: id.to_string(),
            csrf,
            state,
        }))
    }

    /// Whether a form's token is this session's. Compared in constant time.
    pub fn csrf_ok(session: &Session, token: &str) -> bool {
        let (a, b) = (session.csrf.as_bytes(), token.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    /// Moves a session along the login. Signing in issues a new id and CSRF token, so that an
    /// id planted before the login (session fixation) is worth nothing after it.
    pub fn set_state(&self, session: &Session, state: LoginState) -> Result<Session, ServiceError> {
        let (user, pending, transaction) = match &state {
            LoginState::SignedOut => (None, None, None),
            LoginState::AwaitingSecondFactor {
                user_id,
                transaction_id,
            } => (None, Some(*user_id), transaction_id.clone()),
            LoginState::SignedIn { user_id } => (Some(*user_id), None, None),
        };
        let (id, csrf) = if matches!(state, LoginState::SignedIn { .. }) {
            (token()?, token()?)
        } else {
            (session.id.clone(), session.csrf.clone())
        };
        self.db().execute(
            "UPDATE sessions SET id = ?2, csrf = ?3, user_id = ?4, pending_user_id = ?5, transaction_id = ?6, touched_at = ?7
             WHERE id = ?1",
            params![session.id, id, csrf, user, pending, transaction, (self.clock)()],
        )?;
        Ok(Session { id, csrf, state })
    }

    pub fn end(&self, session: &Session) -> Result<(), ServiceError> {
        self.db()
            .execute("DELETE FROM sessions WHERE id = ?1", params![session.id])?;
        Ok(())
    }
}

/// The `Set-Cookie` value for a session. `secure` where the service runs behind TLS.
pub fn cookie(session: &Session, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={SESSION_SECONDS}{secure}",
        session.id
    )
}

/// 32 random bytes, URL-safe: session ids and CSRF tokens.
fn token() -> Result<String, ServiceError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(data_encoding::BASE64URL_NOPAD.encode(&bytes))
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
    fn a_login_moves_from_signed_out_to_signed_in_with_a_new_id() {
        let (sessions, _dir) = sessions();
        let fresh = sessions.start().unwrap();
        assert_eq!(sessions.get(&fresh.id).unwrap(), Some(fresh.clone()));
        let waiting = sessions
            .set_state(
                &fresh,
                LoginState::AwaitingSecondFactor {
                    user_id: 7,
                    transaction_id: Some("tx".into()),
                },
            )
            .unwrap();
        assert_eq!(waiting.id, fresh.id);
        assert_eq!(
            sessions.get(&fresh.id).unwrap().unwrap().state,
            waiting.state
        );
        let signed_in = sessions
            .set_state(&waiting, LoginState::SignedIn { user_id: 7 })
            .unwrap();
        assert_ne!(
            signed_in.id, fresh.id,
            "a fixed session id is useless after login"
        );
        assert_ne!(signed_in.csrf, fresh.csrf);
        assert_eq!(sessions.get(&fresh.id).unwrap(), None);
        assert_eq!(
            sessions.get(&signed_in.id).unwrap().unwrap().state,
            LoginState::SignedIn { user_id: 7 }
        );
        sessions.end(&signed_in).unwrap();
        assert_eq!(sessions.get(&signed_in.id).unwrap(), None);
    }

    #[test]
    fn csrf_tokens_must_match_and_cookies_are_strict() {
        let (sessions, _dir) = sessions();
        let session = sessions.start().unwrap();
        assert!(Sessions::csrf_ok(&session, &session.csrf.clone()));
        assert!(!Sessions::csrf_ok(&session, ""));
        assert!(!Sessions::csrf_ok(
            &session,
            &sessions.start().unwrap().csrf
        ));
        let plain = cookie(&session, false);
        assert!(
            plain.contains("HttpOnly")
                && plain.contains("SameSite=Strict")
                && !plain.contains("Secure")
        );
        assert!(cookie(&session, true).ends_with("; Secure"));
    }
}
