//! The habits of each app's files that the independent writer does not show: what each
//! reader leaves out and says why, and what tells one format from another.

use super::*;
use crate::otp::{OtpKind, OtpParams};

fn codes(imported: &Imported) -> Vec<(&str, &str)> {
    imported
        .skipped
        .iter()
        .map(|s| (s.label.as_str(), s.reason.code()))
        .collect()
}

#[test]
fn ente_leaves_its_trash_behind_and_reads_its_own_quirks() {
    let export = concat!(
        "otpauth://totp/Mail:ann?secret=JBSWY3DPEHPK3PXP&issuer=Mail&codeDisplay=%7B%22trashed%22%3Afalse%7D\n",
        "otpauth://totp/Old:bea?secret=JBSWY3DPEHPK3PXP&issuer=Old&codeDisplay=%7B%22trashed%22%3Atrue%2C%22pinned%22%3Afalse%7D\n",
        // Quoted as a JSON string, a '#' and a space in the name, Ente's steam host.
        "\"otpauth://totp/Shop:cid #2?secret=JBSWY3DPEHPK3PXP&issuer=Shop\"\n",
        "otpauth://steam/Steam:dan?secret=JBSWY3DPEHPK3PXP&issuer=Steam\n",
        "\n",
    );
    let format = identify(export.as_bytes()).unwrap();
    assert_eq!(format.name(), "ente_text");
    let imported = read_backup(export.as_bytes(), None).unwrap();
    let read: Vec<String> = imported.accounts.iter().map(|a| a.label()).collect();
    assert_eq!(read, ["Mail (ann)", "Shop (cid #2)", "Steam (dan)"]);
    assert_eq!(imported.accounts[2].params, OtpParams::steam());
    assert_eq!(codes(&imported), [("Old (bea)", "in_trash")]);
}

#[test]
fn what_pocket_cannot_take_is_named_with_the_reason() {
    let authenticator_pro = r#"{"Authenticators": [
        {"Type": 5, "Issuer": "Yandex", "Username": "ivan", "Secret": "JBSWY3DPEHPK3PXP", "Pin": "1234", "Algorithm": 0, "Digits": 8, "Period": 30},
        {"Type": 2, "Issuer": "Wide", "Username": "w", "Secret": "JBSWY3DPEHPK3PXP", "Algorithm": 0, "Digits": 10, "Period": 30},
        {"Type": 2, "Issuer": "Fine", "Username": "f", "Secret": "JBSWY3DPEHPK3PXP", "Algorithm": 1, "Digits": 6, "Period": 30}
    ], "Categories": []}"#;
    let imported = read_backup(authenticator_pro.as_bytes(), None).unwrap();
    assert_eq!(imported.accounts.len(), 1);
    assert_eq!(
        codes(&imported),
        [
            ("Yandex (ivan)", "unsupported_otp_type"),
            ("Wide (w)", "invalid_parameter")
        ]
    );

    let andotp = r#"[{"secret": "JBSWY3DPEHPK3PXP", "issuer": "", "label": "Bank:me", "type": "TOTP", "algorithm": "SHA1", "digits": 6, "period": 30},
        {"secret": "6162", "issuer": "Pin", "label": "m", "type": "MOTP", "algorithm": "MD5", "digits": 6, "period": 10}]"#;
    let imported = read_backup(andotp.as_bytes(), None).unwrap();
    assert_eq!(
        imported.accounts[0].label(),
        "Bank (me)",
        "an old label split in two"
    );
    assert_eq!(codes(&imported), [("Pin (m)", "unsupported_otp_type")]);

    let twofas = r#"{"services": [
        {"name": "Odd", "secret": "JBSWY3DPEHPK3PXP", "otp": {"account": "o", "algorithm": "SHA224", "tokenType": "TOTP"}},
        {"name": "Plain", "secret": "jbsw y3dp ehpk 3pxp", "otp": {"label": "Plain:p"}}
    ], "groups": [], "schemaVersion": 2}"#;
    let imported = read_backup(twofas.as_bytes(), None).unwrap();
    assert_eq!(imported.accounts[0].label(), "Plain (p)");
    assert_eq!(imported.accounts[0].params, OtpParams::default_totp());
    assert_eq!(codes(&imported), [("Odd (o)", "invalid_parameter")]);
    let newer = twofas.replace("\"schemaVersion\": 2", "\"schemaVersion\": 9");
    assert_eq!(
        read_backup(newer.as_bytes(), None).unwrap_err().code(),
        "backup_damaged"
    );
}

