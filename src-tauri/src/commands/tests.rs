//! The commands as the webview calls them: through Tauri's IPC on its mock runtime, with the
//! app's real capabilities and permissions, over a vault in memory. And the one list of
//! commands held against every place that must name them.

use std::collections::BTreeSet;

use pocket_core::vault::{MemoryStore, Vault};
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};

use crate::state::AppState;

pub(super) fn app() -> (
    tauri::App<MockRuntime>,
    WebviewWindow<MockRuntime>,
    tempfile::TempDir,
) {
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::open(
        &dir.path().join("pocket.sqlite"),
        Box::new(MemoryStore::default()),
    );
    let app = mock_builder()
        .invoke_handler(super::handler())
        .build(tauri::generate_context!())
        .unwrap();
    app.manage(AppState::around(vault.map_err(Into::into)));
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    (app, window, dir)
}

fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    invoke_with(window, cmd, InvokeBody::Json(args))
}

/// `cmd` with `body` as the webview sends it (JSON arguments, or raw bytes).
fn invoke_with(
    window: &WebviewWindow<MockRuntime>,
    cmd: &str,
    body: InvokeBody,
) -> Result<Value, Value> {
    invoke_with_headers(window, cmd, body, Default::default())
}

/// The same, with the request's headers.
pub(super) fn invoke_with_headers(
    window: &WebviewWindow<MockRuntime>,
    cmd: &str,
    body: InvokeBody,
    headers: tauri::http::HeaderMap,
) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body,
        headers,
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request).map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn a_pasted_link_is_scanned_added_and_shows_a_code() {
    let (_app, window, _dir) = app();
    assert_eq!(invoke(&window, "list_accounts", json!({})), Ok(json!([])));
    let report = invoke(
        &window,
        "scan_text",
        json!({"text": "otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME"}),
    )
    .unwrap();
    assert_eq!(report["items"][0]["kind"], "account");
    assert!(
        report.to_string().find("JBSWY3DPEHPK3PXP").is_none(),
        "the secret crossed"
    );
    let pending = report["items"][0]["pendingId"].as_str().unwrap();
    let added = invoke(&window, "add_scanned", json!({"pendingId": pending})).unwrap();
    assert_eq!(added["kind"], "account");
    assert_eq!(added["value"]["issuer"], "ACME");
    let codes = invoke(&window, "account_codes", json!({})).unwrap();
    let code = codes["codes"][0]["code"].as_str().unwrap();
    assert!(
        code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()),
        "{code}"
    );
    // The rows on screen ask for theirs alone; an id that is gone says so in its place.
    let id = added["value"]["id"].as_str().unwrap();
    let asked = invoke(&window, "account_codes", json!({"ids": ["gone", id]})).unwrap();
    assert_eq!(asked["codes"].as_array().unwrap().len(), 2);
    assert_eq!(asked["codes"][0]["error"]["code"], "account_not_found");
    assert_eq!(asked["codes"][1]["code"].as_str(), Some(code));
}

