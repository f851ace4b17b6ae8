//! What a verified sync reply means for the phone, worked out before anything is written: which
//! tokens come, which stay (with new counters), which go, and which accounts the phone held
//! before join the container. Pure: the vault applies the plan in one transaction.

use std::collections::HashSet;

use super::wire::{ClientToken, ContainerPolicies, ServerDict, ServerToken, link_serial};
use crate::error::Error;
use crate::otp::{AccountDraft, OtpKind};

/// Most tokens one sync may bring; a server sending more is not a container anyone uses.
pub const MAX_TOKENS_PER_SYNC: usize = 1000;
/// Most push tokens one sync sets up: each costs an RSA key and a rollout.
pub const MAX_PUSH_PER_SYNC: usize = 20;
/// Most tokens one container holds on the phone, and most push tokens among them: a server
/// cannot fill the phone sync after sync. What comes beyond is skipped, with why.
pub const MAX_CONTAINER_TOKENS: usize = 200;
pub const MAX_CONTAINER_PUSH: usize = 20;

/// A token of the container on the phone: a code account or a push token.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Held {
    Account(String),
    Push(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub serial: String,
    pub tokentype: String,
    pub held: Held,
    /// The user's own account, which joined when the server recognised its codes: when the
    /// server lets go of it, it goes back to being the phone's own, never deleted.
    pub joined: bool,
}

/// An account the phone had before, offered to the server by two consecutive codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub account_id: String,
    pub tokentype: &'static str,
    pub codes: [String; 2],
}

/// The phone's list for the server: its members by serial, the candidates by their codes.
pub fn client_tokens(members: &[Member], candidates: &[Candidate]) -> Vec<ClientToken> {
    members
        .iter()
        .map(|m| ClientToken::Known {
            serial: m.serial.clone(),
            tokentype: m.tokentype.clone(),
        })
        .chain(candidates.iter().map(|c| ClientToken::Codes {
            otp: c.codes.clone(),
            tokentype: c.tokentype.to_string(),
        }))
        .collect()
}

/// The token type the protocol names for a code account.
pub fn tokentype(kind: &OtpKind) -> Option<&'static str> {
    match kind {
        OtpKind::Totp { .. } => Some("totp"),
        OtpKind::Hotp { .. } => Some("hotp"),
        OtpKind::Steam => None,
    }
}

/// An account the container holds, under the serial and token type the server knows it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSerial {
    pub account_id: String,
    pub serial: String,
    pub tokentype: String,
}

/// What a sync changes. Its `Debug` counts: the links it holds carry secrets.
#[derive(Default)]
pub struct SyncPlan {
    /// New code accounts, by serial.
    pub add_accounts: Vec<(String, AccountDraft)>,
    /// New push tokens' enrollment links, by serial; each needs its rollout.
    pub add_push: Vec<(String, String)>,
    /// Tokens whose serial came again with new secrets (a rollover): the old ones go once
    /// the new ones are in.
    pub replaced: Vec<Held>,
    /// HOTP counters to move forward to the server's.
    pub counters: Vec<(String, u64)>,
    /// Accounts the server recognised by their codes.
    pub joined: Vec<AccountSerial>,
    /// Tokens the server no longer lists.
    pub removed: Vec<Held>,
    /// The user's own accounts the server let go of: they leave the container and stay.
    pub released: Vec<Held>,
    /// Tokens the server no longer lists that stay, because its policy forbids the phone to
    /// delete them.
    pub kept_by_policy: usize,
    /// Links that could not be used, with why (a token type Pocket does not have).
    pub skipped: Vec<(String, Error)>,
}

impl std::fmt::Debug for SyncPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncPlan")
            .field("add_accounts", &self.add_accounts.len())
            .field("add_push", &self.add_push.len())
            .field("replaced", &self.replaced)
            .field("counters", &self.counters)
            .field("joined", &self.joined)
            .field("removed", &self.removed)
            .field("released", &self.released)
            .field("kept_by_policy", &self.kept_by_policy)
            .field("skipped", &self.skipped)
            .finish()
    }
}

/// How far the phone trusts what a sync says to delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deletion {
    /// The connection was checked: the server's word removes its tokens.
    Trusted,
    /// The user accepted an unchecked connection: anyone on the way could have written the
    /// reply, so nothing is deleted for it; tokens it drops stay as the phone's own.
    Released,
}