#[test]
fn bitwarden_takes_its_logins_with_codes_and_nothing_else() {
    let export = r#"{"encrypted": false, "folders": [], "items": [
        {"type": 2, "name": "Note", "secureNote": {"type": 0}},
        {"type": 1, "name": "No code", "login": {"username": "n", "password": "p", "totp": null}},
        {"type": 1, "name": "Site", "login": {"username": "s", "totp": "JBSW Y3DP EHPK 3PXP"}},
        {"type": 1, "name": "Game", "login": {"username": "g", "totp": "steam://JBSWY3DPEHPK3PXP"}},
        {"type": 1, "name": "Linked", "login": {"username": "l", "totp": "otpauth://totp/l?secret=JBSWY3DPEHPK3PXP&period=60"}},
        {"type": 1, "name": "Broken", "login": {"username": "b", "totp": "not a key!"}}
    ]}"#;
    let imported = read_backup(export.as_bytes(), None).unwrap();
    let read: Vec<(String, OtpKind)> = imported
        .accounts
        .iter()
        .map(|a| (a.label(), a.params.kind))
        .collect();
    assert_eq!(
        read,
        [
            ("Site (s)".to_string(), OtpKind::Totp { period: 30 }),
            ("Game (g)".to_string(), OtpKind::Steam),
            // The link has no issuer: the login's name stands in.
            ("Linked (l)".to_string(), OtpKind::Totp { period: 60 }),
        ]
    );
    assert_eq!(codes(&imported), [("Broken (b)", "invalid_parameter")]);

    // Encrypted with the account's key: only Bitwarden can open it, and Pocket says so.
    let tied =
        r#"{"encrypted": true, "encKeyValidation_DO_NOT_EDIT": "2.a|b|c", "data": "2.a|b|c"}"#;
    assert_eq!(
        read_backup(tied.as_bytes(), Some("x")).unwrap_err().code(),
        "export_tied_to_account"
    );
}

#[test]
fn freeotp_plus_counters_are_the_next_code_and_steam_is_a_totp_of_steam() {
    let export = r#"{"tokenOrder": ["A:a", "Steam:s"], "tokens": [
        {"algo": "SHA1", "counter": 9, "digits": 6, "issuerExt": "A", "label": "a", "period": 30, "secret": [72, -17, 0, 127, -128], "type": "HOTP"},
        {"algo": "SHA1", "counter": 0, "digits": 5, "issuerExt": "Steam", "label": "s", "period": 30, "secret": [1, 2, 3, 4, 5], "type": "TOTP"},
        {"algo": "SHA1", "digits": 6, "issuerExt": "Bad", "label": "b", "period": 30, "secret": [300], "type": "TOTP"}
    ]}"#;
    let imported = read_backup(export.as_bytes(), None).unwrap();
    assert_eq!(
        imported.accounts[0].params.kind,
        OtpKind::Hotp { counter: 10 }
    );
    assert_eq!(
        imported.accounts[0].secret.as_bytes(),
        [72, 239, 0, 127, 128]
    );
    assert_eq!(imported.accounts[1].params, OtpParams::steam());
    assert_eq!(codes(&imported), [("Bad (b)", "invalid_parameter")]);
}

#[test]
fn what_is_no_export_is_unknown_and_what_was_cut_short_is_damaged() {
    for unknown in [
        &b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..],
        b"just some notes, nothing to import",
        br#"{"name": "a settings file", "values": [1, 2, 3]}"#,
        b"",
    ] {
        assert_eq!(
            identify(unknown).err().map(|e| e.code()),
            Some("backup_format_unknown"),
            "{:?}",
            String::from_utf8_lossy(unknown)
        );
    }
    assert_eq!(
        identify(br#"{"name": "cut", "values": [1, 2"#)
            .err()
            .map(|e| e.code()),
        Some("backup_damaged")
    );
    // A key's name inside a string value does not make a file that format.
    let note = br#"{"note": "\"schemaVersion\": 4, \"services\": []"}"#;
    assert_eq!(
        identify(note).err().map(|e| e.code()),
        Some("backup_format_unknown")
    );
}

#[test]
fn google_transfer_links_saved_as_text_import_like_a_link_list() {
    let accounts: Vec<crate::otp::AccountDraft> = (0..30)
        .map(|n| {
            let secret =
                crate::otp::SecretKey::from_bytes(format!("secret number {n}").into_bytes());
            crate::otp::AccountDraft::new(
                &format!("Site {n}"),
                &format!("user{n}"),
                secret.unwrap(),
                OtpParams::default_totp(),
            )
            .unwrap()
        })
        .collect();
    let export = crate::otp::write_migration(&accounts, 77);
    assert!(export.links.len() > 1);
    let text: Vec<&str> = export.links.iter().map(|l| l.as_str()).collect();
    let text = text.join("\n");
    assert_eq!(identify(text.as_bytes()).unwrap().name(), "links");
    let imported = read_backup(text.as_bytes(), None).unwrap();
    assert_eq!(imported.accounts, accounts);
}
