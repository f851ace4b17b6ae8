//! The query of a setup link (a push enrollment, a container registration), read the same way
//! for both: names in any case, values trimmed, required ones and flags checked.

use url::Url;

use crate::error::{Error, Result};

pub(crate) struct LinkQuery(Vec<(String, String)>);

impl LinkQuery {
    pub fn of(url: &Url) -> LinkQuery {
        LinkQuery(
            url.query_pairs()
                .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_string()))
                .collect(),
        )
    }

    /// The first value of `name`, if there is one.
    pub fn get(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    /// The value of `name`, which must be there and not empty.
    pub fn required(&self, name: &'static str) -> Result<String> {
        self.get(name)
            .filter(|v| !v.is_empty())
            .ok_or(Error::MissingParameter(name))
    }

    /// The token's or container's serial: letters, digits, `-`, `_` and `.` only, since it
    /// is signed joined with `|` and shown as text.
    pub fn serial(&self) -> Result<String> {
        let serial = self.required("serial")?;
        if !serial
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            return Err(Error::invalid(
                "serial",
                "it has characters a serial cannot have",
            ));
        }
        Ok(serial)
    }

    /// A yes/no flag written as `1`/`0` or `true`/`false` in any case; `default` when absent
    /// or empty, `wrong` saying how to write it otherwise.
    pub fn flag(&self, name: &'static str, default: bool, wrong: &str) -> Result<bool> {
        match self.get(name).map(|v| v.to_ascii_lowercase()).as_deref() {
            None | Some("") => Ok(default),
            Some("1" | "true") => Ok(true),
            Some("0" | "false") => Ok(false),
            Some(_) => Err(Error::invalid(name, wrong)),
        }
    }
}