#[test]
fn the_home_screen_comes_in_one_read_with_the_codes_of_its_first_rows() {
    let (_app, window, _dir) = app();
    let add = |link: &str| {
        let report = invoke(&window, "scan_text", json!({ "text": link })).unwrap();
        let pending = report["items"][0]["pendingId"]
            .as_str()
            .unwrap()
            .to_string();
        let added = invoke(&window, "add_scanned", json!({ "pendingId": pending })).unwrap();
        added["value"]["id"].as_str().unwrap().to_string()
    };
    let first = add("otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP&issuer=A");
    add("otpauth://hotp/B:b?secret=JBSWY3DPEHPK3PXP&issuer=B&counter=3");
    let third = add("otpauth://totp/C:c?secret=GEZDGNBVGY3TQOJQ&issuer=C");
    let fourth = add("otpauth://totp/D:d?secret=GEZDGNBVGY3TQOJQ&issuer=D");

    let home = invoke(&window, "home_screen", json!({})).unwrap();
    let issuers: Vec<&str> = home["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|account| account["issuer"].as_str().unwrap())
        .collect();
    assert_eq!(issuers, ["A", "B", "C", "D"]);
    assert_eq!(
        (home["pushTokens"].clone(), home["containers"].clone()),
        (json!([]), json!([]))
    );
    assert_eq!(home["hideCodes"], false);
    assert_eq!(home["firstRows"], pocket_core::vault::FIRST_ROWS);
    // The HOTP account makes no code until asked: the time-based ones have theirs.
    let codes = home["codes"]["codes"].as_array().unwrap();
    let ids: Vec<&str> = codes
        .iter()
        .map(|code| code["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [first.as_str(), third.as_str(), fourth.as_str()]);
    for code in codes {
        let digits = code["code"].as_str().unwrap();
        assert!(
            digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()),
            "{code}"
        );
    }
    assert!(home["codes"]["nowMs"].as_u64().unwrap() > 1_700_000_000_000);
    assert!(
        home.to_string().find("JBSWY3DPEHPK3PXP").is_none(),
        "a secret crossed"
    );
}

#[test]
fn errors_cross_as_a_stable_code_a_message_and_the_field() {
    let (_app, window, _dir) = app();
    let expired = invoke(&window, "add_scanned", json!({"pendingId": "gone"})).unwrap_err();
    assert_eq!(
        expired,
        json!({"code": "scan_expired", "message": "this scan is no longer available: scan the code again"})
    );
    let typed = invoke(
        &window,
        "add_account_manual",
        json!({"input": {"issuer": "X", "name": "y", "secret": "!!"}}),
    )
    .unwrap_err();
    assert_eq!(
        (typed["code"].as_str(), typed["field"].as_str()),
        (Some("invalid_parameter"), Some("secret"))
    );
    let next = invoke(&window, "next_code", json!({"id": "nobody"})).unwrap_err();
    assert_eq!(next["code"], "account_not_found");
}

#[test]
fn every_command_is_allowed_to_the_main_window() {
    let (_app, window, _dir) = app();
    // These reach the clipboard and the screen, which the mock runtime has not; the
    // permission sets' test below covers them.
    let devices = ["scan_clipboard", "scan_screen"];
    for name in super::NAMES.iter().filter(|name| !devices.contains(name)) {
        // Arguments are missing on purpose: what matters is that the call is not denied.
        if let Err(error) = invoke(&window, name, json!({})) {
            let text = error.to_string();
            assert!(!text.contains("not allowed"), "{name}: {text}");
        }
    }
}

/// The quoted words of `text` that follow `before`, up to `after`.
fn quoted_after(text: &str, before: &str, after: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for part in text.split(before).skip(1) {
        if let Some(end) = part.find(after) {
            found.insert(part[..end].to_string());
        }
    }
    found
}

#[test]
fn every_command_is_in_the_permission_sets_and_the_ui() {
    let names: BTreeSet<String> = super::NAMES.iter().map(|n| n.to_string()).collect();
    // Every permission set, whichever files they are in.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/permissions");
    let mut sets = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            sets += &std::fs::read_to_string(path).unwrap();
        }
    }
    let permitted: BTreeSet<String> = quoted_after(&sets, "\"allow-", "\"")
        .into_iter()
        .map(|n| n.replace('-', "_"))
        .collect();
    assert_eq!(permitted, names, "permissions/*.toml");
    let ui = include_str!("../../../ui/src/lib/api/index.ts");
    let called = quoted_after(ui, ">('", "'");
    assert_eq!(called, names, "ui/src/lib/api/index.ts");
}

