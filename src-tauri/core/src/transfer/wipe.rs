//! An export's entries hold their secrets as text until each becomes a `SecretKey`: the JSON
//! read from a file (decrypted or not) is wiped from memory once it has been read, and each
//! entry is read into its typed form straight from the tree, with no copy of it left over.

use serde::de::DeserializeOwned;
use serde_json::{Number, Value};
use zeroize::Zeroize;

/// Overwrites every string and number in `value`; the keys stay (they are field names).
/// Numbers matter too: FreeOTP+ writes a secret as an array of byte values.
pub(crate) fn wipe(value: &mut Value) {
    match value {
        Value::String(text) => text.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe),
        Value::Object(fields) => fields.values_mut().for_each(wipe),
        Value::Number(number) => {
            // A number is held inline: the store overwrites it where it lies, and `black_box`
            // keeps the compiler from dropping a store that nothing seems to read.
            *number = Number::from(0u8);
            std::hint::black_box(&*number);
        }
        Value::Null | Value::Bool(_) => {}
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
    fn every_string_and_number_in_the_tree_is_overwritten_and_the_shape_kept() {
        let mut tree = serde_json::json!({
            "entries": [{"secret": "JBSWY3DPEHPK3PXP", "digits": 6, "tags": ["work"]}],
            "bytes": [-7, 100, 3.5],
            "name": "backup",
        });
        wipe(&mut tree);
        // Zeroized strings are emptied (their bytes overwritten, then cleared); numbers become 0.
        assert_eq!(
            tree,
            serde_json::json!({
                "entries": [{"secret": "", "digits": 0, "tags": [""]}],
                "bytes": [0, 0, 0],
                "name": "",
            })
        );
    }
}
