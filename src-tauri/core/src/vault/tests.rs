use std::sync::Arc;

use super::*;
use crate::otp::{OtpParams, SecretKey, code_at, parse_uri};

/// An account of issuer "Corp" whose secret is derived from its name, so names differ in both.
fn draft(name: &str) -> AccountDraft {
    let secret = SecretKey::from_bytes(format!("{name:-<20}").into_bytes()).unwrap();
    AccountDraft::new("Corp", name, secret, OtpParams::default_totp()).unwrap()
}

fn open(dir: &tempfile::TempDir, store: &Arc<MemoryStore>) -> Vault {
    Vault::open(&dir.path().join("pocket.sqlite"), Box::new(store.clone())).unwrap()
}

#[test]
fn accounts_survive_reopening_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let mut vault = open(&dir, &store);
    let alice = vault.add(draft("alice"), 100).unwrap();
    let bob = vault.add(draft("bob"), 100).unwrap();
    drop(vault);

    let mut vault = open(&dir, &store);
    let names: Vec<_> = vault
        .accounts()
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names, ["alice", "bob"]);
    assert_eq!(vault.accounts().unwrap()[0], alice);
    let expected = code_at(&OtpParams::default_totp(), &draft("bob").secret, 59);
    assert_eq!(vault.code(&bob.id, 59).unwrap().current, expected);
}

#[test]
fn removing_deletes_the_secret_too() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let mut vault = open(&dir, &store);
    let account = vault.add(draft("alice"), 0).unwrap();
    assert_eq!(store.len(), 1);
    vault.remove(&account.id).unwrap();
    assert!(store.is_empty());
    assert!(vault.accounts().unwrap().is_empty());
    assert_eq!(
        vault.remove(&account.id).unwrap_err().code(),
        "account_not_found"
    );
    assert_eq!(
        vault.code(&account.id, 0).unwrap_err().code(),
        "account_not_found"
    );
}

#[test]
fn a_locked_keychain_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let mut vault = open(&dir, &store);
    let kept = vault.add(draft("kept"), 0).unwrap();

    store.set_locked(true);
    assert_eq!(
        vault.add(draft("new"), 0).unwrap_err().code(),
        "keychain_locked"
    );
    assert_eq!(
        vault.remove(&kept.id).unwrap_err().code(),
        "keychain_locked"
    );
    store.set_locked(false);

    assert_eq!(vault.accounts().unwrap(), [kept]);
    assert_eq!(store.len(), 1);
}

#[test]
fn reconcile_finishes_what_a_crash_interrupted() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let mut vault = open(&dir, &store);
    let kept = vault.add(draft("kept"), 0).unwrap();
    let removing = vault.add(draft("removing"), 0).unwrap();
    // A crash after the row was marked for removal, before the keychain was touched.
    vault
        .db
        .set_state(&removing.id, AccountState::Deleting)
        .unwrap();
    // A crash after the secret was written, before the row became active.
    let half_added = Account {
        id: "half".into(),
        ..kept.clone()
    };
    vault.db.insert_pending(&half_added, 0).unwrap();
    store.put("half", &draft("x").secret).unwrap();
    drop(vault);

    let mut vault = open(&dir, &store);
    let report = vault.reconcile().unwrap();
    assert_eq!(
        report,
        ReconcileReport {
            unfinished_adds_undone: 1,
            unfinished_removals_completed: 1,
            unfinished_push_tokens_cleared: 0,
            unfinished_registrations_cleared: 0,
        }
    );
    assert_eq!(vault.accounts().unwrap(), std::slice::from_ref(&kept));
    assert_eq!(store.len(), 1);
    assert!(store.get(&kept.id).is_ok());
    assert_eq!(vault.reconcile().unwrap(), ReconcileReport::default());
}

#[test]
fn a_database_from_a_newer_pocket_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pocket.sqlite");
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let err = Vault::open(&path, Box::new(MemoryStore::default()))
        .err()
        .unwrap();
    assert_eq!(err.code(), "database_too_new");
}

