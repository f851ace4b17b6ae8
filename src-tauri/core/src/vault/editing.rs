//! Changing accounts after they were added: names, order, HOTP counters; and moving many in
//! or out at once (imports, exports).

use std::sync::Mutex;

use super::{Account, AccountState, Vault};
use crate::error::{Error, Result};
use crate::otp::{AccountDraft, Code, OtpKind, code_at};

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportSummary {
    pub added: Vec<Account>,
    /// Already in Pocket (same issuer and secret): left alone.
    pub duplicates: Vec<String>,
    /// Could not be added, with the reason (a locked keychain, say).
    pub failed: Vec<(String, Error)>,
    /// Why the keychain refused, once it did: the rest are not tried.
    stopped: Option<Error>,
}

/// A keychain that refused once refuses the rest of an import too: the same error for each.
fn keychain_refusal(error: &Error) -> Option<Error> {
    match error {
        Error::KeychainLocked => Some(Error::KeychainLocked),
        Error::KeychainUnavailable(reason) => Some(Error::KeychainUnavailable(reason.clone())),
        _ => None,
    }
}

impl Vault {
    /// Adds each account unless it is here already. A locked or missing keychain stops the
    /// import at the first account (nothing half-written), and the rest are reported as not
    /// added, for the same reason.
    pub fn import(&mut self, drafts: Vec<AccountDraft>, now_unix: u64) -> ImportSummary {
        let mut summary = ImportSummary::default();
        for draft in drafts {
            self.import_one(draft, now_unix, &mut summary);
        }
        summary
    }

    /// [`Vault::import`] into a shared vault, holding its lock for one account at a time, so
    /// that codes and requests keep being served while a large import runs.
    pub fn import_into(
        shared: &Mutex<Vault>,
        drafts: Vec<AccountDraft>,
        now_unix: u64,
    ) -> ImportSummary {
        let mut summary = ImportSummary::default();
        for draft in drafts {
            super::exclusive(shared).import_one(draft, now_unix, &mut summary);
        }
        summary
    }

    fn import_one(&mut self, draft: AccountDraft, now_unix: u64, summary: &mut ImportSummary) {
        let label = draft.label();
        if let Some(refusal) = summary.stopped.as_ref().and_then(keychain_refusal) {
            summary.failed.push((label, refusal));
            return;
        }
        match self.add(draft, now_unix) {
            Ok(account) => summary.added.push(account),
            Err(Error::DuplicateAccount) => summary.duplicates.push(label),
            Err(error) => {
                if let Some(refusal) = keychain_refusal(&error) {
                    summary.stopped = Some(refusal);
                }
                summary.failed.push((label, error));
            }
        }
    }

    /// Every account with its secret, in the list's order, for an export the user asked for.
    pub fn export(&mut self) -> Result<Vec<AccountDraft>> {
        let mut drafts = Vec::new();
        for account in self.accounts()? {
            let secret = self.secret(&account.id)?;
            let icon = self.db.icon(&account.id)?;
            drafts.push(
                AccountDraft::new(&account.issuer, &account.name, secret, account.params)?
                    .with_icon(icon),
            );
        }
        Ok(drafts)
    }

    /// New issuer and name; the secret and the codes stay as they are.
    pub fn rename(&mut self, id: &str, issuer: &str, name: &str) -> Result<Account> {
        let (issuer, name) = crate::otp::checked_label(issuer, name)?;
        if !self.db.rename(id, &issuer, &name)? {
            return Err(Error::AccountNotFound(id.to_string()));
        }
        self.changed();
        self.active(id)
    }

    /// Puts the accounts in the order of `ids` (the list as the user arranged it); accounts
    /// not named keep their places after them.
    pub fn reorder(&mut self, ids: &[String]) -> Result<()> {
        let mut order: Vec<String> = ids.to_vec();
        for account in self.accounts()? {
            if !order.contains(&account.id) {
                order.push(account.id);
            }
        }
        self.db.set_order(&order)?;
        self.changed();
        Ok(())
    }

    /// HOTP: the code for the stored counter, which is the next one the server expects. The
    /// counter moves on and is saved before the code is computed, so a code once shown is
    /// never shown again (the server would refuse it) even if Pocket stops right after.
    pub fn next_code(&mut self, id: &str) -> Result<Code> {
        let account = self.active(id)?;
        let OtpKind::Hotp { counter } = account.params.kind else {
            return Err(Error::NotCounterBased);
        };
        let after = counter
            .checked_add(1)
            .ok_or_else(|| Error::invalid("counter", "the counter is at its end"))?;
        if !self.db.advance_counter(id, counter, after)? {
            return Err(Error::AccountNotFound(id.to_string()));
        }
        self.changed();
        let secret = self.secret(id)?;
        Ok(Code {
            current: code_at(&account.params, &secret, 0),
            next: None,
            valid_from: None,
            valid_until: None,
        })
    }

    fn active(&self, id: &str) -> Result<Account> {
        match self.db.get(id)? {
            Some((account, AccountState::Active)) => Ok(account),
            _ => Err(Error::AccountNotFound(id.to_string())),
        }
    }
}
