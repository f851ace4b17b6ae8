use super::*;
use crate::otp::{Algorithm, OtpKind, OtpParams, SecretKey};

fn drafts() -> Vec<AccountDraft> {
    let secret = |bytes: &[u8]| SecretKey::from_bytes(bytes.to_vec()).unwrap();
    vec![
        AccountDraft::new(
            "Google",
            "alice@gmail.com",
            secret(&[1; 10]),
            OtpParams::default_totp(),
        )
        .unwrap(),
        AccountDraft::new(
            "Bank — Zürich",
            "bob",
            secret(&[2; 32]),
            OtpParams {
                kind: OtpKind::Totp { period: 60 },
                algorithm: Algorithm::Sha512,
                digits: 8,
            },
        )
        .unwrap(),
        AccountDraft::new("Steam", "carol", secret(&[3; 20]), OtpParams::steam()).unwrap(),
        AccountDraft::new(
            "",
            "counter only",
            secret(&[4; 16]),
            OtpParams {
                kind: OtpKind::Hotp { counter: 41 },
                algorithm: Algorithm::Sha256,
                digits: 7,
            },
        )
        .unwrap(),
    ]
}

#[test]
fn an_encrypted_aegis_export_reads_back_as_the_same_accounts() {
    let accounts = drafts();
    let file = write_aegis(&accounts, "correct horse").unwrap();
    assert!(!file.contains("alice"), "the contents are encrypted");
    let back = read_aegis(&file, Some("correct horse")).unwrap();
    assert!(back.skipped.is_empty(), "{:?}", back.skipped);
    assert_eq!(back.accounts, accounts);
    assert_eq!(
        read_aegis(&file, Some("wrong horse")).unwrap_err().code(),
        "wrong_backup_password"
    );
    assert_eq!(
        read_aegis(&file, None).unwrap_err().code(),
        "backup_password_required"
    );
    assert_eq!(
        write_aegis(&accounts, "").unwrap_err().field(),
        Some("password")
    );
}

#[test]
fn files_are_told_apart_by_content_and_say_whether_they_need_a_password() {
    let encrypted = write_aegis(&drafts(), "a good password").unwrap();
    let plain =
        r#"{"version": 1, "header": {"slots": null, "params": null}, "db": {"entries": []}}"#;
    let links = "otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP\n";
    for (file, name, encrypted) in [
        (encrypted.as_bytes(), "aegis", true),
        (plain.as_bytes(), "aegis", false),
        (links.as_bytes(), "links", false),
    ] {
        let format = identify(file).unwrap();
        assert_eq!(
            (format.name(), format.is_encrypted(file)),
            (name, encrypted)
        );
    }
}

#[test]
fn a_plain_aegis_vault_imports_what_pocket_takes_and_names_the_rest() {
    let vault = r#"{"version": 1, "header": {"slots": null, "params": null}, "db": {"version": 3, "entries": [
        {"type": "totp", "uuid": "1", "name": "alice", "issuer": "ACME", "icon": null,
         "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA256", "digits": 8, "period": 30}},
        {"type": "hotp", "uuid": "2", "name": "bob", "issuer": "",
         "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA1", "digits": 6, "counter": 3}},
        {"type": "yandex", "uuid": "3", "name": "carol", "issuer": "Yandex",
         "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA256", "digits": 8, "period": 30}},
        {"type": "totp", "uuid": "4", "name": "dave", "issuer": "Old",
         "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "MD5", "digits": 6, "period": 30}},
        {"type": "totp", "uuid": "5", "name": "erin", "issuer": "Broken", "info": {"algo": "SHA1"}}
    ], "groups": []}}"#;
    let imported = read_aegis(vault, None).unwrap();
    let names: Vec<_> = imported.accounts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["alice", "bob"]);
    assert_eq!(imported.accounts[0].params.digits, 8);
    assert_eq!(
        imported.accounts[1].params.kind,
        OtpKind::Hotp { counter: 3 }
    );
    let skipped: Vec<_> = imported
        .skipped
        .iter()
        .map(|s| (s.label.as_str(), s.reason.code()))
        .collect();
    assert_eq!(
        skipped,
        [
            ("Yandex (carol)", "unsupported_otp_type"),
            ("Old (dave)", "invalid_parameter"),
            ("Broken (erin)", "invalid_parameter"),
        ]
    );
}