#[test]
fn steam_accounts_are_stored_as_steam() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let mut vault = open(&dir, &store);
    let steam = parse_uri("otpauth://totp/Steam:gamer?secret=JBSWY3DP&issuer=Steam").unwrap();
    vault.add(steam, 0).unwrap();
    drop(vault);
    let vault = open(&dir, &store);
    assert_eq!(vault.accounts().unwrap()[0].params, OtpParams::steam());
}

#[test]
fn an_imported_icon_is_kept_listed_exported_and_removed_with_its_account() {
    use crate::otp::{AccountIcon, ImageFormat};
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let mut vault = open(&dir, &store);
    let picture = AccountIcon::image("image/png", b"\x89PNG\r\n\x1a\n rest".to_vec()).unwrap();
    let label = AccountIcon::label("LB", "#3949ab").unwrap();
    let with_picture = vault
        .add(draft("alice").with_icon(Some(picture.clone())), 0)
        .unwrap();
    let with_label = vault
        .add(draft("bob").with_icon(Some(label.clone())), 0)
        .unwrap();
    let plain = vault.add(draft("carol"), 0).unwrap();
    drop(vault);

    let mut vault = open(&dir, &store);
    let listed = vault.listed_icons().unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(
        listed[&with_picture.id],
        ListedIcon::Image(ImageFormat::Png)
    );
    assert_eq!(
        listed[&with_label.id],
        ListedIcon::Label {
            text: "LB".into(),
            colour: "#3949ab".into()
        }
    );
    assert_eq!(vault.icon(&with_picture.id).unwrap(), Some(picture.clone()));
    assert_eq!(vault.icon(&plain.id).unwrap(), None);
    let exported: Vec<_> = vault
        .export()
        .unwrap()
        .into_iter()
        .map(|d| d.icon)
        .collect();
    assert_eq!(exported, [Some(picture), Some(label), None]);

    vault.remove(&with_picture.id).unwrap();
    assert_eq!(vault.icon(&with_picture.id).unwrap(), None);
    assert_eq!(vault.listed_icons().unwrap().len(), 1);
}

#[test]
fn the_same_issuer_and_secret_is_not_added_twice() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let mut vault = open(&dir, &store);
    vault.add(draft("alice"), 0).unwrap();
    // Same issuer and secret under another name: still the same account.
    let renamed = AccountDraft {
        name: "renamed".into(),
        ..draft("alice")
    };
    assert!(vault.contains(&renamed).unwrap());
    assert_eq!(
        vault.add(renamed, 0).unwrap_err().code(),
        "duplicate_account"
    );
    let mut other_issuer = draft("alice");
    other_issuer.issuer = "Other".into();
    assert!(!vault.contains(&other_issuer).unwrap());
    vault.add(other_issuer, 0).unwrap();
    assert_eq!(vault.accounts().unwrap().len(), 2);
}

mod push {
    use super::*;
    use crate::push::{PushRequest, SigningKey, parse_enrollment};
    use crate::vault::Outcome;

    const ENROLLMENT: &str = "otpauth://pipush/PIPU0001?url=https%3A//mfa.example.com/ttype/push&ttl=10&issuer=Corp&enrollment_credential=abc&v=1&serial=PIPU0001&sslverify=1&poll_only=True";

    fn request(nonce: &str, received_at: u64) -> PushRequest {
        PushRequest {
            serial: "PIPU0001".into(),
            nonce: nonce.into(),
            title: "Corp".into(),
            question: "Log in?".into(),
            presence_options: vec![],
            takes_decline_reason: false,
            received_at,
            expires_at: received_at + 120,
        }
    }

    #[test]
    fn enrollment_is_two_steps_and_leaves_nothing_when_abandoned() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(MemoryStore::default());
        let mut vault = open(&dir, &store);
        let enrollment = parse_enrollment(ENROLLMENT).unwrap();
        let key = SigningKey::generate(crate::push::MIN_KEY_BITS).unwrap();

