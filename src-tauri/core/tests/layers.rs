//! pocket-core's modules stand on floors, and a module uses only the floors below its own:
//! "dependencies point down" as a test. The check reads each module's `crate::` paths (tests
//! left out: they may reach anywhere) and names every path that points sideways or up.

use std::collections::BTreeMap;
use std::path::Path;

/// The floors, lowest first. A new module goes on the lowest floor above everything it uses.
const FLOORS: &[&[&str]] = &[
    // What every module speaks: the errors.
    &["error"],
    // Plain rules with no outside parties: links' query strings, codes, the clock.
    &["link_query", "otp", "clock"],
    // Talking to servers: privacyIDEA's push protocol, then its containers.
    &["push"],
    &["container"],
    // What is kept: the vault, then what is kept in it for the lock and the settings.
    &["vault"],
    &["lock"],
    &["settings", "transfer", "scan"],
    &["backup"],
    // The flows the app's commands run, over all of the above.
    &["flows"],
];

/// Where a module stands, or `None` for one the table does not know.
fn floor_of(module: &str) -> Option<usize> {
    FLOORS.iter().position(|floor| floor.contains(&module))
}

/// The top-level modules that `source` names through `crate::` paths, grouped ones
/// (`use crate::{clock, error::Error}`) among them; what follows `#[cfg(test)] mod` is left out.
fn modules_named(source: &str) -> Vec<String> {
    let code = match source.find("#[cfg(test)]\nmod ") {
        Some(tests) => &source[..tests],
        None => source,
    };
    let mut named = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let paths: Vec<&str> = match rest.strip_prefix('{') {
            Some(group) => group.split('}').next().unwrap_or("").split(',').collect(),
            None => vec![rest],
        };
        for path in paths {
            let name: String = path
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                named.push(name);
            }
        }
    }
    named
}

/// Every import of `sources` (module, its files' text) that points to a module on the same
/// floor or above, or to or from a module the table does not know.
fn wrong_imports(sources: &[(String, String)]) -> Vec<String> {
    let mut wrong = Vec::new();
    for (module, source) in sources {
        let Some(floor) = floor_of(module) else {
            wrong.push(format!("{module} is on no floor: add it to FLOORS"));
            continue;
        };
        for named in modules_named(source) {
            if named == *module {
                continue;
            }
            match floor_of(&named) {
                Some(other) if other < floor => {}
                Some(_) => wrong.push(format!("{module} uses {named}, which is not below it")),
                None => wrong.push(format!("{module} uses {named}, which is on no floor")),
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    wrong
}

/// Each top-level module of `src/` with the text of its files, test files left out.
fn crate_sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules: BTreeMap<String, String> = BTreeMap::new();
    for entry in std::fs::read_dir(&src).expect("src/ reads") {
        let path = entry.expect("an entry of src/").path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if name == "lib" {
            continue;
        }
        let text = modules.entry(name).or_default();
        for file in rust_files(&path) {
            let is_tests = file.file_stem().is_some_and(|s| {
                let s = s.to_string_lossy();
                s == "tests" || s.ends_with("_tests")
            });
            if !is_tests {
                text.push_str(&std::fs::read_to_string(&file).expect("a source file reads"));
                text.push('\n');
            }
        }
    }
    modules.into_iter().collect()
}

fn rust_files(path: &Path) -> Vec<std::path::PathBuf> {
    if path.is_dir() {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(path).expect("a module folder reads") {
            files.extend(rust_files(&entry.expect("an entry").path()));
        }
        files
    } else if path.extension().is_some_and(|e| e == "rs") {
        vec![path.to_path_buf()]
    } else {
        Vec::new()
    }
}

#[test]
fn every_module_uses_only_the_floors_below_its_own() {
    let sources = crate_sources();
    assert!(
        sources.len() >= 13,
        "the modules were not found: {sources:?}"
    );
    let wrong = wrong_imports(&sources);
    assert!(
        wrong.is_empty(),
        "imports against the floors:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn every_floor_names_a_module_that_exists() {
    let sources = crate_sources();
    for module in FLOORS.iter().flat_map(|floor| floor.iter()) {
        assert!(
            sources.iter().any(|(name, _)| name == module),
            "{module} is in FLOORS but not in src/"
        );
    }
}

fn module(name: &str, text: &str) -> (String, String) {
    (name.to_string(), text.to_string())
}

#[test]
fn an_import_up_or_sideways_is_named_and_one_down_is_not() {
    let sources = [
        module(
            "clock",
            "use crate::error::Error;\nuse crate::vault::Vault;",
        ),
        module(
            "vault",
            "use crate::{clock, push::PushToken};\nfn f() { crate::lock::wait(); }",
        ),
        module("settings", "use crate::transfer::Format;"),
    ];
    assert_eq!(
        wrong_imports(&sources),
        [
            "clock uses vault, which is not below it",
            "settings uses transfer, which is not below it",
            "vault uses lock, which is not below it",
        ]
    );
}

#[test]
fn tests_may_reach_anywhere_and_unknown_modules_are_named() {
    let sources = [
        module(
            "clock",
            "fn now() {}\n#[cfg(test)]\nmod tests {\n    use crate::flows::run;\n}\n",
        ),
        module("gadgets", "use crate::error::Error;"),
        module("otp", "use crate::widgets::Thing;"),
    ];
    assert_eq!(
        wrong_imports(&sources),
        [
            "gadgets is on no floor: add it to FLOORS",
            "otp uses widgets, which is on no floor",
        ]
    );
}