#[test]
fn while_locked_every_command_but_the_lock_screens_refuses() {
    let (_app, window, _dir) = app();
    invoke(
        &window,
        "scan_text",
        json!({"text": "otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME"}),
    )
    .unwrap();
    let short = invoke(
        &window,
        "set_passcode",
        json!({"passcode": "123", "reason": "r"}),
    )
    .unwrap_err();
    assert_eq!(short["code"], "passcode_too_short");
    let settings = invoke(
        &window,
        "set_passcode",
        json!({"passcode": "24681357", "reason": "r"}),
    )
    .unwrap();
    assert_eq!(settings["lock"], "passcode");
    assert_eq!(settings["confirmApprovals"], true);
    // Setting the lock does not shut it on the user setting it; locking now does.
    invoke(&window, "list_accounts", json!({})).unwrap();
    invoke(&window, "lock_now", json!({})).unwrap();

    for name in super::NAMES {
        let result = invoke(&window, name, json!({}));
        if super::OPEN_WHILE_LOCKED.contains(name) {
            assert_ne!(
                result.as_ref().err().map(|e| e["code"].clone()),
                Some(json!("locked")),
                "{name}"
            );
        } else {
            assert_eq!(result.unwrap_err()["code"], "locked", "{name}");
        }
    }
    let status = invoke(&window, "lock_status", json!({})).unwrap();
    assert_eq!(status["locked"], true);
    assert_eq!(status["method"], "passcode");
    assert!(
        !status.to_string().contains("ACME"),
        "the lock screen learns nothing of the accounts"
    );

    let wrong = invoke(
        &window,
        "unlock",
        json!({"passcode": "11111111", "reason": "r"}),
    )
    .unwrap_err();
    assert_eq!(
        (wrong["code"].as_str(), wrong["field"].as_str()),
        (Some("wrong_passcode"), Some("passcode"))
    );
    let status = invoke(&window, "lock_status", json!({})).unwrap();
    assert_eq!(status["waitSeconds"], 0, "one typo costs nothing");
    invoke(
        &window,
        "unlock",
        json!({"passcode": "24681357", "reason": "r"}),
    )
    .unwrap();
    assert_eq!(
        invoke(&window, "lock_status", json!({})).unwrap()["locked"],
        false
    );
    invoke(&window, "list_accounts", json!({})).unwrap();

    // Weakening the lock takes the passcode; strengthening it does not.
    let weaker = json!({"settings": {"confirmApprovals": false}, "reason": "r"});
    assert_eq!(
        invoke(&window, "update_settings", weaker).unwrap_err()["code"],
        "wrong_passcode"
    );
    let never = json!({"settings": {"idleLockSeconds": 0}, "passcode": "24681357", "reason": "r"});
    assert_eq!(
        invoke(&window, "update_settings", never).unwrap()["idleLockSeconds"],
        0
    );
    let shorter = json!({"settings": {"idleLockSeconds": 30}, "reason": "r"});
    assert_eq!(
        invoke(&window, "update_settings", shorter).unwrap()["idleLockSeconds"],
        30
    );

    // Removing the lock takes the passcode too.
    let refused = invoke(
        &window,
        "remove_lock",
        json!({"passcode": "0000000", "reason": "r"}),
    );
    assert_eq!(refused.unwrap_err()["code"], "wrong_passcode");
    let removed = invoke(
        &window,
        "remove_lock",
        json!({"passcode": "24681357", "reason": "r"}),
    )
    .unwrap();
    assert_eq!(removed["lock"], "off");
    invoke(&window, "lock_now", json!({})).unwrap();
    invoke(&window, "list_accounts", json!({})).unwrap();
}