        let failed = vault.begin_push_enrollment(&enrollment, &key, 0).unwrap();
        assert!(
            vault.push_tokens().unwrap().is_empty(),
            "a pending token is not listed"
        );
        vault.abandon_push_enrollment(&failed).unwrap();
        assert!(store.is_empty());

        let id = vault.begin_push_enrollment(&enrollment, &key, 0).unwrap();
        let stored = vault
            .finish_push_enrollment(&id, &key.verifying_key())
            .unwrap();
        assert_eq!(stored.token.serial, "PIPU0001");
        assert!(vault.has_push_token("PIPU0001", &enrollment.url).unwrap());
        drop(vault);
        let mut vault = open(&dir, &store);
        assert_eq!(vault.push_tokens().unwrap(), std::slice::from_ref(&stored));
        let again = vault.device_key(&id).unwrap();
        assert_eq!(
            again.public_key_base64().unwrap(),
            key.public_key_base64().unwrap()
        );

        vault.remove_push_token(&id).unwrap();
        assert!(store.is_empty() && vault.push_tokens().unwrap().is_empty());
    }

    #[test]
    fn reconcile_clears_an_interrupted_enrollment() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(MemoryStore::default());
        let mut vault = open(&dir, &store);
        let key = SigningKey::generate(crate::push::MIN_KEY_BITS).unwrap();
        vault
            .begin_push_enrollment(&parse_enrollment(ENROLLMENT).unwrap(), &key, 0)
            .unwrap();
        drop(vault);
        let mut vault = open(&dir, &store);
        assert_eq!(vault.reconcile().unwrap().unfinished_push_tokens_cleared, 1);
        assert!(store.is_empty());
    }

    #[test]
    fn requests_are_recorded_once_and_settled_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(MemoryStore::default());
        let mut vault = open(&dir, &store);
        let key = SigningKey::generate(crate::push::MIN_KEY_BITS).unwrap();
        let id = vault
            .begin_push_enrollment(&parse_enrollment(ENROLLMENT).unwrap(), &key, 0)
            .unwrap();
        let token = vault
            .finish_push_enrollment(&id, &key.verifying_key())
            .unwrap();

        assert!(vault.record_request(&token, &request("n1", 100)).unwrap());
        assert!(
            !vault.record_request(&token, &request("n1", 103)).unwrap(),
            "a duplicate is dropped"
        );
        assert!(vault.record_request(&token, &request("n2", 200)).unwrap());
        assert!(
            vault
                .settle_request(&id, "n1", Outcome::Accepted, "", 110)
                .unwrap()
        );
        assert!(
            !vault
                .settle_request(&id, "n1", Outcome::Declined, "", 111)
                .unwrap(),
            "answered once"
        );
        assert_eq!(vault.expire_requests(330).unwrap(), 1);

        let history = vault.request_history(10).unwrap();
        let outcomes: Vec<_> = history
            .iter()
            .map(|r| (r.nonce.as_str(), r.outcome))
            .collect();
        assert_eq!(
            outcomes,
            [("n2", Outcome::Expired), ("n1", Outcome::Accepted)]
        );
        assert_eq!(history[1].answered_at, Some(110));
    }
}

#[test]
fn hotp_codes_move_the_saved_counter_on_before_they_are_shown() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let mut vault = open(&dir, &store);
    // RFC 4226 Appendix D's secret; its codes for counters 0, 1, 2.
    let rfc =
        parse_uri("otpauth://hotp/RFC:4226?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0")
            .unwrap();
    let account = vault.add(rfc, 0).unwrap();
    assert_eq!(
        vault.code(&account.id, 0).unwrap_err().code(),
        "counter_based"
    );
    assert_eq!(vault.next_code(&account.id).unwrap().current, "755224");
    assert_eq!(vault.next_code(&account.id).unwrap().current, "287082");
    // Reopened (a crash, a restart): the counter was saved, no code comes twice.
    drop(vault);
    let mut vault = open(&dir, &store);
    assert_eq!(vault.next_code(&account.id).unwrap().current, "359152");
    let totp = vault.add(draft("totp"), 0).unwrap();
    // A time-based account has no "next code": said as such, not as a bad counter.
    assert_eq!(
        vault.next_code(&totp.id).unwrap_err().code(),
        "not_counter_based"
    );
}

