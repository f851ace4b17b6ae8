//! Login requests: raising them (with the limits that keep push fatigue away), their status
//! for the waiting page, and waking the phones that hold a long poll open.

use std::sync::Arc;

use rusqlite::{OptionalExtension, params};
use tokio::sync::Notify;

use super::{ANSWER_WINDOW_SECONDS, PushServer, TransactionStatus, Triggered, hex, random};
use crate::service::error::ServiceError;

/// Unanswered requests a token may have at once; a login beyond that is told to answer one
/// or type the code. Stops a password thief from stacking up requests until one is tapped.
pub const MAX_OPEN_REQUESTS: i64 = 3;
/// Rejections (since the last accept) after which requests pause for `COOL_DOWN_SECONDS`.
pub const REJECTIONS_BEFORE_COOL_DOWN: i64 = 3;
pub const COOL_DOWN_SECONDS: i64 = 600;

impl PushServer {
    /// Raises a login request on the token's phone, unless the token already has
    /// `MAX_OPEN_REQUESTS` waiting or its user rejected several requests in a row lately; its
    /// wake-up goes out at once, on its own.
    pub fn trigger(
        &self,
        serial: &str,
        title: &str,
        question: &str,
        number_matching: bool,
    ) -> Result<Triggered, ServiceError> {
        let triggered = self.raise(serial, title, question, number_matching)?;
        self.send_wake_up(&triggered.transaction_id);
        Ok(triggered)
    }

    /// `trigger` without the wake-up, for a caller that sends it itself (`wake_up`).
    pub fn raise(
        &self,
        serial: &str,
        title: &str,
        question: &str,
        number_matching: bool,
    ) -> Result<Triggered, ServiceError> {
        if !self.is_enrolled(serial)? {
            return Err(ServiceError::UnknownToken);
        }
        self.check_fatigue_limits(serial)?;
        let transaction_id = hex(&random::<16>()?);
        let nonce = data_encoding::BASE32.encode(&random::<20>()?);
        let (options, answer) = if number_matching {
            let (options, answer) = number_choices()?;
            (Some(options), Some(answer))
        } else {
            (None, None)
        };
        self.db().execute(
            "INSERT INTO challenges (transaction_id, serial, nonce, title, question, presence_options, presence_answer, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![transaction_id, serial, nonce, title, question, options, answer, (self.clock)()],
        )?;
        self.wake(serial);
        Ok(Triggered {
            transaction_id,
            presence_answer: answer,
        })
    }