#[test]
fn with_a_lock_set_exports_and_backup_changes_take_the_unlock_step() {
    let (_app, window, _dir) = app();
    let report = invoke(
        &window,
        "scan_text",
        json!({"text": "otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME"}),
    )
    .unwrap();
    let pending = report["items"][0]["pendingId"].as_str().unwrap();
    invoke(&window, "add_scanned", json!({"pendingId": pending})).unwrap();
    // With no lock there is nothing to check against.
    let codes = invoke(&window, "export_google_codes", json!({"reason": "r"})).unwrap();
    assert_eq!(codes["codes"].as_array().unwrap().len(), 1);

    invoke(
        &window,
        "set_passcode",
        json!({"passcode": "24681357", "reason": "r"}),
    )
    .unwrap();
    // Someone at the unlocked window, without the passcode: every one of these is refused
    // before it does anything.
    let without = [
        ("export_google_codes", json!({"reason": "r"})),
        (
            "export_backup",
            json!({"format": "links", "title": "t", "reason": "r"}),
        ),
        ("choose_backup_folder", json!({"title": "t", "reason": "r"})),
        (
            "set_backup_password",
            json!({"password": "the thief's password", "reason": "r"}),
        ),
        ("move_container", json!({"id": "any", "reason": "r"})),
    ];
    for (name, args) in without {
        let error = invoke(&window, name, args).unwrap_err();
        assert_eq!(error["code"], "wrong_passcode", "{name}");
    }
    let wrong = json!({"passcode": "11111111", "reason": "r"});
    assert_eq!(
        invoke(&window, "export_google_codes", wrong).unwrap_err()["code"],
        "wrong_passcode"
    );
    let right = json!({"passcode": "24681357", "reason": "r"});
    let codes = invoke(&window, "export_google_codes", right).unwrap();
    assert_eq!(codes["codes"].as_array().unwrap().len(), 1);

    // The first backup password takes the passcode; changing it the current one as well.
    let first =
        json!({"password": "a first backup password", "passcode": "24681357", "reason": "r"});
    assert_eq!(
        invoke(&window, "set_backup_password", first).unwrap()["hasPassword"],
        true
    );
    let without_current =
        json!({"password": "the thief's password", "passcode": "24681357", "reason": "r"});
    assert_eq!(
        invoke(&window, "set_backup_password", without_current).unwrap_err()["code"],
        "wrong_backup_password"
    );
    let with_current = json!({
        "current": "a first backup password",
        "password": "a second backup password",
        "passcode": "24681357",
        "reason": "r",
    });
    invoke(&window, "set_backup_password", with_current).unwrap();
}

#[test]
fn a_picked_file_is_read_once_for_its_preview_and_its_import() {
    let (app, window, _dir) = app();
    let draft =
        pocket_core::otp::parse_uri("otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP").unwrap();
    let contents = pocket_core::transfer::write_aegis(&[draft], "the file's password").unwrap();
    let handle = app.state::<AppState>().keep_picked(crate::files::Picked {
        name: "aegis.json".into(),
        bytes: zeroize::Zeroizing::new(contents.as_bytes().to_vec()),
    });
    let wrong = json!({"handle": handle, "password": "not the password"});
    assert_eq!(
        invoke(&window, "preview_picked", wrong.clone()).unwrap_err()["code"],
        "wrong_backup_password"
    );
    let right = json!({"handle": handle, "password": "the file's password"});
    let preview = invoke(&window, "preview_picked", right).unwrap();
    assert_eq!(preview["accounts"], json!(["ACME (alice)"]));
    // The import takes what the preview read: the file's key derivation (which a crafted
    // file can make as costly as allowed) is not paid again, so the password is not needed.
    let report = invoke(&window, "import_picked", wrong).unwrap();
    assert_eq!(report["added"].as_array().unwrap().len(), 1);
}

/// A PNG of a QR code holding `text`.
fn qr_png(text: &str) -> Vec<u8> {
    use image::ImageEncoder;
    let picture = qrcode::QrCode::new(text)
        .unwrap()
        .render::<image::Luma<u8>>()
        .build();
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(
            picture.as_raw(),
            picture.width(),
            picture.height(),
            image::ExtendedColorType::L8,
        )
        .unwrap();
    png
}

#[test]
fn an_image_comes_in_as_raw_bytes_or_as_androids_array_of_numbers() {
    let (_app, window, _dir) = app();
    let png = qr_png("otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME");
    let send = |body: InvokeBody| invoke_with(&window, "scan_image", body);
    for body in [InvokeBody::Raw(png.clone()), InvokeBody::Json(json!(png))] {
        let report = send(body).unwrap();
        assert_eq!(report["items"][0]["kind"], "account", "{report}");
    }
    // Numbers that are not bytes, or no array at all, are no picture.
    for body in [json!([137, 80, 300]), json!({"bytes": png})] {
        let error = send(InvokeBody::Json(body)).unwrap_err();
        assert_eq!(error["code"], "image_unreadable");
    }
}
