//! Brakes on guessing passwords and codes. Every attempt is counted against several keys at
//! once (the account, the account from this client, the client, everyone), and checked and
//! counted in one step under one lock, so that parallel requests cannot slip past the check
//! before the first failure is written. Past a few free failures each key asks for a delay
//! that doubles with every further failure, up to a cap: a guesser is slowed to a crawl, while
//! no stranger can lock the real user out for longer than the account-wide cap.

use std::net::IpAddr;
use std::sync::Mutex;

use rusqlite::{Connection, params};

use super::error::ServiceError;

/// Failures older than this are forgotten.
pub const WINDOW_SECONDS: i64 = 15 * 60;

/// One brake: failures allowed freely, and the longest delay it asks for.
#[derive(Debug, Clone, Copy)]
struct Rule {
    free: i64,
    max_delay: i64,
}

impl Rule {
    const fn new(free: i64, max_delay: i64) -> Rule {
        Rule { free, max_delay }
    }
}

/// What one attempt is counted against, and how hard each brakes.
#[derive(Debug, Clone)]
pub struct Keys(Vec<(String, Rule)>);

impl Keys {
    /// A password for `email` from `client`.
    pub fn login(email: &str, client: Option<IpAddr>) -> Keys {
        let client = client.map_or_else(|| "unknown".to_string(), |ip| ip.to_string());
        Keys(vec![
            // The account from this client: the guesser's own brake, the hardest.
            (format!("login:{email}:{client}"), Rule::new(3, 15 * 60)),
            // The account from anywhere: guessing from many machines. Capped low, so that a
            // stranger's failures delay the real user by a minute at most.
            (format!("login:{email}"), Rule::new(10, 60)),
            // This client, any account: trying one password on many accounts.
            (format!("client:{client}"), Rule::new(20, 15 * 60)),
            // Everyone: a flood.
            ("all".to_string(), Rule::new(1_000, 60)),
        ])
    }

    /// A typed code for the push token `serial` from `client`.
    pub fn code(serial: &str, client: Option<IpAddr>) -> Keys {
        let client = client.map_or_else(|| "unknown".to_string(), |ip| ip.to_string());
        Keys(vec![
            (format!("code:{serial}:{client}"), Rule::new(3, 15 * 60)),
            (format!("code:{serial}"), Rule::new(10, 60)),
            (format!("client:{client}"), Rule::new(20, 15 * 60)),
        ])
    }
}

/// An attempt let through and already counted as a failure; [`Throttle::succeeded`] takes
/// it back when it was right.
#[must_use]
pub struct Attempt {
    keys: Keys,
    rows: Vec<i64>,
}

