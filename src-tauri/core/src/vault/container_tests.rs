use std::sync::Arc;

use super::*;
use crate::container::{AccountSerial, ContainerLink, Held, SyncPlan};
use crate::otp::{AccountDraft, OtpParams, SecretKey};
use crate::vault::{MemoryStore, Vault};

const LINK: &str = "pia://container/SMPH1?issuer=privacyIDEA&ttl=10&nonce=abc&time=2026-12-02T09%3A14%3A07%2B00%3A00&url=http%3A//127.0.0.1%3A5055/&serial=SMPH1&key_algorithm=secp384r1&hash_algorithm=SHA256&ssl_verify=False&passphrase=&send_passphrase=False";

fn draft(name: &str) -> AccountDraft {
    let secret = SecretKey::from_bytes(format!("{name:-<20}").into_bytes()).unwrap();
    AccountDraft::new("privacyIDEA", name, secret, OtpParams::default_totp()).unwrap()
}

fn registered(policies: ContainerPolicies) -> (Vault, Arc<MemoryStore>, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let mut vault =
        Vault::open(&dir.path().join("pocket.sqlite"), Box::new(store.clone())).unwrap();
    let link = ContainerLink::parse(LINK).unwrap();
    let id = vault
        .begin_container(&link, &ContainerKey::generate(), &[], 0)
        .unwrap();
    vault.finish_container(&id, &policies).unwrap();
    (vault, store, id, dir)
}

fn adding(serials: &[&str]) -> SyncPlan {
    SyncPlan {
        add_accounts: serials.iter().map(|s| (s.to_string(), draft(s))).collect(),
        ..Default::default()
    }
}

#[test]
fn a_sync_is_applied_whole_or_not_at_all() {
    let (mut vault, store, id, _dir) = registered(ContainerPolicies::default());
    let policies = ContainerPolicies::default();

    // The keychain refuses: nothing is added, nothing half-written stays.
    store.set_locked(true);
    let error = vault
        .apply_sync(&id, &adding(&["TOTP1", "TOTP2"]), &policies, 10)
        .unwrap_err();
    assert_eq!(error.code(), "keychain_locked");
    store.set_locked(false);
    assert!(vault.accounts().unwrap().is_empty());
    assert!(vault.members(&id).unwrap().is_empty());
    assert_eq!(vault.reconcile().unwrap().unfinished_adds_undone, 0);
    assert_eq!(vault.container(&id).unwrap().last_sync_at, None);

    let applied = vault
        .apply_sync(&id, &adding(&["TOTP1", "TOTP2"]), &policies, 10)
        .unwrap();
    assert_eq!(applied.added, 2);
    let members = vault.members(&id).unwrap();
    assert_eq!(
        members
            .iter()
            .map(|m| m.serial.as_str())
            .collect::<Vec<_>>(),
        ["TOTP1", "TOTP2"]
    );
    assert_eq!(vault.accounts().unwrap().len(), 2);
    assert_eq!(vault.container(&id).unwrap().last_sync_at, Some(10));

    // The server dropped one: it goes, secret and all.
    let gone = members[0].held.clone();
    let plan = SyncPlan {
        removed: vec![gone],
        ..Default::default()
    };
    assert_eq!(
        vault.apply_sync(&id, &plan, &policies, 20).unwrap().removed,
        1
    );
    assert_eq!(vault.accounts().unwrap().len(), 1);
    assert_eq!(store.len(), 2, "the container key and one account's secret");
}

#[test]
fn the_servers_policy_decides_whether_the_user_may_delete_a_managed_token() {
    let forbidding = ContainerPolicies {
        disable_client_token_deletion: true,
        ..Default::default()
    };
    let (mut vault, _store, id, _dir) = registered(forbidding.clone());
    vault
        .apply_sync(&id, &adding(&["TOTP1"]), &forbidding, 10)
        .unwrap();
    let account = vault.accounts().unwrap().remove(0);
    assert_eq!(
        vault.remove(&account.id).unwrap_err().code(),
        "managed_by_server"
    );
    // Once the server allows it, the phone may.
    vault
        .apply_sync(&id, &SyncPlan::default(), &ContainerPolicies::default(), 20)
        .unwrap();
    vault.remove(&account.id).unwrap();
    assert!(vault.members(&id).unwrap().is_empty());
}