#[test]
fn unknown_and_damaged_files_each_say_so() {
    for text in ["{}", "not json {", "hello\nworld", "{\"entries\": []}"] {
        let error = read_backup(text.as_bytes(), None).unwrap_err();
        assert_eq!(error.code(), "backup_format_unknown", "{text}");
    }
    for text in [
        "{\"version\": 2, \"header\": {}, \"db\": {}}",
        "{\"version\": 1, \"header\": {\"slots\": null, \"params\": null}, \"db\": \"sealed\"}",
    ] {
        let error = read_backup(text.as_bytes(), None).unwrap_err();
        assert_eq!(error.code(), "backup_damaged", "{text}");
    }
    let huge = vec![b' '; MAX_BACKUP_BYTES + 1];
    assert_eq!(
        read_backup(&huge, None).unwrap_err().code(),
        "backup_too_large"
    );
    // Binary: not text, not a format Pocket knows.
    assert_eq!(
        read_backup(&[0xff, 0xfe, 0x00, 0x9c], None)
            .unwrap_err()
            .code(),
        "backup_format_unknown"
    );
}

/// An encrypted Aegis vault whose `slots` password slots all have the given scrypt
/// parameters; none opens it (the test only measures what it costs to try).
fn vault_with_slots(slots: usize, n: u64, r: u32, p: u32) -> String {
    let slot = serde_json::json!({"type": 1, "uuid": "x", "key": "00",
        "key_params": {"nonce": "000000000000000000000000", "tag": "00000000000000000000000000000000"},
        "n": n, "r": r, "p": p, "salt": "00"});
    serde_json::json!({"version": 1, "header": {"slots": vec![slot; slots],
        "params": {"nonce": "000000000000000000000000", "tag": "00000000000000000000000000000000"}},
        "db": "AAAA"})
    .to_string()
}

#[test]
fn a_hostile_vault_cannot_make_an_import_derive_keys_for_long() {
    // Any number of slots of half a gigabyte each, or very many ordinary ones: refused
    // before the first derivation, so in no time.
    for vault in [
        vault_with_slots(1, 1 << 30, 8, 1),
        vault_with_slots(100, 1 << 18, 16, 4),
        vault_with_slots(1000, 1 << 15, 8, 1),
    ] {
        let started = std::time::Instant::now();
        let error = read_backup(vault.as_bytes(), Some("x")).unwrap_err();
        assert_eq!(error.code(), "backup_too_costly");
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }
    // A few ordinary slots are tried, and the password is simply wrong.
    let ordinary = vault_with_slots(2, 1 << 15, 8, 1);
    assert_eq!(
        read_backup(ordinary.as_bytes(), Some("x"))
            .unwrap_err()
            .code(),
        "wrong_backup_password"
    );
}

#[test]
fn a_link_list_round_trips_and_names_its_bad_lines() {
    let accounts = drafts();
    let text = write_uri_list(&accounts);
    let back = read_uri_list(&text).unwrap();
    assert_eq!(back.accounts, accounts);

    let list = "# exported by some app\n\notpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP\n\
                otpauth://totp/B:b?secret=NOT-BASE32!\n  otpauth://totp/C:c?secret=JBSWY3DPEHPK3PXP&issuer=C  \n";
    let imported = read_backup(list.as_bytes(), None).unwrap();
    assert_eq!(imported.accounts.len(), 2);
    assert_eq!(imported.skipped.len(), 1);
    assert_eq!(imported.skipped[0].label, "line 4");
    assert_eq!(imported.skipped[0].reason.field(), Some("secret"));
}

#[cfg(unix)]
#[test]
fn exports_are_written_for_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pocket-export.json");
    std::fs::write(&path, "old").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    write_private(&path, b"new").unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"new");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // Nothing else is left beside it.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    let missing = dir.path().join("no such folder").join("x.json");
    assert_eq!(
        write_private(&missing, b"x").unwrap_err().code(),
        "export_failed"
    );
}

#[test]
fn the_ui_names_every_format_in_english_and_dutch() {
    let missing = crate::ui_texts::missing(
        FORMATS
            .iter()
            .map(|format| format!("import.format.{}", format.name())),
    );
    assert!(missing.is_empty(), "no name for {missing:?}");
}
