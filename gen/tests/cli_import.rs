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

/// The second wave through the CLI, each file from the independent writer: every format is
/// read, a Steam folder from its manifest (the files beside it read too), a KeePass database
/// with its key file.
#[test]
fn reads_the_second_wave_of_formats() {
    use pocket_tests::tools::run_peer;
    let github = serde_json::json!({"issuer": "GitHub", "name": "alice", "secret": "JBSWY3DPEHPK3PXP",
        "type": "totp", "algorithm": "SHA1", "digits": 6, "period": 30, "counter": 0});
    let steam = serde_json::json!({"issuer": "Steam", "name": "dave", "secret": "ONSWG4TFOQYTEMZU",
        "type": "steam", "algorithm": "SHA1", "digits": 5, "period": 30, "counter": 0});
    let accounts = serde_json::json!([github, steam]).to_string();
    let dir = tempfile::tempdir().unwrap();
    let password = "pässword 1";
    // Each writer with the kinds its app has: all, time-based codes only, or Steam only.
    for (writer, encrypted, kinds) in [
        ("freeotp-2", true, "all"),
        ("freeotp-1", false, "all"),
        ("lastpass", false, "totp"),
        ("steam-mafile", false, "steam"),
        ("proton-pass", false, "totp"),
        ("keepass-3", true, "all"),
        ("totp-authenticator", true, "totp"),
        ("authenticator-plus", true, "all"),
        ("andotp-old", true, "all"),
        ("2fas-v1", false, "totp"),
        ("raivo", true, "totp"),
        ("duo", false, "totp"),
        ("proton-pass-pgp", true, "totp"),
    ] {
        let written = match kinds {
            "all" => serde_json::json!([github, steam]),
            "totp" => serde_json::json!([github]),
            _ => serde_json::json!([steam]),
        };
        let mut args = vec![writer];
        if encrypted {
            args.extend(["--password", password]);
        }
        let bytes = run_peer("export_as.py", &args, written.to_string().as_bytes()).unwrap();
        let file = dir.path().join(writer);
        std::fs::write(&file, bytes).unwrap();
        let out = import(&file, encrypted.then_some(password));
        assert!(out.status.success(), "{writer}: {out:?}");
        let links = lines(&out.stdout);
        let expected = written.as_array().unwrap().len();
        assert_eq!(links.len(), expected, "{writer}: {out:?}");
        // Only the deleted account some writers add, or Duo's push account, is left out,
        // and said so.
        let left_out = [
            "skipped: Old site (old): in_trash: ",
            "skipped: Work VPN: unsupported_otp_type: ",
        ];
        assert!(
            lines(&out.stderr)
                .iter()
                .all(|line| left_out.iter().any(|start| line.starts_with(start))),
            "{writer}: {out:?}"
        );
        for link in &links {
            parse_uri(link).unwrap();
        }
    }

    // The maFiles folder, unzipped, from its manifest.
    let steam_only = serde_json::json!([steam]).to_string();
    let zip = run_peer(
        "export_as.py",
        &["steam-folder", "--password", password],
        steam_only.as_bytes(),
    )
    .unwrap();
    let folder = dir.path().join("unzipped");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    archive.extract(&folder).unwrap();
    let manifest = folder.join("maFiles").join("manifest.json");
    let out = import(&manifest, Some(password));
    assert!(out.status.success(), "{out:?}");
    assert_eq!(lines(&out.stdout).len(), 1, "{out:?}");
    assert!(lines(&out.stdout)[0].contains("encoder=steam"), "{out:?}");
    let wrong = import(&manifest, Some("wrong"));
    assert!(String::from_utf8_lossy(&wrong.stderr).starts_with("error: wrong_backup_password"));

    // A KeePass database locked with a key file alone.
    let key = dir.path().join("db.keyx");
    let key_arg = key.to_string_lossy().into_owned();
    let bytes = run_peer(
        "export_as.py",
        &["keepass-key-file", "--key-file", &key_arg],
        accounts.as_bytes(),
    )
    .unwrap();
    let database = dir.path().join("db.kdbx");
    std::fs::write(&database, bytes).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_pocket-gen"));
    command
        .arg("import")
        .arg(&database)
        .arg("--key-file")
        .arg(&key);
    let out = run(&mut command, Duration::from_secs(60)).unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(lines(&out.stdout).len(), 2, "{out:?}");
}
