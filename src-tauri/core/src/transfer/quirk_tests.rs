//! The second wave's habits the independent writer does not show: orders, fallbacks,
//! what stays behind and why, and files that are refused before any work.

use super::*;
use crate::otp::{OtpKind, OtpParams};

fn skipped(imported: &Imported) -> Vec<(&str, &str)> {
    imported
        .skipped
        .iter()
        .map(|s| (s.label.as_str(), s.reason.code()))
        .collect()
}

fn labels(imported: &Imported) -> Vec<String> {
    imported.accounts.iter().map(|a| a.label()).collect()
}

#[test]
fn freeotp_1_follows_its_order_list_and_names_what_it_cannot_read() {
    let token = |issuer: &str, label: &str| {
        format!(
            "{{&quot;issuerExt&quot;:&quot;{issuer}&quot;,&quot;label&quot;:&quot;{label}&quot;,&quot;type&quot;:&quot;TOTP&quot;,&quot;secret&quot;:[1,2,3,4,5,6,7,8,9,10]}}"
        )
    };
    let xml = format!(
        "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n\
         <string name=\"B:b\">{}</string>\n<string name=\"A:a\">{}</string>\n\
         <string name=\"Broken\">not json</string>\n<int name=\"version\" value=\"2\" />\n\
         <string name=\"tokenOrder\">[&quot;A:a&quot;,&quot;B:b&quot;]</string>\n</map>\n",
        token("B", "b"),
        token("A &amp; Co", "a")
    );
    assert_eq!(identify(xml.as_bytes()).unwrap().name(), "freeotp_1");
    let imported = read_backup(xml.as_bytes(), None).unwrap();
    assert_eq!(labels(&imported), ["A & Co (a)", "B (b)"]);
    assert_eq!(skipped(&imported), [("Broken", "invalid_parameter")]);
    // Cut short: XML that does not close is a damaged file.
    let cut = &xml[..xml.len() / 2];
    assert_eq!(
        read_backup(cut.as_bytes(), None).unwrap_err().code(),
        "backup_damaged"
    );
}

#[test]
fn lastpass_falls_back_to_the_names_the_code_came_with() {
    let export = r#"{"version": 1, "accounts": [
        {"issuerName": "", "originalIssuerName": "", "userName": "Shop:cid", "originalUserName": "", "secret": "JBSWY3DPEHPK3PXP", "timeStep": 30, "digits": 6, "algorithm": "SHA1", "folderData": {"folderId": 1, "position": 1}},
        {"issuerName": "", "originalIssuerName": "Mail", "userName": "", "originalUserName": "bea", "secret": "JBSWY3DPEHPK3PXP", "timeStep": 60, "digits": 8, "algorithm": "SHA256", "folderData": {"folderId": 1, "position": 0}},
        {"issuerName": "Fav", "userName": "ann", "secret": "JBSWY3DPEHPK3PXP", "timeStep": 30, "digits": 6, "algorithm": "SHA1", "folderData": {"folderId": 0, "position": 0}},
        {"issuerName": "Bad", "userName": "x", "secret": "not base32!", "timeStep": 30, "digits": 6, "algorithm": "SHA1"},
        {"issuerName": "Half", "userName": "y"}
    ]}"#;
    assert_eq!(identify(export.as_bytes()).unwrap().name(), "lastpass");
    let imported = read_backup(export.as_bytes(), None).unwrap();
    // Favourites first, then each folder in its own order.
    assert_eq!(labels(&imported), ["Fav (ann)", "Mail (bea)", "Shop (cid)"]);
    assert_eq!(
        imported.accounts[1].params.kind,
        OtpKind::Totp { period: 60 }
    );
    assert_eq!(
        skipped(&imported),
        [
            ("Bad (x)", "invalid_parameter"),
            ("Half (y)", "invalid_parameter")
        ]
    );
}

fn zipped(files: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in files {
        let options = zip::write::SimpleFileOptions::default();
        archive.start_file(*name, options).unwrap();
        archive.write_all(bytes).unwrap();
    }
    archive.finish().unwrap().into_inner()
}

const MA_FILE: &[u8] =
    br#"{"shared_secret": "AAECAwQFBgcICQoLDA0ODxAREhM=", "account_name": "gamer"}"#;

