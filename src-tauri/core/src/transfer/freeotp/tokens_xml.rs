//! FreeOTP 1's token list, `tokens.xml` from the app's shared preferences (what a rooted
//! phone or an `adb backup` gives): a `<map>` of `<string name="issuer:label">` entries, each
//! a token's JSON with its secret, and `tokenOrder`, the JSON list of those names in the
//! order the app shows them.

use serde_json::Value;
use zeroize::Zeroize;

use super::super::crypto::damaged;
use super::super::kdf::KdfBudget;
use super::super::wipe::wipe;
use super::super::{Format, Imported};
use crate::error::Result;

const ORDER: &str = "tokenOrder";

pub struct FreeOtpTokens;

/// Shared preferences' XML with a token in it, told apart without parsing.
fn looks_like_tokens(file: &[u8]) -> bool {
    super::super::text(file).is_some_and(|text| {
        let start = text.trim_start();
        (start.starts_with("<?xml") || start.starts_with("<map"))
            && text.contains("<map")
            && (text.contains("name=\"tokenOrder\"") || text.contains("&quot;secret&quot;"))
    })
}

impl Format for FreeOtpTokens {
    fn name(&self) -> &'static str {
        "freeotp_1"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        looks_like_tokens(file)
    }

    fn read(&self, file: &[u8], _: Option<&str>, _: &mut KdfBudget) -> Result<Imported> {
        let text = super::super::text(file).ok_or_else(|| damaged("the token list is not text"))?;
        let document = roxmltree::Document::parse(text)
            .map_err(|e| damaged(format!("the token list is not complete XML: {e}")))?;
        let root = document.root_element();
        if !root.has_tag_name("map") {
            return Err(damaged("the token list is not a preferences file"));
        }
        let mut order: Vec<String> = Vec::new();
        let mut tokens: Vec<(String, Value)> = Vec::new();
        for entry in root.children().filter(|n| n.has_tag_name("string")) {
            let name = entry.attribute("name").unwrap_or("");
            let mut value = entry.text().unwrap_or("").to_string();
            if name == ORDER {
                order = serde_json::from_str(&value).unwrap_or_default();
            } else {
                tokens.push((
                    name.to_string(),
                    serde_json::from_str(&value).unwrap_or(Value::Null),
                ));
            }
            value.zeroize();
        }
        // The app's order first; anything it does not list after, as stored.
        let places: std::collections::HashMap<&str, usize> = order
            .iter()
            .enumerate()
            .rev()
            .map(|(place, name)| (name.as_str(), place))
            .collect();
        tokens.sort_by_cached_key(|(name, _)| {
            places.get(name.as_str()).copied().unwrap_or(usize::MAX)
        });
        let mut imported = Imported::default();
        for (name, token) in &mut tokens {
            if token.is_object() {
                super::take_token(&mut imported, token);
            } else {
                imported.take(
                    || name.clone(),
                    Err(crate::error::Error::invalid(
                        "secret",
                        "this token is not readable",
                    )),
                );
            }
            wipe(token);
        }
        Ok(imported)
    }
}
