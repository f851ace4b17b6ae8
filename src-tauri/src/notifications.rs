//! The words of the system notifications Pocket shows while its window cannot: taken from the
//! UI's own language files, so every text Pocket shows has one home.

use pocket_core::settings::Language;
use serde_json::{Map, Value};

const ENGLISH: &str = include_str!("../../ui/src/lib/i18n/en.json");
const DUTCH: &str = include_str!("../../ui/src/lib/i18n/nl.json");

/// Title and body of the notification for a request that arrived while Pocket is locked:
/// nothing of the request itself (the server's name, the question) shows before the unlock.
pub fn waiting_request(language: Language) -> (String, String) {
    let texts = texts_in(language);
    (
        text(&texts, "notification.waiting.title"),
        text(&texts, "notification.waiting.body"),
    )
}

/// The language files' texts in `language`; the system's language for `System`.
fn texts_in(language: Language) -> Map<String, Value> {
    let dutch = match language {
        Language::Nl => true,
        Language::En => false,
        Language::System => std::env::var("LANG")
            .or_else(|_| std::env::var("LC_ALL"))
            .is_ok_and(|lang| lang.to_ascii_lowercase().starts_with("nl")),
    };
    serde_json::from_str(if dutch { DUTCH } else { ENGLISH }).unwrap_or_default()
}

/// The text under `key`; the key itself if the file lacks it (a test makes sure none does).
fn text(texts: &Map<String, Value>, key: &str) -> String {
    texts
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or(key)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_waiting_request_reads_in_each_language_from_the_ui_files() {
        assert_eq!(
            waiting_request(Language::En),
            (
                "Login request".to_string(),
                "A login request is waiting: unlock to answer".to_string()
            )
        );
        let (title, body) = waiting_request(Language::Nl);
        assert_eq!(title, "Inlogverzoek");
        assert!(body.starts_with("Er wacht een inlogverzoek"), "{body}");
    }
}
