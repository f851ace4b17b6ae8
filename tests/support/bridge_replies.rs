//! The rest of an unlocked (or locked) Pocket as the camera bridge answers it, so every screen
//! of the built UI can be shown in a plain browser: Settings' statuses, About, a history, an
//! import of a picked file with its report, renames refused for blank names, a wrong passcode
//! on the lock screen and an approval that shows a code to type. The shapes are the DTOs' of
//! `ui/src/lib/api/types.ts`; the words are what the app's own would be.

use serde_json::{Value, json};

use super::camera_bridge::Calls;

/// The passcode the bridge's lock takes.
pub const PASSCODE: &str = "246802";

/// The push token's id and serial, for a request to name.
pub const TOKEN_ID: &str = "t1";
pub const TOKEN_SERIAL: &str = "PIPU0001";

/// The code an approval shows to type on the login page.
pub const DISPLAY_CODE: &str = "42";

/// The reply to `command`, or None when the bridge has none for it.
pub fn answer(command: &str, args: &Value, calls: &Calls) -> Option<Result<Value, Value>> {
    Some(Ok(match command {
        "lock_status" => json!({
            "locked": calls.locked, "method": if calls.locked { "passcode" } else { "off" },
            "waitSeconds": 0, "requestWaiting": false, "language": "en", "theme": "light",
        }),
        "unlock" if args["passcode"] != PASSCODE => return Some(Err(error("wrong_passcode"))),
        "get_settings" => json!({
            "language": "system", "theme": "system", "lock": "off", "idleLockSeconds": 300,
            "idleChoices": [60, 300, 900], "confirmApprovals": false, "hideCodes": false,
            "ntpCheck": false, "ntpServer": "pool.ntp.org", "useMeasuredTime": false,
            "lockOffered": true, "lockKind": "passcode",
        }),
        "backup_status" => json!({
            "enabled": false, "folder": null, "keep": 10, "hasPassword": false,
            "lastOkAtMs": null, "lastFile": null, "lastError": null, "lastErrorAtMs": null,
            "staysOnDevice": false,
        }),
        "login_requests" => json!({
            "delivery": "while_open", "channel": "poll", "pushService": null,
            "distributorsSupported": true, "distributors": [], "distributor": null,
            "registration": "none", "reason": null,
        }),
        "about" => json!({
            "version": "0.1.0",
            "licences": [{ "name": "pocket-core", "version": "0.1.0", "licence": "MIT" }],
        }),
        "push_history" if calls.push_token => json!([{
            "issuer": "Example Bank", "serial": TOKEN_SERIAL, "title": "Example Bank",
            "question": "Log in to Example Bank?",
            "receivedAtMs": pocket_core::clock::now_millis() - 60_000,
            "outcome": "accepted", "detail": "",
        }]),
        "answer_push" => json!({ "outcome": "accepted", "displayCode": DISPLAY_CODE }),
        "rename_account" if blank(&args["issuer"]) && blank(&args["name"]) => {
            return Some(Err(error("missing_label")));
        }
        "pick_import_file" => json!({
            "handle": "h1", "name": "links.txt", "format": "links", "needsPassword": false,
        }),
        "preview_picked" => json!({
            "accounts": ["Forum (bob)"],
            "skipped": [{ "label": "line 2", "error": error("not_otpauth_uri") }],
        }),
        "import_picked" => json!({
            "added": [{
                "id": "a9", "issuer": "Forum", "name": "bob", "kind": "totp", "digits": 6,
                "period": 30,
            }],
            "duplicates": [],
            "skipped": [{ "label": "line 2", "error": error("not_otpauth_uri") }],
        }),
        _ => return None,
    }))
}

/// The push token a test may set up (`Calls::push_token`), as `home_screen` lists it.
pub fn push_tokens(calls: &Calls) -> Value {
    if !calls.push_token {
        return json!([]);
    }
    json!([{
        "id": TOKEN_ID, "serial": TOKEN_SERIAL, "label": "alice@example.com",
        "issuer": "Example Bank", "host": "127.0.0.1", "risk": null,
    }])
}

fn blank(value: &Value) -> bool {
    value.as_str().is_none_or(|s| s.trim().is_empty())
}

pub fn error(code: &str) -> Value {
    json!({ "code": code, "message": code })
}
