//! Accounts the phone held before a container came, which its server may recognise. A
//! container's first sync can send two old codes of such an account so that privacyIDEA
//! finds the token they belong to, but those codes are the user's: privacyIDEA, by default,
//! still takes a code six periods old, so codes sent to one server may log in at another
//! that holds the same account. So nothing is sent unless the user ticked the account,
//! listed by name, when registering; and the offer is marked as gone before it goes, so it
//! goes once, whatever the server answers.

use super::Vault;
use crate::container::Candidate;
use crate::error::{Error, Result};
use crate::otp::{OtpKind, code_at};

/// An account a registration may offer: its id and what the user knows it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferableAccount {
    pub id: String,
    pub issuer: String,
    pub name: String,
}

impl Vault {
    /// The accounts a container of `issuer` may be offered, for the user to choose from: the
    /// time-based accounts set up by hand (no container manages them) whose issuer is the
    /// container's. HOTP accounts never are: their next codes would work wherever they went.
    /// The issuer is the server's word only, so it proposes; the user decides.
    pub fn offerable_accounts(&self, issuer: &str) -> Result<Vec<OfferableAccount>> {
        let unmanaged = self.db.unmanaged_account_ids()?;
        Ok(self
            .accounts()?
            .into_iter()
            .filter(|account| {
                matches!(account.params.kind, OtpKind::Totp { .. })
                    && unmanaged.contains(&account.id)
                    && account.issuer.eq_ignore_ascii_case(issuer)
            })
            .map(|account| OfferableAccount {
                id: account.id,
                issuer: account.issuer,
                name: account.name,
            })
            .collect())
    }

    /// The user's choice for a container of `issuer`, as stored: every id must be one of
    /// the accounts offered to choose from.
    pub(super) fn checked_offer(&self, issuer: &str, chosen: &[String]) -> Result<String> {
        let offerable = self.offerable_accounts(issuer)?;
        if let Some(other) = chosen
            .iter()
            .find(|id| !offerable.iter().any(|a| &a.id == *id))
        {
            return Err(Error::InvalidParameter {
                param: "offer",
                reason: format!("{other} is not an account this container may be offered"),
            });
        }
        Ok(serde_json::json!(chosen).to_string())
    }

