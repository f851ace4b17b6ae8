//! The list About shows: every crate a build of the app links (desktop or phone, any system)
//! and every UI package in its bundle, with its licence. `make licences` writes src-tauri/licences.json; this test fails when the
//! list no longer matches Cargo.lock and ui/package-lock.json.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::Value;

use crate::dto::LicenceDto;

const LIST: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/licences.json");
/// Svelte is a build tool, but its runtime is compiled into the bundle.
const BUNDLED_DEV_PACKAGES: &[&str] = &["svelte"];

/// The crates the app links: `pocket`'s normal dependencies on every platform, transitively
/// (build scripts and tests bring their own, which are not shipped).
fn crates() -> Vec<LicenceDto> {
    let output = pocket_tests::process::run(
        std::process::Command::new(env!("CARGO"))
            .args([
                "metadata",
                "--format-version",
                "1",
                "--locked",
                "--manifest-path",
            ])
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml")),
        std::time::Duration::from_secs(120),
    )
    .expect("cargo metadata runs")
    .checked()
    .expect("cargo metadata succeeds");
    let metadata: Value = serde_json::from_slice(&output.stdout).unwrap();
    let packages: BTreeMap<&str, &Value> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p))
        .collect();
    let nodes: BTreeMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n))
        .collect();
    let root = packages
        .values()
        .find(|p| p["name"] == "pocket")
        .map(|p| p["id"].as_str().unwrap())
        .unwrap();
    let (mut seen, mut queue) = (BTreeSet::new(), VecDeque::from([root]));
    while let Some(id) = queue.pop_front() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes[id]["deps"].as_array().unwrap() {
            let normal = dep["dep_kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k["kind"].is_null());
            if normal {
                queue.push_back(dep["pkg"].as_str().unwrap());
            }
        }
    }
    seen.iter()
        .map(|id| packages[id])
        .filter(|p| p["source"].is_string())
        .map(|p| LicenceDto {
            name: p["name"].as_str().unwrap().to_string(),
            version: p["version"].as_str().unwrap().to_string(),
            licence: p["license"]
                .as_str()
                .unwrap_or("see its repository")
                .to_string(),
        })
        .collect()
}

fn ui_packages() -> Vec<LicenceDto> {
    let lock: Value = serde_json::from_str(include_str!("../../ui/package-lock.json")).unwrap();
    lock["packages"]
        .as_object()
        .unwrap()
        .iter()
        .filter_map(|(path, p)| {
            let name = path.strip_prefix("node_modules/")?;
            let shipped = p["dev"] != true || BUNDLED_DEV_PACKAGES.contains(&name);
            shipped.then(|| LicenceDto {
                name: name.to_string(),
                version: p["version"].as_str().unwrap_or_default().to_string(),
                licence: p["license"]
                    .as_str()
                    .unwrap_or("see its repository")
                    .to_string(),
            })
        })
        .collect()
}

#[test]
fn the_licence_list_names_every_bundled_library() {
    let mut fresh = crates();
    fresh.extend(ui_packages());
    fresh.sort_by(|a, b| (&a.name, &a.version).cmp(&(&b.name, &b.version)));
    let text = serde_json::to_string_pretty(&fresh).unwrap() + "\n";
    if std::env::var_os("POCKET_UPDATE_LICENCES").is_some_and(|v| v == "1") {
        std::fs::write(LIST, &text).unwrap();
    }
    let committed = std::fs::read_to_string(LIST).unwrap_or_default();
    assert!(
        committed == text,
        "src-tauri/licences.json is stale: run `make licences` and commit it"
    );
    assert!(fresh.iter().any(|l| l.name == "tauri"));
    assert!(fresh.iter().any(|l| l.name == "svelte"));
}
