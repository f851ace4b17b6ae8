//! One account as another app's file states it, in that app's terms, made into a draft by the
//! same rules for every format: what is left out takes the common defaults (SHA1, 6 digits,
//! 30 seconds), what is out of range is refused with the parameter named.

use crate::error::{Error, Result};
use crate::otp::{AccountDraft, Algorithm, OtpKind, OtpParams, SecretKey, SkippedAccount};

use super::Imported;

/// The kinds of account the formats name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StatedKind {
    Totp,
    Hotp,
    Steam,
    /// Anything else (Yandex, mOTP, …): skipped with its name.
    Other(String),
}

impl StatedKind {
    /// From a name in any case: "TOTP", "hotp", "Steam".
    pub fn named(name: &str) -> StatedKind {
        match name.trim().to_ascii_lowercase().as_str() {
            "totp" => StatedKind::Totp,
            "hotp" => StatedKind::Hotp,
            "steam" => StatedKind::Steam,
            other => StatedKind::Other(other.to_string()),
        }
    }
}

/// The secret as the file holds it.
pub(crate) enum StatedSecret<'a> {
    Base32(&'a str),
    Bytes(Vec<u8>),
}

pub(crate) struct Stated<'a> {
    pub issuer: &'a str,
    pub name: &'a str,
    pub kind: StatedKind,
    pub secret: StatedSecret<'a>,
    pub algorithm: Option<&'a str>,
    pub digits: Option<u64>,
    pub period: Option<u64>,
    pub counter: Option<u64>,
}

impl Stated<'_> {
    pub fn draft(self) -> Result<AccountDraft> {
        // Steam's settings are fixed, and a kind Pocket has no codes for is the reason
        // whatever else the entry holds: the other fields are read only for TOTP and HOTP.
        let kind = match self.kind {
            StatedKind::Totp => OtpKind::Totp {
                period: match self.period {
                    None => crate::otp::DEFAULT_PERIOD,
                    Some(period) => u32::try_from(period)
                        .map_err(|_| Error::invalid("period", "use 1 to 86400 seconds"))?,
                },
            },
            StatedKind::Hotp => OtpKind::Hotp {
                counter: self.counter.ok_or(Error::MissingParameter("counter"))?,
            },
            StatedKind::Steam => OtpKind::Steam,
            StatedKind::Other(name) => return Err(Error::UnsupportedOtpType(name)),
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
            StatedSecret::Base32(text) => SecretKey::from_base32(text)?,
            StatedSecret::Bytes(bytes) => SecretKey::from_bytes(bytes)?,
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

    fn stated(kind: StatedKind) -> Stated<'static> {
        Stated {
            issuer: "ACME",
            name: "alice",
            kind,
            secret: StatedSecret::Base32("JBSWY3DPEHPK3PXP"),
            algorithm: None,
            digits: None,
            period: None,
            counter: None,
        }
    }

    #[test]
    fn gaps_take_the_defaults_and_bad_values_name_their_parameter() {
        let draft = stated(StatedKind::Totp).draft().unwrap();
        assert_eq!(draft.params, OtpParams::default_totp());
        let hotp = stated(StatedKind::Hotp).draft().unwrap_err();
        assert_eq!(
            (hotp.code(), hotp.field()),
            ("missing_parameter", Some("counter"))
        );
        let huge = Stated {
            period: Some(u64::MAX),
            ..stated(StatedKind::Totp)
        };
        assert_eq!(huge.draft().unwrap_err().field(), Some("period"));
        let digits = Stated {
            digits: Some(300),
            ..stated(StatedKind::Totp)
        };
        assert_eq!(digits.draft().unwrap_err().field(), Some("digits"));
        let yandex = stated(StatedKind::named("YANDEX")).draft().unwrap_err();
        assert_eq!(yandex.code(), "unsupported_otp_type");
        assert_eq!(
            stated(StatedKind::named("Steam")).draft().unwrap().params,
            OtpParams::steam()
        );
    }
}
