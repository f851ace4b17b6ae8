//! The names of the arguments each UI call sends, held against the command's parameters in
//! Rust: a renamed parameter on one side fails here, not as "missing required key" in a user's
//! hands.

use std::collections::{BTreeMap, BTreeSet};

const UI_CALLS: &str = include_str!("../../../ui/src/lib/api/index.ts");

/// Parameters Tauri fills in itself, never sent by the UI.
const INJECTED: &[&str] = &[
    "State<",
    "AppHandle<",
    "Request<",
    "Window<",
    "WebviewWindow<",
];

/// What a UI call sends: named arguments, or the raw request body.
#[derive(Debug, PartialEq)]
enum Sent {
    Named(BTreeSet<String>),
    Raw,
}

/// Each command the UI calls (`call<…>('name', …)`) with what it sends.
fn ui_calls(source: &str) -> BTreeMap<String, Sent> {
    let mut calls = BTreeMap::new();
    for part in source.split("call<").skip(1) {
        let Some(start) = part.find("('") else {
            continue;
        };
        let rest = &part[start + 2..];
        let Some(end) = rest.find('\'') else { continue };
        let (name, after) = (&rest[..end], rest[end + 1..].trim_start());
        let sent = match after.strip_prefix(',') {
            None => Sent::Named(BTreeSet::new()),
            Some(arguments) => match arguments.trim_start().strip_prefix('{') {
                None => Sent::Raw,
                Some(object) => Sent::Named(
                    object
                        .split('}')
                        .next()
                        .unwrap_or("")
                        .split(',')
                        .map(|field| field.split(':').next().unwrap_or("").trim().to_string())
                        .filter(|field| !field.is_empty())
                        .collect(),
                ),
            },
        };
        calls.insert(name.to_string(), sent);
    }
    calls
}

/// A command's parameters the UI sends, in the UI's camelCase, each with whether it may be
/// left out (an `Option`).
fn rust_parameters(source: &str, command: &str) -> Option<BTreeMap<String, bool>> {
    let start = source.find(&format!("fn {command}"))?;
    let after_name = &source[start..];
    let open = after_name.find('(')?;
    let mut depth = 0;
    let mut params = Vec::new();
    let mut current = String::new();
    for c in after_name[open + 1..].chars() {
        match c {
            '(' | '<' => depth += 1,
            ')' if depth == 0 => break,
            ')' | '>' => depth -= 1,
            ',' if depth == 0 => {
                params.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    params.push(current);
    let mut named = BTreeMap::new();
    for param in params {
        let Some((name, ty)) = param.split_once(':') else {
            continue;
        };
        let ty = ty.trim();
        if INJECTED.iter().any(|injected| ty.starts_with(injected)) {
            continue;
        }
        named.insert(camel_case(name.trim()), ty.starts_with("Option<"));
    }
    Some(named)
}

fn camel_case(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Where the argument names of `calls` and the commands in `sources` (by area) disagree.
fn mismatches(calls: &BTreeMap<String, Sent>, sources: &BTreeMap<&str, &str>) -> Vec<String> {
    let mut wrong = Vec::new();
    for entry in super::NAMES_BY_AREA {
        let (area, command) = entry.split_once("::").unwrap_or(("", entry));
        let Some(sent) = calls.get(command) else {
            continue;
        };
        let params = sources
            .get(area)
            .and_then(|source| rust_parameters(source, command))
            .unwrap_or_default();
        let Sent::Named(sent) = sent else {
            if !params.is_empty() {
                wrong.push(format!(
                    "{command}: the UI sends raw bytes, Rust wants {params:?}"
                ));
            }
            continue;
        };
        for name in sent.iter().filter(|name| !params.contains_key(*name)) {
            wrong.push(format!(
                "{command}: the UI sends {name}, which Rust does not take"
            ));
        }
        for (name, _) in params
            .iter()
            .filter(|(name, optional)| !**optional && !sent.contains(*name))
        {
            wrong.push(format!(
                "{command}: Rust needs {name}, which the UI does not send"
            ));
        }
    }
    wrong
}

fn command_sources() -> BTreeMap<&'static str, &'static str> {
    BTreeMap::from([
        ("accounts", include_str!("accounts.rs")),
        ("backups", include_str!("backups.rs")),
        ("clock", include_str!("clock.rs")),
        ("containers", include_str!("containers.rs")),
        ("home", include_str!("home.rs")),
        ("lock", include_str!("lock.rs")),
        ("push", include_str!("push.rs")),
        ("scan", include_str!("scan.rs")),
        ("settings", include_str!("settings.rs")),
        ("transfer", include_str!("transfer.rs")),
        ("wakeup", include_str!("wakeup.rs")),
    ])
}

#[test]
fn every_ui_call_sends_the_arguments_its_command_takes() {
    let calls = ui_calls(UI_CALLS);
    assert!(
        calls.len() >= 40,
        "the UI's calls were not found: {calls:?}"
    );
    let wrong = mismatches(&calls, &command_sources());
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_renamed_or_missing_argument_is_named() {
    let calls = ui_calls(
        "a: () => call<X>('rename_account', { id, issuer: i, label }),\n\
         b: (bytes) => call<R>('scan_image', bytes),",
    );
    let sources = BTreeMap::from([
        (
            "accounts",
            "pub async fn rename_account(\n    state: State<'_, AppState>,\n    id: String,\n    issuer: String,\n    name: String,\n    note: Option<String>,\n) -> Result<(), E> {}",
        ),
        (
            "scan",
            "pub async fn scan_image(state: State<'_, AppState>, request: Request<'_>) {}",
        ),
    ]);
    assert_eq!(
        mismatches(&calls, &sources),
        [
            "rename_account: the UI sends label, which Rust does not take",
            "rename_account: Rust needs name, which the UI does not send",
        ]
    );
}