#[test]
fn steam_folders_stay_inside_themselves_and_price_every_file_first() {
    // The manifest alone holds no secret: the user is told what to choose instead.
    let manifest = br#"{"encrypted": false, "entries": [{"filename": "1.maFile", "steamid": 1}], "first_run": false}"#;
    let alone = read_backup(manifest, None).unwrap_err();
    assert_eq!(alone.code(), "backup_damaged");
    assert!(alone.to_string().contains("as a zip"), "{alone}");

    // A manifest naming a file outside its folder: that entry is left out, named.
    let outside = br#"{"encrypted": false, "steamid": 1, "entries": [
        {"filename": "../secret.maFile", "steamid": 1}, {"filename": "2.maFile", "steamid": 2}]}"#;
    let folder = zipped(&[
        ("maFiles/manifest.json", outside),
        ("secret.maFile", MA_FILE),
        ("maFiles/2.maFile", MA_FILE),
    ]);
    let imported = read_backup(&folder, None).unwrap();
    assert_eq!(labels(&imported), ["Steam (gamer)"]);
    assert_eq!(imported.accounts[0].params, OtpParams::steam());
    assert_eq!(skipped(&imported), [("../secret.maFile", "backup_damaged")]);

    // Loose maFiles, no manifest: each read.
    let loose = zipped(&[("a.maFile", MA_FILE), ("b.maFile", MA_FILE)]);
    assert_eq!(read_backup(&loose, None).unwrap().accounts.len(), 2);

    // An encrypted folder of hundreds of files: every derivation priced, and refused,
    // before the first runs.
    let entries: Vec<String> = (0..400)
        .map(|n| format!(r#"{{"filename": "{n}.maFile", "steamid": {n}, "encryption_iv": "AAAAAAAAAAAAAAAAAAAAAA==", "encryption_salt": "AAAAAAAAAAA="}}"#))
        .collect();
    let many = format!(
        r#"{{"encrypted": true, "entries": [{}]}}"#,
        entries.join(",")
    );
    let mut files: Vec<(String, &[u8])> = vec![("maFiles/manifest.json".into(), many.as_bytes())];
    files.extend((0..400).map(|n| (format!("maFiles/{n}.maFile"), &b"AAAA"[..])));
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    let hostile = zipped(&files);
    let started = std::time::Instant::now();
    assert_eq!(
        read_backup(&hostile, Some("x")).unwrap_err().code(),
        "backup_too_costly"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    // A manifest naming one file thousands of times, or more files than the folder holds.
    let repeated = format!(
        r#"{{"encrypted": false, "entries": [{}]}}"#,
        vec![r#"{"filename": "2.maFile"}"#; 5000].join(",")
    );
    let folder = zipped(&[
        ("maFiles/manifest.json", repeated.as_bytes()),
        ("maFiles/2.maFile", MA_FILE),
    ]);
    assert_eq!(read_backup(&folder, None).unwrap().accounts.len(), 1);
    let listed: Vec<String> = (0..50)
        .map(|n| format!(r#"{{"filename": "{n}.maFile"}}"#))
        .collect();
    let overlisted = format!(
        r#"{{"encrypted": false, "entries": [{}]}}"#,
        listed.join(",")
    );
    let folder = zipped(&[
        ("maFiles/manifest.json", overlisted.as_bytes()),
        ("maFiles/2.maFile", MA_FILE),
    ]);
    assert_eq!(
        read_backup(&folder, None).unwrap_err().code(),
        "backup_damaged"
    );
    // Names Windows would take for a drive or a device are not files of the folder.
    for name in ["C:x.maFile", "CON.maFile", "com1.maFile", "notes.txt"] {
        assert!(!super::steam::in_folder(name), "{name}");
    }
    assert!(super::steam::in_folder("76561190000000000.maFile"));
}

#[test]
fn a_zip_bomb_is_refused_unpacked() {
    // 65 MiB of zeros deflate to some 65 KiB: reading stops past the cap.
    let zeros = vec![0u8; MAX_BACKUP_BYTES + (1 << 20)];
    let bomb = zipped(&[("Proton Pass/data.json", &zeros)]);
    assert!(bomb.len() < 1 << 20);
    assert_eq!(
        read_backup(&bomb, None).unwrap_err().code(),
        "backup_too_large"
    );
}

#[test]
fn proton_pass_exports_encrypted_with_the_account_say_so() {
    let tied = br#"{"version": "1.2.0", "encrypted": true, "vaults": {"s": {"items": []}}}"#;
    assert_eq!(identify(tied).unwrap().name(), "proton_pass");
    assert_eq!(
        read_backup(tied, None).unwrap_err().code(),
        "export_tied_to_account"
    );
}

#[test]
fn totp_authenticator_reads_every_key_encoding_and_its_unknown_issuer() {
    use aes::cipher::{BlockEncryptMut, KeyIvInit, block_padding::Pkcs7};
    use base64::Engine;
    use sha2::Digest;
    let list = r#"[{"key": "JBSWY3DPEHPK3PXP", "base": 32, "issuer": "Unknown", "name": "ann", "digits": "", "period": "30"},
        {"key": "SGVsbG8hIN6tvu8=", "base": 64, "issuer": "Shop", "name": "bea", "digits": 8, "period": ""},
        {"key": "48656c6c6f21deadbeef", "base": 16, "issuer": "Odd", "name": "cid", "digits": "six"}]"#;
    let plain = serde_json::json!({ list: "1700000000" }).to_string();
    let key = sha2::Sha256::digest(b"TotpAuthenticator");
    let sealed = cbc::Encryptor::<aes::Aes256>::new_from_slices(&key, &[0; 16])
        .unwrap()
        .encrypt_padded_vec_mut::<Pkcs7>(plain.as_bytes());
    let file = base64::engine::general_purpose::STANDARD.encode(sealed);
    let format = identify(file.as_bytes()).unwrap();
    assert_eq!(format.name(), "totp_authenticator");
    // Made without a password: opened with the app's default, no password asked for.
    assert!(!format.is_encrypted(file.as_bytes()));
    let imported = read_backup(file.as_bytes(), None).unwrap();
    assert_eq!(labels(&imported), ["ann", "Shop (bea)"]);
    assert_eq!(imported.accounts[1].params.digits, 8);
    assert_eq!(skipped(&imported), [("Odd (cid)", "invalid_parameter")]);
}
