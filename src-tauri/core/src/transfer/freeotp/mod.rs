//! FreeOTP and FreeOTP+: three files with one token shape. A token is JSON (Gson's field
//! names) with its secret as Java's signed bytes; FreeOTP 2 keeps the secret apart, encrypted,
//! in its backup.

mod backup;
mod java_map;
mod plus;
mod tokens_xml;

pub use backup::FreeOtpBackup;
pub use plus::FreeOtpPlus;
pub use tokens_xml::FreeOtpTokens;

use serde::Deserialize;
use serde_json::Value;

use super::exported::{ExportedAccount, ExportedKind, ExportedSecret, label};
use crate::error::{Error, Result};
use crate::otp::AccountDraft;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Token {
    #[serde(default)]
    issuer_ext: Option<String>,
    #[serde(default)]
    issuer_int: Option<String>,
    #[serde(default)]
    label: String,
    #[serde(rename = "type")]
    kind: String,
    /// Absent from FreeOTP 2's tokens, whose secrets are encrypted apart.
    #[serde(default)]
    secret: Option<Vec<i16>>,
    algo: Option<String>,
    digits: Option<u64>,
    period: Option<u64>,
    counter: Option<u64>,
}

impl Drop for Token {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.secret);
    }
}

impl Token {
    fn issuer(&self) -> &str {
        [&self.issuer_ext, &self.issuer_int]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
            .unwrap_or("")
    }

    fn shown(&self) -> String {
        label(self.issuer(), &self.label)
    }

    /// The secret the token holds itself.
    fn own_secret(&self) -> Result<Vec<u8>> {
        let values = self
            .secret
            .as_deref()
            .ok_or(Error::MissingParameter("secret"))?;
        java_bytes(values)
            .ok_or_else(|| Error::invalid("secret", "the secret holds values that are not bytes"))
    }

    fn draft(&self, secret: Vec<u8>) -> Result<AccountDraft> {
        ExportedAccount {
            issuer: self.issuer(),
            name: &self.label,
            // Steam has no type of its own in FreeOTP: a TOTP token issued by "Steam".
            kind: match ExportedKind::named(&self.kind) {
                ExportedKind::Totp if self.issuer().eq_ignore_ascii_case("steam") => {
                    ExportedKind::Steam
                }
                kind => kind,
            },
            secret: ExportedSecret::Bytes(secret),
            algorithm: self.algo.as_deref(),
            digits: self.digits,
            period: self.period,
            // FreeOTP keeps the counter of the code it showed last; the next one, which
            // Pocket stores, is one more (as in the link the account came from).
            counter: self.counter.map(|c| c.saturating_add(1)),
        }
        .draft()
    }
}

/// What the user knows a token by when it could not be read as one.
/// Java's bytes are signed: -128..127 stand for 0x80..0x7f. None when a value is no byte.
fn java_bytes(values: &[i16]) -> Option<Vec<u8>> {
    values
        .iter()
        .map(|&b| i8::try_from(b).ok().map(|b| b as u8))
        .collect()
}

fn label_of(token: &Value) -> String {
    let text = |key: &str| token.get(key).and_then(Value::as_str).unwrap_or("");
    label(text("issuerExt"), text("label"))
}

/// Reads a token that holds its own secret, or says why not under its label.
fn take_token(imported: &mut super::Imported, token: &Value) {
    match super::wipe::entry_as::<Token>(token) {
        Ok(token) => imported.take(
            || token.shown(),
            token.own_secret().and_then(|s| token.draft(s)),
        ),
        Err(_) => imported.take(
            || label_of(token),
            Err(Error::invalid("secret", "this token is incomplete")),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::java_bytes;

    #[test]
    fn java_bytes_are_signed_and_nothing_else_is_a_byte() {
        assert_eq!(
            java_bytes(&[-128, -1, 0, 127]),
            Some(vec![0x80, 0xff, 0x00, 0x7f])
        );
        assert_eq!(java_bytes(&[128]), None);
        assert_eq!(java_bytes(&[0, -129]), None);
    }
}
