//! The SQL of containers and of the tokens each manages.

use rusqlite::{OptionalExtension, params};
use url::Url;

use super::Db;
use crate::container::{ContainerLink, Held, Member};
use crate::error::{Error, Result};
use crate::vault::container::{ContainerState, StoredContainer, SyncChanges};

const SELECT_CONTAINER: &str = "SELECT id, serial, issuer, server, verify_tls, state, policies,
    last_sync_at, last_error FROM containers";

impl Db {
    /// A registration's row, pending, with the accounts the user chose to offer (JSON ids).
    pub fn insert_pending_container(
        &self,
        id: &str,
        link: &ContainerLink,
        offer: &str,
        now: u64,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO containers (id, serial, issuer, server, verify_tls, state, offer, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?7)",
            params![
                id,
                link.serial,
                link.issuer,
                link.server.as_str(),
                link.verify_tls,
                offer,
                now as i64
            ],
        )?;
        Ok(())
    }

    /// The container's offer (JSON ids), marked as gone at `now` in the same statement: the
    /// first call has it, every later one `None`.
    pub fn take_offer(&self, id: &str, now: u64) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "UPDATE containers SET offered_at = ?2
                 WHERE id = ?1 AND offered_at IS NULL RETURNING offer",
                params![id, now as i64],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// A pending container becomes registered; false when there was none.
    pub fn register_container(&self, id: &str, policies: &str) -> Result<bool> {
        let changed = self.conn.execute(
            "UPDATE containers SET state = 'registered', policies = ?2
             WHERE id = ?1 AND state = 'pending'",
            params![id, policies],
        )?;
        Ok(changed == 1)
    }

    pub fn delete_container(&self, id: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM containers WHERE id = ?1", params![id])?;
        Ok(())
    }

    /// Registrations a crash interrupted.
    pub fn pending_container_ids(&self) -> Result<Vec<String>> {
        let mut statement = self
            .conn
            .prepare("SELECT id FROM containers WHERE state = 'pending'")?;
        let ids = statement
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// Every container past its registration, oldest first.
    pub fn containers(&self) -> Result<Vec<StoredContainer>> {
        let mut statement = self.conn.prepare(&format!(
            "{SELECT_CONTAINER} WHERE state != 'pending' ORDER BY created_at, id"
        ))?;
        let rows = statement.query_map([], read_container)?;
        let mut containers = Vec::new();
        for row in rows {
            containers.push(row??);
        }
        Ok(containers)
    }

    pub fn container(&self, id: &str) -> Result<Option<StoredContainer>> {
        self.conn
            .query_row(
                &format!("{SELECT_CONTAINER} WHERE id = ?1 AND state != 'pending'"),
                params![id],
                read_container,
            )
            .optional()?
            .transpose()
    }

    pub fn set_container_state(&self, id: &str, state: ContainerState, error: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE containers SET state = ?2, last_error = ?3 WHERE id = ?1",
            params![id, state.as_str(), error],
        )?;
        Ok(())
    }

    pub fn set_container_error(&self, id: &str, error: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE containers SET last_error = ?2 WHERE id = ?1",
            params![id, error],
        )?;
        Ok(())
    }

    /// The container's active tokens.
    pub fn members(&self, container_id: &str) -> Result<Vec<Member>> {
        let mut statement = self.conn.prepare(
            "SELECT m.serial, m.tokentype, m.account_id, m.push_token_id, m.joined FROM container_tokens m
             LEFT JOIN accounts a ON a.id = m.account_id AND a.state = 'active'
             LEFT JOIN push_tokens p ON p.id = m.push_token_id AND p.state = 'active'
             WHERE m.container_id = ?1 AND (a.id IS NOT NULL OR p.id IS NOT NULL)
             ORDER BY m.serial",
        )?;
        let rows = statement.query_map(params![container_id], |row| {
            let account: Option<String> = row.get(2)?;
            let push: Option<String> = row.get(3)?;
            Ok(Member {
                serial: row.get(0)?,
                tokentype: row.get(1)?,
                held: match (account, push) {
                    (Some(id), _) => Held::Account(id),
                    (None, push) => Held::Push(push.unwrap_or_default()),
                },
                joined: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Lets go of `held`: it leaves its container and stays on the phone.
    pub fn release_member(&self, held: &Held) -> Result<()> {
        let (account, push) = held_ids(held);
        self.conn.execute(
            "DELETE FROM container_tokens WHERE account_id = ?1 OR push_token_id = ?2",
            params![account, push],
        )?;
        Ok(())
    }

    /// A push token's activation and its joining a container, in one step.
    pub fn activate_member_token(
        &self,
        id: &str,
        server_key: &crate::push::VerifyingKey,
        container_id: &str,
        serial: &str,
    ) -> Result<bool> {
        let tx = self.conn.unchecked_transaction()?;
        let activated = tx.execute(
            "UPDATE push_tokens SET server_key = ?2, state = 'active' WHERE id = ?1 AND state = 'pending'",
            params![id, server_key.to_base64()?],
        )? == 1;
        if activated {
            tx.execute(
                "INSERT OR REPLACE INTO container_tokens (container_id, serial, tokentype, account_id, push_token_id, joined)
                 VALUES (?1, ?2, 'push', NULL, ?3, 0)",
                params![container_id, serial, id],
            )?;
        }
        tx.commit()?;
        Ok(activated)
    }

    /// The container managing `held`, if one does.
    pub fn container_of(&self, held: &Held) -> Result<Option<String>> {
        let (account, push) = held_ids(held);
        Ok(self
            .conn
            .query_row(
                "SELECT container_id FROM container_tokens WHERE account_id = ?1 OR push_token_id = ?2",
                params![account, push],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Active accounts no container manages.
    pub fn unmanaged_account_ids(&self) -> Result<Vec<String>> {
        let mut statement = self.conn.prepare(
            "SELECT id FROM accounts WHERE state = 'active' AND id NOT IN
               (SELECT account_id FROM container_tokens WHERE account_id IS NOT NULL)
             ORDER BY position, created_at",
        )?;
        let ids = statement
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// A sync's changes, all or nothing: new accounts (already pending, their secrets in the
    /// keychain) become active and join, counters move forward, recognised accounts join,
    /// and what goes is marked for deletion (the caller deletes it, or reconciliation does).
    pub fn apply_sync(&self, container_id: &str, changes: &SyncChanges, now: u64) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        let joined = changes.joined.iter().map(|j| (j, true));
        for (entry, is_joined) in changes.activated.iter().map(|a| (a, false)).chain(joined) {
            tx.execute(
                "UPDATE accounts SET state = 'active' WHERE id = ?1 AND state IN ('pending', 'active')",
                params![entry.account_id],
            )?;
            tx.execute(
                "INSERT OR REPLACE INTO container_tokens (container_id, serial, tokentype, account_id, push_token_id, joined)
                 VALUES (?1, ?2, ?3, ?4, NULL, ?5)",
                params![
                    container_id,
                    entry.serial,
                    entry.tokentype,
                    entry.account_id,
                    is_joined
                ],
            )?;
        }
        for held in &changes.released {
            let (account, push) = held_ids(held);
            tx.execute(
                "DELETE FROM container_tokens WHERE container_id = ?1 AND (account_id = ?2 OR push_token_id = ?3)",
                params![container_id, account, push],
            )?;
        }
        for (account_id, counter) in &changes.counters {
            tx.execute(
                "UPDATE accounts SET counter = MAX(counter, ?2) WHERE id = ?1 AND state = 'active'",
                params![account_id, *counter as i64],
            )?;
        }
        for held in &changes.removed {
            match held {
                Held::Account(id) => tx.execute(
                    "UPDATE accounts SET state = 'deleting' WHERE id = ?1 AND state = 'active'",
                    params![id],
                )?,
                Held::Push(id) => tx.execute(
                    "UPDATE push_tokens SET state = 'deleting' WHERE id = ?1 AND state = 'active'",
                    params![id],
                )?,
            };
        }
        let changed = tx.execute(
            "UPDATE containers SET policies = ?2, last_sync_at = ?3, last_error = '', state = 'registered'
             WHERE id = ?1 AND state != 'pending'",
            params![container_id, changes.policies, now as i64],
        )?;
        if changed == 0 {
            return Err(Error::ContainerNotFound(container_id.to_string()));
        }
        tx.commit()?;
        Ok(())
    }
}

fn held_ids(held: &Held) -> (Option<&str>, Option<&str>) {
    match held {
        Held::Account(id) => (Some(id.as_str()), None),
        Held::Push(id) => (None, Some(id.as_str())),
    }
}

/// Rows are checked like input.
fn read_container(row: &rusqlite::Row<'_>) -> rusqlite::Result<Result<StoredContainer>> {
    let id: String = row.get(0)?;
    let server: String = row.get(3)?;
    let state: String = row.get(5)?;
    let policies: String = row.get(6)?;
    let last_sync_at: Option<i64> = row.get(7)?;
    let corrupt = |what: &str| {
        Error::Database(rusqlite::Error::InvalidColumnName(format!(
            "{what} of container {id}"
        )))
    };
    let parsed = (|| {
        Ok(StoredContainer {
            id: id.clone(),
            serial: row.get(1)?,
            issuer: row.get(2)?,
            server: Url::parse(&server).map_err(|_| corrupt("server"))?,
            verify_tls: row.get(4)?,
            state: ContainerState::parse(&state).ok_or_else(|| corrupt("state"))?,
            policies: serde_json::from_str(&policies).unwrap_or_default(),
            last_sync_at: last_sync_at.map(|t| t.max(0) as u64),
            last_error: row.get(8)?,
        })
    })();
    Ok(parsed)
}