#[test]
fn renaming_and_reordering_keep_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let mut vault = open(&dir, &store);
    let a = vault.add(draft("a"), 0).unwrap();
    let b = vault.add(draft("b"), 0).unwrap();
    let c = vault.add(draft("c"), 0).unwrap();
    let before = vault.code(&b.id, 1000).unwrap();
    let renamed = vault.rename(&b.id, " New Corp ", "bee").unwrap();
    assert_eq!(
        (renamed.issuer.as_str(), renamed.name.as_str()),
        ("New Corp", "bee")
    );
    assert_eq!(vault.code(&b.id, 1000).unwrap(), before);
    assert_eq!(
        vault.rename(&b.id, " ", "").unwrap_err().code(),
        "missing_label"
    );
    assert_eq!(
        vault.rename("nope", "x", "y").unwrap_err().code(),
        "account_not_found"
    );

    vault.reorder(&[c.id.clone(), a.id.clone()]).unwrap();
    drop(vault);
    let vault = open(&dir, &store);
    let order: Vec<_> = vault
        .accounts()
        .unwrap()
        .into_iter()
        .map(|x| x.id)
        .collect();
    assert_eq!(order, [c.id, a.id, b.id]);
}

#[test]
fn imports_skip_duplicates_and_exports_bring_the_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let mut vault = open(&dir, &store);
    vault.add(draft("alice"), 0).unwrap();
    let summary = vault.import(vec![draft("alice"), draft("bob"), draft("carol")], 0);
    assert_eq!(summary.added.len(), 2);
    assert_eq!(summary.duplicates, ["Corp (alice)"]);
    assert!(summary.failed.is_empty());
    let exported = vault.export().unwrap();
    assert_eq!(exported, vec![draft("alice"), draft("bob"), draft("carol")]);

    // A locked keychain: nothing more is written, and every account says why: locked, not
    // "unavailable".
    store.set_locked(true);
    let summary = vault.import(vec![draft("dave"), draft("erin")], 0);
    assert!(summary.added.is_empty());
    let codes: Vec<_> = summary.failed.iter().map(|(_, e)| e.code()).collect();
    assert_eq!(codes, ["keychain_locked", "keychain_locked"]);
    store.set_locked(false);
    assert_eq!(vault.accounts().unwrap().len(), 3);
}

#[cfg(unix)]
#[test]
fn the_data_folder_and_the_database_files_are_for_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let home = tempfile::tempdir().unwrap();
    // As a home folder usually is: readable by everyone.
    std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let data = home.path().join("app.pocketauth.pocket");
    let db = data.join("pocket.sqlite");
    let store = Arc::new(MemoryStore::default());
    let mut vault = Vault::open(&db, Box::new(store.clone())).unwrap();
    vault.add(draft("alice"), 0).unwrap();
    let wal = data.join("pocket.sqlite-wal");
    let shm = data.join("pocket.sqlite-shm");
    assert!(wal.exists() && shm.exists());
    assert_eq!(mode(&data), 0o700);
    for file in [&db, &wal, &shm] {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
    drop(vault);

    // Files an older Pocket left readable by all are made private when the vault opens.
    for file in [&db, &wal, &shm] {
        if file.exists() {
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
    }
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let _vault = Vault::open(&db, Box::new(store)).unwrap();
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&db), 0o600);
}

#[test]
fn forgotten_secrets_are_read_from_the_keychain_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let mut vault = open(&dir, &store);
    let alice = vault.add(draft("alice"), 100).unwrap();
    // Read once, the secret is in memory: a keychain that locks meanwhile does not matter.
    store.set_locked(true);
    assert!(vault.code(&alice.id, 100).is_ok());
    vault.forget_secrets();
    let error = vault.code(&alice.id, 100).unwrap_err();
    assert_eq!(error.code(), "keychain_locked");
    store.set_locked(false);
    assert!(vault.code(&alice.id, 100).is_ok());
}