#[test]
fn the_users_own_account_that_joined_stays_theirs_to_delete_whatever_the_policy() {
    let forbidding = ContainerPolicies {
        disable_client_token_deletion: true,
        ..Default::default()
    };
    let (mut vault, _store, id, _dir) = registered(forbidding.clone());
    let mine = vault.add(draft("mine"), 0).unwrap();
    let joining = SyncPlan {
        joined: vec![AccountSerial {
            account_id: mine.id.clone(),
            serial: "TOTP9".into(),
            tokentype: "totp".into(),
        }],
        ..adding(&["TOTP1"])
    };
    vault.apply_sync(&id, &joining, &forbidding, 10).unwrap();
    let theirs = vault
        .accounts()
        .unwrap()
        .into_iter()
        .find(|a| a.id != mine.id)
        .unwrap();
    assert_eq!(
        vault.remove(&theirs.id).unwrap_err().code(),
        "managed_by_server"
    );
    vault.remove(&mine.id).unwrap();
    assert_eq!(vault.accounts().unwrap().len(), 1);
}

#[test]
fn letting_go_of_a_container_keeps_or_removes_its_tokens() {
    let policies = ContainerPolicies::default();
    let (mut vault, store, id, _dir) = registered(policies.clone());
    vault
        .apply_sync(&id, &adding(&["TOTP1"]), &policies, 10)
        .unwrap();
    vault.remove_container(&id, false).unwrap();
    assert_eq!(
        vault.accounts().unwrap().len(),
        1,
        "kept as the phone's own"
    );
    assert_eq!(store.len(), 1, "the container's key went");
    assert_eq!(
        vault.container(&id).unwrap_err().code(),
        "container_not_found"
    );

    let (mut vault, store, id, _dir) = registered(policies.clone());
    vault
        .apply_sync(&id, &adding(&["TOTP1"]), &policies, 10)
        .unwrap();
    vault.remove_container(&id, true).unwrap();
    assert!(vault.accounts().unwrap().is_empty());
    assert!(store.is_empty());
}

#[test]
fn an_interrupted_registration_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let path = dir.path().join("pocket.sqlite");
    let mut vault = Vault::open(&path, Box::new(store.clone())).unwrap();
    let link = ContainerLink::parse(LINK).unwrap();
    vault
        .begin_container(&link, &ContainerKey::generate(), &[], 0)
        .unwrap();
    drop(vault);
    let mut vault = Vault::open(&path, Box::new(store.clone())).unwrap();
    assert_eq!(
        vault.reconcile().unwrap().unfinished_registrations_cleared,
        1
    );
    assert!(vault.containers().unwrap().is_empty());
    assert!(store.is_empty());
}

#[test]
fn the_users_own_accounts_leave_a_container_but_are_never_deleted_by_it() {
    let policies = ContainerPolicies::default();
    let (mut vault, _store, id, _dir) = registered(policies.clone());
    let mine = vault.add(draft("mine"), 0).unwrap();
    let joining = SyncPlan {
        joined: vec![AccountSerial {
            account_id: mine.id.clone(),
            serial: "TOTP9".into(),
            tokentype: "totp".into(),
        }],
        ..Default::default()
    };
    vault.apply_sync(&id, &joining, &policies, 10).unwrap();
    let members = vault.members(&id).unwrap();
    assert!(members[0].joined, "{members:?}");
    // The container goes, with the tokens it gave: the user's own account stays.
    vault
        .apply_sync(&id, &adding(&["TOTP1"]), &policies, 20)
        .unwrap();
    vault.remove_container(&id, true).unwrap();
    let left: Vec<String> = vault
        .accounts()
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(left, std::slice::from_ref(&mine.id));

    // Released by a sync: out of the container, still here.
    let (mut vault, _store, id, _dir) = registered(policies.clone());
    let mine = vault.add(draft("mine"), 0).unwrap();
    vault
        .apply_sync(
            &id,
            &SyncPlan {
                joined: vec![AccountSerial {
                    account_id: mine.id.clone(),
                    serial: "TOTP9".into(),
                    tokentype: "totp".into(),
                }],
                ..Default::default()
            },
            &policies,
            10,
        )
        .unwrap();
    let releasing = SyncPlan {
        released: vec![Held::Account(mine.id.clone())],
        ..Default::default()
    };
    vault.apply_sync(&id, &releasing, &policies, 20).unwrap();
    assert!(vault.members(&id).unwrap().is_empty());
    assert_eq!(vault.accounts().unwrap().len(), 1);
}
