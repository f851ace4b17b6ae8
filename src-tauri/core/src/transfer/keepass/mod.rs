//! KeePass and KeePassXC databases (`.kdbx`, versions 3.1 and 4), opened with a password, a
//! key file or both, through the `keepass` library once the header's key derivation has been
//! priced. An entry brings a code in any of the three ways these apps keep one: an `otp`
//! field (an otpauth:// link, or KeeOTP's `key=…&step=…`), KeePassXC's older `TOTP Seed` and
//! `TOTP Settings`, or KeePass 2's own `TimeOtp-*` and `HmacOtp-*` fields. The entry's title
//! stands in for a link's missing issuer and its user name for a missing account name.

mod entry;
mod header;

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::crypto::damaged;
use super::exported::label;
use super::kdf::KdfBudget;
use super::{Format, Imported};
use crate::error::{Error, Result};

pub struct KeePass;

/// The stack the library reads a database on.
const LIBRARY_STACK_BYTES: usize = 64 << 20;

impl Format for KeePass {
    fn name(&self) -> &'static str {
        "keepass"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        file.starts_with(&header::SIGNATURE)
    }

    fn is_encrypted(&self, _: &[u8]) -> bool {
        true
    }

    fn read(&self, file: &[u8], password: Option<&str>, kdf: &mut KdfBudget) -> Result<Imported> {
        read_keepass(file, password, None, kdf)
    }
}

/// Opens a database with `password`, `key_file` or both, and reads its codes.
pub fn read_keepass(
    file: &[u8],
    password: Option<&str>,
    key_file: Option<&[u8]>,
    kdf: &mut KdfBudget,
) -> Result<Imported> {
    let header = header::read(file)?;
    let cost = header.cost;
    if password.is_none() && key_file.is_none() {
        return Err(Error::BackupPasswordRequired);
    }
    kdf.spend(&[cost])?;
    // The library allocates Argon2's memory itself and aborts if it cannot: ask for it here
    // first, fallibly. With the system overcommitting memory this catches only what it
    // would never give (more than the phone has), not every shortage.
    let probe: std::result::Result<Vec<u8>, _> = {
        let mut probe = Vec::new();
        probe
            .try_reserve_exact(cost.memory_bytes as usize)
            .map(|()| probe)
    };
    drop(probe.map_err(|_| Error::BackupTooCostly)?);

    let mut key = keepass::DatabaseKey::new();
    if let Some(password) = password {
        key = key.with_password(password);
    }
    if let Some(mut key_file) = key_file {
        key = key
            .with_keyfile(&mut key_file)
            .map_err(|e| damaged(format!("the key file is not readable: {e}")))?;
    }
    // The library is not ours to vouch for on every damaged file: a panic in it is a damaged
    // file, not a crash. It reads the database's XML recursively, so it runs with a stack
    // deep enough for any real nesting of groups.
    let unreadable = || damaged("the database is not readable");
    let opened = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("keepass".into())
            .stack_size(LIBRARY_STACK_BYTES)
            .spawn_scoped(scope, || {
                catch_unwind(AssertUnwindSafe(|| keepass::Database::parse(file, key)))
            })
            .map_err(|_| unreadable())?
            .join()
            .map_err(|_| unreadable())?
            .map_err(|_| unreadable())
    })?;
    let database = opened.map_err(|error| match error {
        keepass::error::DatabaseOpenError::Key(keepass::error::DatabaseKeyError::IncorrectKey) => {
            Error::WrongBackupPassword
        }
        // KDBX 3.1 has no MAC before its payload: a wrong key shows as bad padding (the
        // header's sizes were checked, so nothing else there fails this way).
        keepass::error::DatabaseOpenError::Cryptography(_) if header.major == 3 => {
            Error::WrongBackupPassword
        }
        other => damaged(format!("the database is not readable: {other}")),
    })?;

    let mut imported = Imported::default();
    let trash = database.recycle_bin().map(|bin| bin.id());
    // Depth first, in the database's own order.
    let mut groups = vec![(database.root().id(), false)];
    while let Some((id, in_trash)) = groups.pop() {
        let Some(group) = database.group(id) else {
            continue;
        };
        let in_trash = in_trash || Some(id) == trash;
        for found in group.entry_ids().filter_map(|id| database.entry(id)) {
            let Some(code) = entry::code_of(&found) else {
                continue;
            };
            let title = found.get_title().unwrap_or("");
            let user = found.get_username().unwrap_or("");
            let read = if in_trash {
                Err(Error::InTrash)
            } else {
                entry::draft(code, title, user)
            };
            imported.take(|| label(title, user), read);
        }
        let children: Vec<_> = group.group_ids().map(|child| (child, in_trash)).collect();
        groups.extend(children.into_iter().rev());
    }
    Ok(imported)
}