pub fn plan(
    members: &[Member],
    candidates: &[Candidate],
    dict: ServerDict,
    policies: &ContainerPolicies,
    deletion: Deletion,
) -> Result<SyncPlan, Error> {
    let tokens = dict.tokens;
    if tokens.add.len() + tokens.update.len() > MAX_TOKENS_PER_SYNC {
        return Err(Error::ServerReply(format!(
            "the server sent more than {MAX_TOKENS_PER_SYNC} tokens"
        )));
    }
    let mut planner = Planner {
        members,
        deletion,
        plan: SyncPlan::default(),
        listed: HashSet::new(),
        held: members.len(),
        push_held: members
            .iter()
            .filter(|m| matches!(m.held, Held::Push(_)))
            .count(),
    };
    for link in tokens.add {
        planner.add(link);
    }
    for entry in tokens.update {
        planner.update(&entry, candidates);
    }
    planner.drop_unlisted(policies);
    Ok(planner.plan)
}

/// A sync's plan as it is worked out, with the counts the caps need.
struct Planner<'a> {
    members: &'a [Member],
    deletion: Deletion,
    plan: SyncPlan,
    /// The serials the reply names, in `add` or `update`.
    listed: HashSet<String>,
    /// Tokens the container holds, and push tokens among them, counting what is planned.
    held: usize,
    push_held: usize,
}

