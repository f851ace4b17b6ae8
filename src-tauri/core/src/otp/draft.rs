//! An account as scanned or typed in, before it is stored.

use super::icon::AccountIcon;
use super::params::{Algorithm, DEFAULT_PERIOD, OtpKind, OtpParams};
use super::secret::SecretKey;
use crate::error::{Error, Result};

/// Most characters in an issuer or a name: plenty for any real one, and a file or a server
/// cannot fill the screen, the database or the backups with a label.
pub const MAX_LABEL_CHARS: usize = 256;

/// The issuer and name an account is stored under, trimmed: at least one of the two, and
/// neither longer than [`MAX_LABEL_CHARS`].
pub fn checked_label(issuer: &str, name: &str) -> Result<(String, String)> {
    let (issuer, name) = (issuer.trim(), name.trim());
    if issuer.is_empty() && name.is_empty() {
        return Err(Error::MissingLabel);
    }
    for (param, text) in [("issuer", issuer), ("name", name)] {
        if text.chars().count() > MAX_LABEL_CHARS {
            return Err(Error::TooLong {
                param,
                limit: MAX_LABEL_CHARS,
            });
        }
    }
    Ok((issuer.to_string(), name.to_string()))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountDraft {
    pub issuer: String,
    pub name: String,
    pub secret: SecretKey,
    pub params: OtpParams,
    /// The picture the app it came from kept for it, if any.
    pub icon: Option<AccountIcon>,
}

impl AccountDraft {
    /// Builds a draft from parsed parts; every way in (URI, form, import) ends here.
    pub fn new(issuer: &str, name: &str, secret: SecretKey, params: OtpParams) -> Result<Self> {
        let (issuer, name) = checked_label(issuer, name)?;
        Ok(AccountDraft {
            issuer,
            name,
            secret,
            params: params.validate()?,
            icon: None,
        })
    }

    pub fn with_icon(self, icon: Option<AccountIcon>) -> Self {
        AccountDraft { icon, ..self }
    }

    /// What the user knows the account by: "Issuer (name)", or whichever of the two it has.
    pub fn label(&self) -> String {
        match (self.issuer.is_empty(), self.name.is_empty()) {
            (false, false) => format!("{} ({})", self.issuer, self.name),
            (false, true) => self.issuer.clone(),
            _ => self.name.clone(),
        }
    }

    /// A time-based account typed in by hand; what is left out takes the common defaults
    /// (SHA1, 6 digits, 30 seconds).
    pub fn typed(
        issuer: &str,
        name: &str,
        secret_base32: &str,
        algorithm: Option<&str>,
        digits: Option<u8>,
        period: Option<u32>,
    ) -> Result<Self> {
        let params = OtpParams {
            kind: OtpKind::Totp {
                period: period.unwrap_or(DEFAULT_PERIOD),
            },
            algorithm: algorithm.map_or(Ok(Algorithm::Sha1), Algorithm::parse)?,
            digits: digits.unwrap_or(6),
        };
        AccountDraft::new(issuer, name, SecretKey::from_base32(secret_base32)?, params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_accounts_take_the_common_defaults() {
        let draft =
            AccountDraft::typed(" GitHub ", "alice", "jbsw y3dp", None, None, None).unwrap();
        assert_eq!(
            (draft.issuer.as_str(), draft.name.as_str()),
            ("GitHub", "alice")
        );
        assert_eq!(draft.params, OtpParams::default_totp());
    }

    #[test]
    fn typed_accounts_say_which_field_is_wrong() {
        let typed = |secret, algorithm, digits, period| {
            AccountDraft::typed("X", "y", secret, algorithm, digits, period).unwrap_err()
        };
        assert_eq!(typed("", None, None, None).field(), Some("secret"));
        assert_eq!(
            typed("JBSWY3DP", Some("MD5"), None, None).field(),
            Some("algorithm")
        );
        assert_eq!(
            typed("JBSWY3DP", None, Some(9), None).field(),
            Some("digits")
        );
        assert_eq!(
            typed("JBSWY3DP", None, None, Some(0)).field(),
            Some("period")
        );
        let unnamed = AccountDraft::typed(" ", "", "JBSWY3DP", None, None, None).unwrap_err();
        assert_eq!(unnamed.code(), "missing_label");
    }

    #[test]
    fn labels_have_a_length_limit_in_characters() {
        let at_limit = "é".repeat(MAX_LABEL_CHARS);
        let over = "é".repeat(MAX_LABEL_CHARS + 1);
        assert!(checked_label(&at_limit, &at_limit).is_ok());
        for (issuer, name, param) in [(over.as_str(), "a", "issuer"), ("a", over.as_str(), "name")]
        {
            let error =
                AccountDraft::typed(issuer, name, "JBSWY3DP", None, None, None).unwrap_err();
            assert_eq!((error.code(), error.field()), ("too_long", Some(param)));
        }
    }
}