    /// What this sync may send for the accounts the user chose: two consecutive codes of
    /// each, from a minute and more ago (privacyIDEA searches ten periods around now), the
    /// first time it is asked only. The offer is recorded as gone before it is returned.
    pub fn take_offer(&mut self, container_id: &str, now: u64) -> Result<Vec<Candidate>> {
        let Some(offer) = self.db.take_offer(container_id, now)? else {
            return Ok(Vec::new());
        };
        // A damaged offer is no offer: nothing is sent.
        let chosen: Vec<String> = serde_json::from_str(&offer).unwrap_or_default();
        let unmanaged = self.db.unmanaged_account_ids()?;
        let mut candidates = Vec::new();
        for account in self.accounts()? {
            let OtpKind::Totp { period } = account.params.kind else {
                continue;
            };
            // Chosen, and not taken by another container since.
            if !chosen.contains(&account.id) || !unmanaged.contains(&account.id) {
                continue;
            }
            let secret = self.secret(&account.id)?;
            let period = u64::from(period);
            let codes = [
                code_at(&account.params, &secret, now.saturating_sub(3 * period)),
                code_at(&account.params, &secret, now.saturating_sub(2 * period)),
            ];
            candidates.push(Candidate {
                account_id: account.id.clone(),
                tokentype: "totp",
                codes,
            });
        }
        Ok(candidates)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::{ContainerKey, ContainerLink};
    use crate::otp::{AccountDraft, OtpParams, SecretKey};
    use crate::vault::MemoryStore;

    const LINK: &str = "pia://container/SMPH1?issuer=privacyIDEA&ttl=10&nonce=abc&time=2026-12-02T09%3A14%3A07%2B00%3A00&url=https%3A//pi.corp.test/&serial=SMPH1&key_algorithm=secp384r1&hash_algorithm=SHA256&ssl_verify=True&passphrase=&send_passphrase=False";
    const NOW: u64 = 1_800_000_000;

    /// A vault holding, set up by hand: two privacyIDEA TOTP accounts, a GitHub one, and a
    /// privacyIDEA HOTP one; their ids in that order.
    fn vault_with_accounts() -> (Vault, [String; 4], tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let mut vault = Vault::open(
            &dir.path().join("pocket.sqlite"),
            Box::new(MemoryStore::default()),
        )
        .unwrap();
        let hotp = OtpParams {
            kind: OtpKind::Hotp { counter: 0 },
            ..OtpParams::default_totp()
        };
        let mut add = |issuer: &str, name: &str, params: OtpParams| {
            let secret = SecretKey::from_bytes(format!("{name:-<20}").into_bytes()).unwrap();
            let draft = AccountDraft::new(issuer, name, secret, params).unwrap();
            vault.add(draft, NOW).unwrap().id
        };
        let ids = [
            add("privacyIDEA", "alice", OtpParams::default_totp()),
            add("PrivacyIDEA", "alice-admin", OtpParams::default_totp()),
            add("GitHub", "alice", OtpParams::default_totp()),
            add("privacyIDEA", "alice-hotp", hotp),
        ];
        (vault, ids, dir)
    }

    #[test]
    fn only_hand_added_time_based_accounts_of_the_issuer_are_proposed() {
        let (vault, [alice, admin, _, _], _dir) = vault_with_accounts();
        let proposed: Vec<String> = vault
            .offerable_accounts("privacyIDEA")
            .unwrap()
            .into_iter()
            .map(|a| a.id)
            .collect();
        assert_eq!(proposed, [alice, admin]);
    }

    #[test]
    fn nothing_is_offered_without_a_choice_and_a_choice_goes_once() {
        let (mut vault, [alice, ..], _dir) = vault_with_accounts();
        let link = ContainerLink::parse(LINK).unwrap();

        // Registered without a choice: no code ever leaves, first sync or later.
        let unasked = vault
            .begin_container(&link, &ContainerKey::generate(), &[], NOW)
            .unwrap();
        vault
            .finish_container(&unasked, &Default::default())
            .unwrap();
        assert!(vault.take_offer(&unasked, NOW).unwrap().is_empty());
        assert!(vault.take_offer(&unasked, NOW + 600).unwrap().is_empty());

        // One account chosen: its codes go with the first sync only, whatever came back.
        let chosen = vault
            .begin_container(
                &link,
                &ContainerKey::generate(),
                std::slice::from_ref(&alice),
                NOW,
            )
            .unwrap();
        vault
            .finish_container(&chosen, &Default::default())
            .unwrap();
        let offered = vault.take_offer(&chosen, NOW).unwrap();
        assert_eq!(
            offered.iter().map(|c| &c.account_id).collect::<Vec<_>>(),
            [&alice]
        );
        let secret = SecretKey::from_bytes(format!("{:-<20}", "alice").into_bytes()).unwrap();
        let params = OtpParams::default_totp();
        assert_eq!(
            offered[0].codes,
            [
                code_at(&params, &secret, NOW - 90),
                code_at(&params, &secret, NOW - 60)
            ]
        );
        assert!(vault.take_offer(&chosen, NOW + 600).unwrap().is_empty());
    }

    #[test]
    fn a_choice_outside_the_proposed_accounts_is_refused_and_nothing_is_stored() {
        let (mut vault, [_, _, github, hotp], _dir) = vault_with_accounts();
        let link = ContainerLink::parse(LINK).unwrap();
        for other in [github, hotp, "no-such-account".to_string()] {
            match vault.begin_container(&link, &ContainerKey::generate(), &[other], NOW) {
                Err(Error::InvalidParameter { param: "offer", .. }) => {}
                refused => panic!("{refused:?}"),
            }
        }
        assert!(vault.db.pending_container_ids().unwrap().is_empty());
    }
}
