//! The SQL of accounts.

use rusqlite::{OptionalExtension, params};

use super::Db;
use crate::error::{Error, Result};
use crate::otp::{Algorithm, OtpKind, OtpParams};
use crate::vault::account::{Account, AccountState};

impl Db {
    pub fn insert_pending(&self, account: &Account, created_at: u64) -> Result<()> {
        let (period, counter) = match account.params.kind {
            OtpKind::Totp { period } => (Some(period), None),
            OtpKind::Hotp { counter } => (None, Some(counter as i64)),
            OtpKind::Steam => (None, None),
        };
        self.conn.execute(
            "INSERT INTO accounts
               (id, issuer, name, kind, algorithm, digits, period, counter, position, state, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,
               (SELECT COALESCE(MAX(position), -1) + 1 FROM accounts), 'pending', ?9)",
            params![
                account.id,
                account.issuer,
                account.name,
                account.params.kind.as_str(),
                account.params.algorithm.as_str(),
                account.params.digits,
                period,
                counter,
                created_at as i64,
            ],
        )?;
        Ok(())
    }

    pub fn set_state(&self, id: &str, state: AccountState) -> Result<()> {
        let changed = self.conn.execute(
            "UPDATE accounts SET state = ?2 WHERE id = ?1",
            params![id, state.as_str()],
        )?;
        if changed == 0 {
            return Err(Error::AccountNotFound(id.to_string()));
        }
        Ok(())
    }

    pub fn delete(&self, id: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM accounts WHERE id = ?1", params![id])?;
        Ok(())
    }

    pub fn get(&self, id: &str) -> Result<Option<(Account, AccountState)>> {
        self.conn
            .query_row(
                &format!("{SELECT_ACCOUNT} WHERE id = ?1"),
                params![id],
                row_to_account,
            )
            .optional()?
            .transpose()
    }

    /// Accounts in `state`, in the user's order.
    pub fn list(&self, state: AccountState) -> Result<Vec<Account>> {
        let mut statement = self.conn.prepare(&format!(
            "{SELECT_ACCOUNT} WHERE state = ?1 ORDER BY position, created_at"
        ))?;
        let rows = statement.query_map(params![state.as_str()], row_to_account)?;
        let mut accounts = Vec::new();
        for row in rows {
            accounts.push(row??.0);
        }
        Ok(accounts)
    }

    /// New issuer and name of an active account; false when there is none.
    pub fn rename(&self, id: &str, issuer: &str, name: &str) -> Result<bool> {
        let changed = self.conn.execute(
            "UPDATE accounts SET issuer = ?2, name = ?3 WHERE id = ?1 AND state = 'active'",
            params![id, issuer, name],
        )?;
        Ok(changed == 1)
    }

    /// The accounts' positions, in one transaction.
    pub fn set_order(&self, ids: &[String]) -> Result<()> {
        let batch = self.conn.unchecked_transaction()?;
        for (position, id) in ids.iter().enumerate() {
            batch.execute(
                "UPDATE accounts SET position = ?2 WHERE id = ?1",
                params![id, position as i64],
            )?;
        }
        batch.commit()?;
        Ok(())
    }

    /// Moves an HOTP counter from `from` to `to`; false when it was not at `from` (another
    /// code was taken meanwhile) or the account is gone.
    pub fn advance_counter(&self, id: &str, from: u64, to: u64) -> Result<bool> {
        let saved = self.conn.execute(
            "UPDATE accounts SET counter = ?2 WHERE id = ?1 AND counter = ?3 AND state = 'active'",
            params![id, to as i64, from as i64],
        )?;
        Ok(saved == 1)
    }
}

const SELECT_ACCOUNT: &str =
    "SELECT id, issuer, name, kind, algorithm, digits, period, counter, state FROM accounts";

/// Rows are checked like input: a database edited by hand must not make codes panic.
fn row_to_account(row: &rusqlite::Row<'_>) -> rusqlite::Result<Result<(Account, AccountState)>> {
    let kind: String = row.get(3)?;
    let algorithm: String = row.get(4)?;
    let digits: u8 = row.get(5)?;
    let period: Option<u32> = row.get(6)?;
    let counter: Option<i64> = row.get(7)?;
    let state: String = row.get(8)?;
    let id: String = row.get(0)?;
    let corrupt = |what: &str| {
        Error::Database(rusqlite::Error::InvalidColumnName(format!(
            "{what} of account {id}"
        )))
    };
    let params = (|| {
        let kind = match kind.as_str() {
            "totp" => OtpKind::Totp {
                period: period.ok_or_else(|| corrupt("period"))?,
            },
            "hotp" => OtpKind::Hotp {
                counter: counter.ok_or_else(|| corrupt("counter"))? as u64,
            },
            "steam" => OtpKind::Steam,
            _ => return Err(corrupt("kind")),
        };
        let algorithm = Algorithm::parse(&algorithm).map_err(|_| corrupt("algorithm"))?;
        OtpParams {
            kind,
            algorithm,
            digits,
        }
        .validate()
        .map_err(|_| corrupt("parameters"))
    })();
    let state = AccountState::parse(&state).ok_or_else(|| corrupt("state"));
    Ok(params.and_then(|params| {
        Ok((
            Account {
                id: id.clone(),
                issuer: row.get(1)?,
                name: row.get(2)?,
                params,
            },
            state?,
        ))
    }))
}