impl<'a> Planner<'a> {
    fn member(&self, serial: &str) -> Option<&'a Member> {
        self.members.iter().find(|m| m.serial == serial)
    }

    /// A token the server sends with its secret: new, or a rollover of one held.
    fn add(&mut self, link: String) {
        let Some(serial) = link_serial(&link) else {
            self.plan.skipped.push((
                "?".into(),
                Error::ServerReply("a token came without its serial".into()),
            ));
            return;
        };
        if !self.listed.insert(serial.clone()) {
            return;
        }
        let is_push = crate::push::parse_enrollment(&link).is_ok();
        match self.take(&serial, link, is_push) {
            Ok(()) => match self.member(&serial) {
                // The user's own account is never replaced away, and over a connection anyone
                // could have answered nothing is: the old one is let go instead.
                Some(old) if old.joined || self.deletion == Deletion::Released => {
                    self.plan.released.push(old.held.clone())
                }
                Some(old) => self.plan.replaced.push(old.held.clone()),
                None => {
                    self.held += 1;
                    self.push_held += usize::from(is_push);
                }
            },
            Err(error) => self.plan.skipped.push((serial, error)),
        }
    }

    /// Plans `link` as a new account or push token, within the caps.
    fn take(&mut self, serial: &str, link: String, is_push: bool) -> Result<(), Error> {
        let new = self.member(serial).is_none();
        if new && self.held >= MAX_CONTAINER_TOKENS {
            return Err(Error::ServerReply(format!(
                "more than {MAX_CONTAINER_TOKENS} tokens in one container"
            )));
        }
        if !is_push {
            let draft = crate::otp::parse_uri(&link)?;
            self.plan.add_accounts.push((serial.to_string(), draft));
            return Ok(());
        }
        if new && self.push_held >= MAX_CONTAINER_PUSH {
            return Err(Error::ServerReply(format!(
                "more than {MAX_CONTAINER_PUSH} push tokens in one container"
            )));
        }
        if self.plan.add_push.len() >= MAX_PUSH_PER_SYNC {
            return Err(Error::ServerReply(format!(
                "more than {MAX_PUSH_PER_SYNC} push tokens at once: the rest come with the next sync"
            )));
        }
        self.plan.add_push.push((serial.to_string(), link));
        Ok(())
    }

    /// A token the server lists without its secret: one held (its HOTP counter may move),
    /// or one of the user's own accounts it recognised by their codes, which joins.
    fn update(&mut self, entry: &ServerToken, candidates: &[Candidate]) {
        self.listed.insert(entry.serial.clone());
        let held = match self.member(&entry.serial) {
            Some(Member {
                held: Held::Account(id),
                ..
            }) => Some(id.clone()),
            Some(_) => None,
            None => self.join(entry, candidates),
        };
        if let (Some(id), Some(counter), true) = (
            held,
            entry.counter,
            entry.tokentype.eq_ignore_ascii_case("hotp"),
        ) {
            self.plan.counters.push((id, counter));
        }
    }

    /// The account whose two codes `entry` names, joined under its serial; one serial per
    /// account, and none the server also sends as new.
    fn join(&mut self, entry: &ServerToken, candidates: &[Candidate]) -> Option<String> {
        let otp = entry.otp.as_ref()?;
        let candidate = candidates
            .iter()
            .find(|c| otp.len() == 2 && c.codes[..] == otp[..])?;
        let taken = self
            .plan
            .joined
            .iter()
            .any(|joined| joined.account_id == candidate.account_id);
        if taken
            || self
                .plan
                .add_accounts
                .iter()
                .any(|(s, _)| *s == entry.serial)
        {
            return None;
        }
        self.plan.joined.push(AccountSerial {
            account_id: candidate.account_id.clone(),
            serial: entry.serial.clone(),
            tokentype: candidate.tokentype.to_string(),
        });
        Some(candidate.account_id.clone())
    }

    /// What the container holds that the reply no longer names.
    fn drop_unlisted(&mut self, policies: &ContainerPolicies) {
        for gone in self
            .members
            .iter()
            .filter(|m| !self.listed.contains(&m.serial))
        {
            if policies.disable_client_token_deletion {
                self.plan.kept_by_policy += 1;
            } else if gone.joined || self.deletion == Deletion::Released {
                self.plan.released.push(gone.held.clone());
            } else {
                self.plan.removed.push(gone.held.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::wire::ServerTokens;

    fn member(serial: &str, held: Held) -> Member {
        Member {
            serial: serial.into(),
            tokentype: "totp".into(),
            held,
            joined: false,
        }
    }

    fn dict(add: &[&str], update: Vec<ServerToken>) -> ServerDict {
        ServerDict {
            tokens: ServerTokens {
                add: add.iter().map(|s| s.to_string()).collect(),
                update,
            },
        }
    }

    fn update(serial: &str, tokentype: &str, counter: Option<u64>) -> ServerToken {
        ServerToken {
            serial: serial.into(),
            tokentype: tokentype.into(),
            counter,
            otp: None,
        }
    }

    const TOTP: &str =
        "otpauth://totp/TOTP0002?secret=JBSWY3DPEHPK3PXP&issuer=privacyIDEA&serial=TOTP0002";
    const PUSH: &str = "otpauth://pipush/PIPU0003?url=http%3A//127.0.0.1%3A5055/ttype/push&ttl=10&issuer=privacyIDEA&enrollment_credential=ab&v=1&serial=PIPU0003&sslverify=0&poll_only=True";

    #[test]
    fn adds_updates_and_removes_what_the_server_says() {
        let members = [
            member("TOTP0001", Held::Account("a1".into())),
            member("HOTP0001", Held::Account("a2".into())),
            member("PIPU0001", Held::Push("p1".into())),
        ];
        let plan = plan(
            &members,
            &[],
            dict(
                &[TOTP, PUSH, "otpauth://daypassword/D?secret=AB&serial=DAYP1"],
                vec![
                    update("HOTP0001", "hotp", Some(7)),
                    update("TOTP0001", "totp", Some(3)),
                ],
            ),
            &ContainerPolicies::default(),
            Deletion::Trusted,
        )
        .unwrap();
        assert_eq!(plan.add_accounts.len(), 1);
        assert_eq!(plan.add_accounts[0].0, "TOTP0002");
        assert_eq!(plan.add_push[0].0, "PIPU0003");
        assert_eq!(plan.counters, [("a2".to_string(), 7)]);
        assert_eq!(plan.removed, [Held::Push("p1".into())]);
        assert_eq!(plan.skipped.len(), 1);
        assert!(plan.replaced.is_empty() && plan.joined.is_empty());
    }

    #[test]
    fn a_policy_against_deleting_keeps_what_the_server_dropped() {
        let members = [member("TOTP0001", Held::Account("a1".into()))];
        let policies = ContainerPolicies {
            disable_client_token_deletion: true,
            ..Default::default()
        };
        let plan = plan(
            &members,
            &[],
            dict(&[], vec![]),
            &policies,
            Deletion::Trusted,
        )
        .unwrap();
        assert!(plan.removed.is_empty());
        assert_eq!(plan.kept_by_policy, 1);
    }

    #[test]
    fn new_secrets_for_a_known_serial_replace_the_old_token() {
        let members = [member("TOTP0002", Held::Account("old".into()))];
        let plan = plan(
            &members,
            &[],
            dict(&[TOTP], vec![]),
            &ContainerPolicies::default(),
            Deletion::Trusted,
        )
        .unwrap();
        assert_eq!(plan.add_accounts.len(), 1);
        assert_eq!(plan.replaced, [Held::Account("old".into())]);
        assert!(plan.removed.is_empty());
    }

    #[test]
    fn an_account_held_before_joins_when_the_server_knows_its_codes() {
        let candidates = [Candidate {
            account_id: "mine".into(),
            tokentype: "hotp",
            codes: ["111111".into(), "222222".into()],
        }];
        let mut entry = update("OATH0001", "hotp", Some(12));
        entry.otp = Some(vec!["111111".into(), "222222".into()]);
        let mut stranger = update("OATH0002", "hotp", Some(1));
        stranger.otp = Some(vec!["333333".into(), "444444".into()]);
        let plan = plan(
            &[],
            &candidates,
            dict(&[], vec![entry, stranger]),
            &ContainerPolicies::default(),
            Deletion::Trusted,
        )
        .unwrap();
        assert_eq!(
            plan.joined,
            [AccountSerial {
                account_id: "mine".into(),
                serial: "OATH0001".into(),
                tokentype: "hotp".into()
            }]
        );
        assert_eq!(plan.counters, [("mine".to_string(), 12)]);
    }

    #[test]
    fn the_users_own_accounts_and_an_unchecked_connection_never_delete_anything() {
        let mut own = member("OATH0001", Held::Account("mine".into()));
        own.joined = true;
        let managed = member("TOTP0001", Held::Account("theirs".into()));
        let renewed = member("TOTP0002", Held::Account("renewed".into()));
        let mut own_renewed = renewed.clone();
        own_renewed.joined = true;
        // Dropped, or sent again with new secrets: the user's own account is let go.
        let plan_of = |members: &[Member], deletion| {
            plan(
                members,
                &[],
                dict(&[TOTP], vec![]),
                &ContainerPolicies::default(),
                deletion,
            )
            .unwrap()
        };
        let trusted = plan_of(&[own.clone(), managed.clone()], Deletion::Trusted);
        assert_eq!(trusted.removed, [Held::Account("theirs".into())]);
        assert_eq!(trusted.released, [Held::Account("mine".into())]);
        let renewing = plan_of(&[own_renewed], Deletion::Trusted);
        assert!(renewing.replaced.is_empty());
        assert_eq!(renewing.released, [Held::Account("renewed".into())]);
        // Over a connection anyone could have answered, nothing is deleted.
        let unchecked = plan_of(&[own, managed], Deletion::Released);
        assert!(unchecked.removed.is_empty());
        assert_eq!(unchecked.released.len(), 2);
    }

    #[test]
    fn a_flood_of_push_tokens_is_set_up_a_few_at_a_time() {
        let links: Vec<String> = (0..MAX_PUSH_PER_SYNC + 5)
            .map(|i| PUSH.replace("PIPU0003", &format!("PIPU{i:04}")))
            .collect();
        let links: Vec<&str> = links.iter().map(String::as_str).collect();
        let plan = plan(
            &[],
            &[],
            dict(&links, vec![]),
            &ContainerPolicies::default(),
            Deletion::Trusted,
        )
        .unwrap();
        assert_eq!(plan.add_push.len(), MAX_PUSH_PER_SYNC);
        assert_eq!(plan.skipped.len(), 5);
    }

    #[test]
    fn a_flood_of_tokens_is_refused() {
        let links: Vec<String> = (0..=MAX_TOKENS_PER_SYNC)
            .map(|i| TOTP.replace("TOTP0002", &format!("T{i}")))
            .collect();
        let links: Vec<&str> = links.iter().map(String::as_str).collect();
        let error = plan(
            &[],
            &[],
            dict(&links, vec![]),
            &ContainerPolicies::default(),
            Deletion::Trusted,
        )
        .unwrap_err();
        assert_eq!(error.code(), "server_reply");
    }

    #[test]
    fn over_an_unchecked_connection_new_secrets_for_a_serial_replace_nothing() {
        // A serial sent again in `add` over a connection anyone could have answered: the
        // account and the push token held stay, let go as the user's own, and none is retired.
        let members = [
            member("TOTP0002", Held::Account("held".into())),
            member("PIPU0003", Held::Push("held-push".into())),
        ];
        let plan = plan(
            &members,
            &[],
            dict(&[TOTP, PUSH], vec![]),
            &ContainerPolicies::default(),
            Deletion::Released,
        )
        .unwrap();
        assert!(plan.replaced.is_empty() && plan.removed.is_empty());
        assert_eq!(
            plan.released,
            [Held::Account("held".into()), Held::Push("held-push".into())]
        );
    }

    #[test]
    fn a_container_cannot_fill_the_phone_sync_after_sync() {
        let full: Vec<Member> = (0..MAX_CONTAINER_TOKENS)
            .map(|i| member(&format!("HELD{i}"), Held::Account(format!("a{i}"))))
            .collect();
        let plan_of = |members: &[Member], links: &[&str]| {
            plan(
                members,
                &[],
                dict(links, vec![]),
                &ContainerPolicies::default(),
                Deletion::Trusted,
            )
            .unwrap()
        };
        let more = plan_of(&full, &[TOTP, PUSH]);
        assert!(more.add_accounts.is_empty() && more.add_push.is_empty());
        assert_eq!(more.skipped.len(), 2);
        assert_eq!(more.skipped[0].1.code(), "server_reply");
        // A token already held may still be renewed.
        let mut renewing = full.clone();
        renewing[0].serial = "TOTP0002".into();
        assert_eq!(plan_of(&renewing, &[TOTP]).add_accounts.len(), 1);

        // Push tokens, each a 4096-bit key, have a smaller limit of their own.
        let pushes: Vec<Member> = (0..MAX_CONTAINER_PUSH)
            .map(|i| member(&format!("PUSH{i}"), Held::Push(format!("p{i}"))))
            .collect();
        let more = plan_of(&pushes, &[PUSH, TOTP]);
        assert!(more.add_push.is_empty());
        assert_eq!(more.add_accounts.len(), 1);
    }
}
