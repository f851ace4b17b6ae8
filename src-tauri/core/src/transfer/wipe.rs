//! An export's entries hold their secrets as text until each becomes a `SecretKey`: the JSON
//! read from a file (decrypted or not) is wiped from memory once it has been read, and each
//! entry is read into its typed form straight from the tree, with no copy of it left over.

use serde::de::DeserializeOwned;
use serde_json::Value;
use zeroize::Zeroize;

/// Overwrites every string in `value`; the keys stay (they are field names).
pub(crate) fn wipe(value: &mut Value) {
    match value {
        Value::String(text) => text.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe),
        Value::Object(fields) => fields.values_mut().for_each(wipe),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// An export's entries as JSON, wiped when they go.
#[derive(Default)]
pub(crate) struct Entries(pub Vec<Value>);

impl Drop for Entries {
    fn drop(&mut self) {
        self.0.iter_mut().for_each(wipe);
    }
}

impl std::ops::Deref for Entries {
    type Target = [Value];

    fn deref(&self) -> &[Value] {
        &self.0
    }
}

/// `entry` read as `T`, straight from the tree: no second copy of its strings is made and
/// left behind (`T` wipes its own secret when it goes).
pub(crate) fn entry_as<T: DeserializeOwned>(entry: &Value) -> serde_json::Result<T> {
    T::deserialize(entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_in_the_tree_is_overwritten_and_the_shape_kept() {
        let mut tree = serde_json::json!({
            "entries": [{"secret": "JBSWY3DPEHPK3PXP", "digits": 6, "tags": ["work"]}],
            "name": "backup",
        });
        wipe(&mut tree);
        // Zeroized strings are emptied (their bytes overwritten, then cleared).
        assert_eq!(
            tree,
            serde_json::json!({
                "entries": [{"secret": "", "digits": 6, "tags": [""]}],
                "name": "",
            })
        );
    }
}