    fn check_fatigue_limits(&self, serial: &str) -> Result<(), ServiceError> {
        let now = (self.clock)();
        let db = self.db();
        PushServer::count_ignored(&db, serial, now)?;
        let open: i64 = db.query_row(
            "SELECT COUNT(*) FROM challenges WHERE serial = ?1 AND answered_at IS NULL AND created_at > ?2",
            params![serial, now - ANSWER_WINDOW_SECONDS],
            |r| r.get(0),
        )?;
        if open >= MAX_OPEN_REQUESTS {
            return Err(ServiceError::TooManyOpenRequests);
        }
        let rejections: i64 = db
            .query_row(
                "SELECT count FROM rejection_streaks WHERE serial = ?1 AND last_at > ?2",
                params![serial, now - COOL_DOWN_SECONDS],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        if rejections >= REJECTIONS_BEFORE_COOL_DOWN {
            return Err(ServiceError::PushPaused);
        }
        Ok(())
    }

    /// Requests that ran out unanswered count as rejections: a user who ignores a stream of
    /// requests is as tired of them as one who rejects them. Each counts once.
    fn count_ignored(
        db: &rusqlite::Connection,
        serial: &str,
        now: i64,
    ) -> Result<(), ServiceError> {
        let expired_before = now - ANSWER_WINDOW_SECONDS;
        let ignored: Vec<i64> = db
            .prepare(
                "SELECT created_at FROM challenges
                 WHERE serial = ?1 AND answered_at IS NULL AND created_at <= ?2 ORDER BY created_at",
            )?
            .query_map(params![serial, expired_before], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        db.execute(
            "UPDATE challenges SET answered_at = created_at + ?3, accepted = 0, ignored = 1
             WHERE serial = ?1 AND answered_at IS NULL AND created_at <= ?2",
            params![serial, expired_before, ANSWER_WINDOW_SECONDS],
        )?;
        for created_at in ignored {
            PushServer::record_decision(db, serial, false, created_at + ANSWER_WINDOW_SECONDS)?;
        }
        Ok(())
    }

    /// Counts a rejection towards the cool-down, or clears the count on an accept.
    pub(super) fn record_decision(
        db: &rusqlite::Connection,
        serial: &str,
        accepted: bool,
        now: i64,
    ) -> Result<(), ServiceError> {
        if accepted {
            db.execute(
                "DELETE FROM rejection_streaks WHERE serial = ?1",
                params![serial],
            )?;
        } else {
            db.execute(
                "INSERT INTO rejection_streaks (serial, count, last_at) VALUES (?1, 1, ?2)
                 ON CONFLICT (serial) DO UPDATE SET count = count + 1, last_at = ?2",
                params![serial, now],
            )?;
        }
        Ok(())
    }

    pub fn status(&self, transaction_id: &str) -> Result<TransactionStatus, ServiceError> {
        let row: Option<(Option<i64>, i64, bool)> = self
            .db()
            .query_row(
                "SELECT accepted, created_at, ignored FROM challenges WHERE transaction_id = ?1",
                params![transaction_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        Ok(match row {
            None => return Err(ServiceError::UnknownToken),
            Some((_, _, true)) => TransactionStatus::Expired,
            Some((Some(1), _, _)) => TransactionStatus::Accepted,
            Some((Some(_), _, _)) => TransactionStatus::Rejected,
            Some((None, created, _)) if (self.clock)() - created >= ANSWER_WINDOW_SECONDS => {
                TransactionStatus::Expired
            }
            Some((None, _, _)) => TransactionStatus::Waiting,
        })
    }

    /// Under number matching, the number the login page shows for the user to pick in Pocket.
    pub fn number_to_pick(&self, transaction_id: &str) -> Result<Option<String>, ServiceError> {
        Ok(self
            .db()
            .query_row(
                "SELECT presence_answer FROM challenges WHERE transaction_id = ?1",
                params![transaction_id],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    /// What a long poll for `serial` waits on. Made only for tokens whose poll signature
    /// checked out, so strangers cannot fill the map.
    pub(super) fn waiter(&self, serial: &str) -> Arc<Notify> {
        crate::service::unpoisoned(&self.waiters)
            .entry(serial.to_string())
            .or_default()
            .clone()
    }

    /// Whether a phone is holding a poll open for `serial` right now (each held poll keeps a
    /// handle on the waiter while it waits).
    pub fn is_holding_poll(&self, serial: &str) -> bool {
        crate::service::unpoisoned(&self.waiters)
            .get(serial)
            .is_some_and(|notify| Arc::strong_count(notify) > 1)
    }

    fn wake(&self, serial: &str) {
        let waiters = crate::service::unpoisoned(&self.waiters);
        if let Some(notify) = waiters.get(serial) {
            notify.notify_waiters();
        }
    }
}

/// Three different two-digit numbers and the one the login page shows.
fn number_choices() -> Result<(String, String), ServiceError> {
    let mut numbers: Vec<u32> = Vec::new();
    while numbers.len() < 3 {
        let n = 10 + u32::from(random::<1>()?[0]) % 90;
        if !numbers.contains(&n) {
            numbers.push(n);
        }
    }
    let answer = numbers[usize::from(random::<1>()?[0]) % 3].to_string();
    let options = numbers
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    Ok((options, answer))
}
