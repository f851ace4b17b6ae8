//! One account as another app's file states it, in that app's terms, made into a draft by the
//! same rules for every format: what is left out takes the common defaults (SHA1, 6 digits,
//! 30 seconds), what is out of range is refused with the parameter named.

use crate::error::{Error, Result};
use crate::otp::{AccountDraft, Algorithm, OtpKind, OtpParams, SecretKey, SkippedAccount};

use super::Imported;

/// The kinds of account the formats name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ExportedKind {
    Totp,
    Hotp,
    Steam,
    /// Anything else (Yandex, mOTP, …): skipped with its name.
    Other(String),
}

impl ExportedKind {
    /// From a name in any case: "TOTP", "hotp", "Steam".
    pub fn named(name: &str) -> ExportedKind {
        match name.trim().to_ascii_lowercase().as_str() {
            "totp" => ExportedKind::Totp,
            "hotp" => ExportedKind::Hotp,
            "steam" => ExportedKind::Steam,
            other => ExportedKind::Other(other.to_string()),
        }
    }
}

/// The secret as the file holds it.
pub(crate) enum ExportedSecret<'a> {
    Base32(&'a str),
    Bytes(Vec<u8>),
}

pub(crate) struct ExportedAccount<'a> {
    pub issuer: &'a str,
    pub name: &'a str,
    pub kind: ExportedKind,
    pub secret: ExportedSecret<'a>,
    pub algorithm: Option<&'a str>,
    pub digits: Option<u64>,
    pub period: Option<u64>,
    pub counter: Option<u64>,
}

impl ExportedAccount<'_> {
    pub fn draft(self) -> Result<AccountDraft> {
        // Steam's settings are fixed, and a kind Pocket has no codes for is the reason
        // whatever else the entry holds: the other fields are read only for TOTP and HOTP.
        let kind = match self.kind {
            ExportedKind::Totp => OtpKind::Totp {
                period: match self.period {
                    None => crate::otp::DEFAULT_PERIOD,
                    Some(period) => u32::try_from(period)
                        .map_err(|_| Error::invalid("period", "use 1 to 86400 seconds"))?,
                },
            },
            ExportedKind::Hotp => OtpKind::Hotp {
                counter: self.counter.ok_or(Error::MissingParameter("counter"))?,
            },
            ExportedKind::Steam => OtpKind::Steam,
            ExportedKind::Other(name) => return Err(Error::UnsupportedOtpType(name)),
        };
        let params = match kind {
            OtpKind::Steam => OtpParams::steam(),
            kind => OtpParams {
                kind,
                algorithm: self
                    .algorithm
                    .map_or(Ok(Algorithm::Sha1), Algorithm::parse)?,
                digits: match self.digits {
                    None => 6,
                    Some(digits) => u8::try_from(digits)
                        .map_err(|_| Error::invalid("digits", "codes have 6 to 8 digits"))?,
                },
            },
        };
        let secret = match self.secret {
            ExportedSecret::Base32(text) => SecretKey::from_base32(text)?,
            ExportedSecret::Bytes(bytes) => SecretKey::from_bytes(bytes)?,
        };
        AccountDraft::new(self.issuer, self.name, secret, params)
    }
}

/// What the user knows an entry by, whether or not it could be read.
pub(crate) fn label(issuer: &str, name: &str) -> String {
    match (issuer.trim(), name.trim()) {
        ("", name) => name.to_string(),
        (issuer, "") => issuer.to_string(),
        (issuer, name) => format!("{issuer} ({name})"),
    }
}

impl Imported {
    /// Takes one entry: the account, or the reason it was left out under its label.
    pub(crate) fn take(&mut self, label: impl FnOnce() -> String, entry: Result<AccountDraft>) {
        match entry {
            Ok(draft) => self.accounts.push(draft),
            Err(reason) => self.skipped.push(SkippedAccount {
                label: label(),
                reason,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stated(kind: ExportedKind) -> ExportedAccount<'static> {
        ExportedAccount {
            issuer: "ACME",
            name: "alice",
            kind,
            secret: ExportedSecret::Base32("JBSWY3DPEHPK3PXP"),
            algorithm: None,
            digits: None,
            period: None,
            counter: None,
        }
    }

    #[test]
    fn gaps_take_the_defaults_and_bad_values_name_their_parameter() {
        let draft = stated(ExportedKind::Totp).draft().unwrap();
        assert_eq!(draft.params, OtpParams::default_totp());
        let hotp = stated(ExportedKind::Hotp).draft().unwrap_err();
        assert_eq!(
            (hotp.code(), hotp.field()),
            ("missing_parameter", Some("counter"))
        );
        let huge = ExportedAccount {
            period: Some(u64::MAX),
            ..stated(ExportedKind::Totp)
        };
        assert_eq!(huge.draft().unwrap_err().field(), Some("period"));
        let digits = ExportedAccount {
            digits: Some(300),
            ..stated(ExportedKind::Totp)
        };
        assert_eq!(digits.draft().unwrap_err().field(), Some("digits"));
        let yandex = stated(ExportedKind::named("YANDEX")).draft().unwrap_err();
        assert_eq!(yandex.code(), "unsupported_otp_type");
        assert_eq!(
            stated(ExportedKind::named("Steam")).draft().unwrap().params,
            OtpParams::steam()
        );
    }
}
