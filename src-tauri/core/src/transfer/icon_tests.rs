//! Icons that come with imported accounts: kept where they are pictures Pocket can show,
//! left behind (never the account) where they are not, and carried through Pocket's backups.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::*;
use crate::otp::{AccountIcon, ImageFormat, MAX_ICON_BYTES, OtpParams, SecretKey};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";
const SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>"#;

fn aegis_entry(issuer: &str, icon: serde_json::Value) -> serde_json::Value {
    let mut entry = serde_json::json!({
        "type": "totp", "uuid": issuer, "name": "alice", "issuer": issuer,
        "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA1", "digits": 6, "period": 30}
    });
    if let (Some(entry), Some(icon)) = (entry.as_object_mut(), icon.as_object()) {
        entry.extend(icon.clone());
    }
    entry
}

fn icons_of(imported: &Imported) -> Vec<(String, Option<AccountIcon>)> {
    imported
        .accounts
        .iter()
        .map(|d| (d.issuer.clone(), d.icon.clone()))
        .collect()
}

#[test]
fn aegis_pictures_come_in_and_broken_ones_stay_behind() {
    let huge = STANDARD.encode(vec![0x89; MAX_ICON_BYTES * 2]);
    let entries = vec![
        aegis_entry(
            "Png",
            serde_json::json!({"icon": STANDARD.encode(PNG), "icon_mime": "image/png"}),
        ),
        aegis_entry(
            "Svg",
            serde_json::json!({"icon": STANDARD.encode(SVG), "icon_mime": "image/svg+xml"}),
        ),
        // No mime: Aegis' oldest vaults meant JPEG.
        aegis_entry(
            "Jpeg",
            serde_json::json!({"icon": STANDARD.encode([0xFF, 0xD8, 0xFF, 0xDB])}),
        ),
        aegis_entry(
            "Lying",
            serde_json::json!({"icon": STANDARD.encode(b"<script>"), "icon_mime": "image/png"}),
        ),
        aegis_entry(
            "NotBase64",
            serde_json::json!({"icon": "%%%", "icon_mime": "image/png"}),
        ),
        aegis_entry(
            "Huge",
            serde_json::json!({"icon": huge, "icon_mime": "image/png"}),
        ),
        aegis_entry("Odd", serde_json::json!({"icon": 42})),
        aegis_entry("None", serde_json::json!({"icon": null})),
    ];
    let vault = serde_json::json!({
        "version": 1, "header": {"slots": null, "params": null},
        "db": {"version": 3, "entries": entries, "groups": []}
    });
    let imported = read_backup(vault.to_string().as_bytes(), None).unwrap();
    let image = |format, bytes: &[u8]| {
        Some(AccountIcon::Image {
            format,
            bytes: bytes.to_vec(),
        })
    };
    let named = |issuer: &str, icon| (issuer.to_string(), icon);
    assert_eq!(
        icons_of(&imported),
        vec![
            named("Png", image(ImageFormat::Png, PNG)),
            named("Svg", image(ImageFormat::Svg, SVG.as_bytes())),
            named("Jpeg", image(ImageFormat::Jpeg, &[0xFF, 0xD8, 0xFF, 0xDB])),
            named("Lying", None),
            named("NotBase64", None),
            named("Huge", None),
            named("Odd", None),
            named("None", None),
        ],
        "a broken icon costs that account its icon only"
    );
    assert!(imported.skipped.is_empty());
}

#[test]
fn twofas_labels_come_in_with_their_colour() {
    let service = |name: &str, icon: serde_json::Value| {
        serde_json::json!({
            "name": name, "secret": "JBSWY3DPEHPK3PXP",
            "otp": {"account": "alice", "digits": 6, "period": 30, "algorithm": "SHA1", "tokenType": "TOTP"},
            "icon": icon
        })
    };
    let backup = serde_json::json!({
        "schemaVersion": 4,
        "services": [
            service("Label", serde_json::json!({"selected": "Label", "label": {"text": "lb", "backgroundColor": "Indigo"},
                "iconCollection": {"id": "a5b3fb65-4ec5-43e6-8ec1-49e24ca9e7ad"}})),
            service("Unnamed colour", serde_json::json!({"selected": "Label", "label": {"text": "UC", "backgroundColor": "Mauve"}})),
            service("Brand", serde_json::json!({"selected": "IconCollection", "label": {"text": "BR", "backgroundColor": "Red"},
                "iconCollection": {"id": "c5b3fb65-4ec5-43e6-8ec1-49e24ca9e7ad"}})),
            service("Odd", serde_json::json!({"selected": "Label", "label": {"text": 7}})),
            service("Script", serde_json::json!({"selected": "Label", "label": {"text": "<b>", "backgroundColor": "Red"}})),
        ],
    });
    let imported = read_backup(backup.to_string().as_bytes(), None).unwrap();
    let label = |text: &str, colour: &str| {
        Some(AccountIcon::Label {
            text: text.into(),
            colour: colour.into(),
        })
    };
    assert_eq!(
        icons_of(&imported),
        vec![
            ("Label".into(), label("LB", "#3949ab")),
            ("Unnamed colour".into(), label("UC", "#5f6b7a")),
            ("Brand".into(), None),
            ("Odd".into(), None),
            ("Script".into(), None),
        ]
    );
}

#[test]
fn pocket_backups_keep_pictures_and_labels() {
    let secret = || SecretKey::from_base32("JBSWY3DPEHPK3PXP").unwrap();
    let with = |issuer: &str, icon| {
        AccountDraft::new(issuer, "alice", secret(), OtpParams::default_totp())
            .unwrap()
            .with_icon(icon)
    };
    let drafts = vec![
        with(
            "Png",
            Some(AccountIcon::Image {
                format: ImageFormat::Png,
                bytes: PNG.to_vec(),
            }),
        ),
        with("Label", AccountIcon::label("LB", "#3949ab")),
        with("None", None),
    ];
    let written = write_aegis(&drafts, "a backup password").unwrap();
    let back = read_aegis(&written, Some("a backup password")).unwrap();
    assert_eq!(back.accounts, drafts);
}
