//! `pocket-gen import FILE [--password P]`: one canonical link per account on standard
//! output, every parameter spelt out; each account Pocket cannot take on standard error with
//! its reason; exit status 0 when the file was read, 1 with the error kind when it was not.

use std::process::Command;
use std::time::Duration;

use pocket_core::otp::{AccountDraft, Algorithm, OtpKind, OtpParams, SecretKey, parse_uri};
use pocket_core::transfer::write_aegis;
use pocket_tests::process::{Finished, run};

fn import(file: &std::path::Path, password: Option<&str>) -> Finished {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pocket-gen"));
    command.arg("import").arg(file);
    if let Some(password) = password {
        command.args(["--password", password]);
    }
    run(&mut command, Duration::from_secs(60)).unwrap()
}

fn lines(bytes: &[u8]) -> Vec<String> {
    String::from_utf8(bytes.to_vec())
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

const VAULT: &str = r#"{"version": 1, "header": {"slots": null, "params": null}, "db": {"version": 3, "entries": [
  {"type": "totp", "uuid": "1", "name": "alice@example.com", "issuer": "Google", "icon": null,
   "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA1", "digits": 6, "period": 30}},
  {"type": "yandex", "uuid": "2", "name": "ivan", "issuer": "Yandex", "icon": null,
   "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA256", "digits": 8, "period": 30}},
  {"type": "hotp", "uuid": "3", "name": "bob", "issuer": "Bank Zürich", "icon": null,
   "info": {"secret": "GEZDGNBVGY3TQOJQ", "algo": "SHA512", "digits": 8, "counter": 7}},
  {"type": "steam", "uuid": "4", "name": "carol", "issuer": "Steam", "icon": null,
   "info": {"secret": "MFRGGZDFMZTWQ2LK", "algo": "SHA1", "digits": 5, "period": 30}}
], "groups": []}}"#;

#[test]
fn prints_a_full_link_per_account_and_names_the_rest_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("aegis.json");
    std::fs::write(&file, VAULT).unwrap();
    let out = import(&file, None);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        lines(&out.stdout),
        [
            "otpauth://totp/Google:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Google&algorithm=SHA1&digits=6&period=30",
            "otpauth://hotp/Bank%20Z%C3%BCrich:bob?secret=GEZDGNBVGY3TQOJQ&issuer=Bank%20Z%C3%BCrich&algorithm=SHA512&digits=8&counter=7",
            "otpauth://totp/Steam:carol?secret=MFRGGZDFMZTWQ2LK&issuer=Steam&algorithm=SHA1&digits=5&period=30&encoder=steam",
        ]
    );
    let skipped = lines(&out.stderr);
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(
        skipped[0].starts_with("skipped: Yandex (ivan): unsupported_otp_type: "),
        "{skipped:?}"
    );
    // Every line reads back as the account the file holds.
    let hotp = parse_uri(&lines(&out.stdout)[1]).unwrap();
    assert_eq!(
        hotp.params,
        OtpParams {
            kind: OtpKind::Hotp { counter: 7 },
            algorithm: Algorithm::Sha512,
            digits: 8
        }
    );
}

#[test]
fn an_encrypted_file_needs_its_password() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.json");
    let account = AccountDraft::new(
        "ACME",
        "alice",
        SecretKey::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
        OtpParams::default_totp(),
    )
    .unwrap();
    std::fs::write(
        &file,
        write_aegis(&[account], "open sesame").unwrap().as_bytes(),
    )
    .unwrap();

    let out = import(&file, Some("open sesame"));
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        lines(&out.stdout),
        [
            "otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME&algorithm=SHA1&digits=6&period=30"
        ]
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    for (password, kind) in [
        (None, "backup_password_required"),
        (Some("open says me"), "wrong_backup_password"),
    ] {
        let out = import(&file, password);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        assert!(out.stdout.is_empty());
        let error = lines(&out.stderr);
        assert!(
            error[0].starts_with(&format!("error: {kind}: ")),
            "{error:?}"
        );
    }
}

#[test]
fn a_file_that_cannot_be_read_at_all_exits_1_with_its_kind() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "nothing to import here").unwrap();
    let cut = dir.path().join("cut.json");
    std::fs::write(&cut, &VAULT[..VAULT.len() / 2]).unwrap();
    for (file, kind) in [
        (notes, "backup_format_unknown"),
        (cut, "backup_damaged"),
        (dir.path().join("missing.json"), "file_unreadable"),
    ] {
        let out = import(&file, None);
        assert_eq!(out.status.code(), Some(1), "{file:?}: {out:?}");
        assert!(out.stdout.is_empty());
        let error = lines(&out.stderr);
        assert!(
            error[0].starts_with(&format!("error: {kind}: ")),
            "{file:?}: {error:?}"
        );
    }
}
