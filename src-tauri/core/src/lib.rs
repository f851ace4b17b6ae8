//! Pocket's domain logic. Everything here runs and is tested without a window: the app shell
//! (`src-tauri`) and the QA tool (`gen`) are thin layers over this crate.

pub mod backup;
pub mod clock;
pub mod container;
pub mod error;
pub mod flows;
mod link_query;
pub mod lock;
pub mod otp;
pub mod push;
pub mod scan;
pub mod settings;
pub mod transfer;
pub mod vault;

pub use error::{Error, Result};

/// The UI's texts, for tests that check every kind of thing Pocket names has one.
#[cfg(test)]
pub(crate) mod ui_texts {
    /// Of `keys`, those that English or Dutch has no text for, with the language.
    pub fn missing(keys: impl Iterator<Item = String> + Clone) -> Vec<String> {
        let mut missing = Vec::new();
        for (language, catalog) in [
            ("en", include_str!("../../../ui/src/lib/i18n/en.json")),
            ("nl", include_str!("../../../ui/src/lib/i18n/nl.json")),
        ] {
            let catalog: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(catalog).expect("the UI's texts are JSON");
            missing.extend(
                keys.clone()
                    .filter(|key| !catalog.contains_key(key))
                    .map(|key| format!("{language}: {key}")),
            );
        }
        missing
    }
}