pub struct Throttle {
    db: Mutex<Connection>,
    clock: fn() -> i64,
}

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS failures (id INTEGER PRIMARY KEY, key TEXT NOT NULL, at INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS failures_by_key ON failures (key, at);";

impl Throttle {
    pub fn open(db_path: &std::path::Path) -> Result<Throttle, ServiceError> {
        let db = Connection::open(db_path)?;
        db.execute_batch("PRAGMA journal_mode = WAL;")?;
        db.execute_batch(SCHEMA)?;
        Ok(Throttle {
            db: Mutex::new(db),
            clock: now,
        })
    }

    pub fn with_clock(mut self, clock: fn() -> i64) -> Throttle {
        self.clock = clock;
        self
    }

    fn db(&self) -> std::sync::MutexGuard<'_, Connection> {
        super::unpoisoned(&self.db)
    }

    /// Lets an attempt through unless one of its keys asks for a delay that has not passed;
    /// a let-through attempt is counted as a failure at once, in the same step.
    pub fn attempt(&self, keys: &Keys) -> Result<Attempt, ServiceError> {
        let now = (self.clock)();
        let mut db = self.db();
        let tx = db.transaction()?;
        tx.execute(
            "DELETE FROM failures WHERE at <= ?1",
            params![now - WINDOW_SECONDS],
        )?;
        let mut wait = 0i64;
        for (key, rule) in &keys.0 {
            let (count, last): (i64, Option<i64>) = tx.query_row(
                "SELECT COUNT(*), MAX(at) FROM failures WHERE key = ?1",
                params![key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if count >= rule.free {
                let delay = 1i64
                    .checked_shl((count - rule.free).min(62) as u32)
                    .unwrap_or(i64::MAX)
                    .min(rule.max_delay);
                wait = wait.max(last.unwrap_or(now) + delay - now);
            }
        }
        if wait > 0 {
            return Err(ServiceError::RateLimited(wait));
        }
        let mut rows = Vec::with_capacity(keys.0.len());
        for (key, _) in &keys.0 {
            tx.execute(
                "INSERT INTO failures (key, at) VALUES (?1, ?2)",
                params![key, now],
            )?;
            rows.push(tx.last_insert_rowid());
        }
        tx.commit()?;
        Ok(Attempt {
            keys: keys.clone(),
            rows,
        })
    }

    /// The attempt was right: it is not a failure, and the guesser's own brake (the first
    /// key) is released.
    pub fn succeeded(&self, attempt: Attempt) -> Result<(), ServiceError> {
        let db = self.db();
        for row in &attempt.rows {
            db.execute("DELETE FROM failures WHERE id = ?1", params![row])?;
        }
        if let Some((own, _)) = attempt.keys.0.first() {
            db.execute("DELETE FROM failures WHERE key = ?1", params![own])?;
        }
        Ok(())
    }
}

fn now() -> i64 {
    pocket_core::clock::now_unix() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle(clock: fn() -> i64) -> (Throttle, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let throttle = Throttle::open(&dir.path().join("t.sqlite"))
            .unwrap()
            .with_clock(clock);
        (throttle, dir)
    }

    #[test]
    fn failures_past_the_free_ones_ask_for_a_doubling_delay() {
        let (throttle, _dir) = throttle(|| 1_000);
        let me = Some("10.0.0.1".parse().unwrap());
        let keys = Keys::login("alice@example.com", me);
        for _ in 0..3 {
            let _failed = throttle.attempt(&keys).unwrap();
        }
        // The fourth, at the same instant, must wait a second.
        assert!(matches!(
            throttle.attempt(&keys),
            Err(ServiceError::RateLimited(1))
        ));
        // Another client is not held back by this one's failures.
        let other = Keys::login("alice@example.com", Some("10.0.0.2".parse().unwrap()));
        let right = throttle.attempt(&other).unwrap();
        throttle.succeeded(right).unwrap();
    }

    #[test]
    fn one_client_trying_many_accounts_is_slowed() {
        let (throttle, _dir) = throttle(|| 1_000);
        let guesser = Some("10.0.0.9".parse().unwrap());
        // One password on twenty accounts: each account's own brakes stay free.
        for n in 0..20 {
            let _failed = throttle
                .attempt(&Keys::login(&format!("user{n}@example.com"), guesser))
                .unwrap();
        }
        assert!(matches!(
            throttle.attempt(&Keys::login("user20@example.com", guesser)),
            Err(ServiceError::RateLimited(1))
        ));
        // The accounts' owners, elsewhere, are not held back by it.
        let owner = Some("10.0.0.10".parse().unwrap());
        let right = throttle
            .attempt(&Keys::login("user20@example.com", owner))
            .unwrap();
        throttle.succeeded(right).unwrap();
    }

    #[test]
    fn a_flood_from_everywhere_is_slowed_for_a_minute_at_most() {
        static CLOCK: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(1_000);
        let (throttle, _dir) = throttle(|| CLOCK.load(std::sync::atomic::Ordering::SeqCst));
        let stranger = |n: u32| {
            Keys::login(
                &format!("user{n}@example.com"),
                Some(std::net::Ipv4Addr::from(0x0a00_0000 + n).into()),
            )
        };
        for n in 0..1_000 {
            let _failed = throttle.attempt(&stranger(n)).unwrap();
        }
        let mut n = 1_000;
        let mut waits = Vec::new();
        loop {
            match throttle.attempt(&stranger(n)) {
                Err(ServiceError::RateLimited(wait)) => {
                    waits.push(wait);
                    if wait == 60 {
                        break;
                    }
                    CLOCK.fetch_add(wait, std::sync::atomic::Ordering::SeqCst);
                }
                Ok(_failed) => n += 1,
                Err(other) => panic!("{other}"),
            }
        }
        // The delay doubles, and never passes the cap.
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60]);
    }

    #[test]
    fn a_right_answer_is_not_a_failure_and_frees_its_client() {
        let (throttle, _dir) = throttle(|| 1_000);
        let keys = Keys::login("bob@example.com", None);
        for _ in 0..2 {
            let _failed = throttle.attempt(&keys).unwrap();
        }
        let right = throttle.attempt(&keys).unwrap();
        throttle.succeeded(right).unwrap();
        for _ in 0..3 {
            let _failed = throttle.attempt(&keys).unwrap();
        }
        assert!(matches!(
            throttle.attempt(&keys),
            Err(ServiceError::RateLimited(1))
        ));
    }
}
