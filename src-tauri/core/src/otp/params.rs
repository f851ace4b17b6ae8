//! What, besides the secret, determines an account's codes.

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Sha1,
    Sha256,
    Sha512,
}

impl Algorithm {
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }

    /// Accepts the spellings seen in the wild: any case, with or without a dash.
    pub fn parse(text: &str) -> Result<Algorithm> {
        match text.trim().to_ascii_uppercase().replace('-', "").as_str() {
            "SHA1" => Ok(Algorithm::Sha1),
            "SHA256" => Ok(Algorithm::Sha256),
            "SHA512" => Ok(Algorithm::Sha512),
            _ => Err(Error::invalid("algorithm", "use SHA1, SHA256 or SHA512")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtpKind {
    /// RFC 6238: the counter is the time divided by `period` seconds.
    Totp { period: u32 },
    /// RFC 4226: the counter is stored and moves on each time a code is used.
    Hotp { counter: u64 },
    /// Steam Guard: TOTP over 30 s with SHA1, shown as 5 characters of Steam's alphabet.
    Steam,
}

impl OtpKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OtpKind::Totp { .. } => "totp",
            OtpKind::Hotp { .. } => "hotp",
            OtpKind::Steam => "steam",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OtpParams {
    pub kind: OtpKind,
    pub algorithm: Algorithm,
    pub digits: u8,
}

pub const DEFAULT_PERIOD: u32 = 30;
pub const MAX_PERIOD: u32 = 24 * 60 * 60;
pub const STEAM_DIGITS: u8 = 5;

impl OtpParams {
    /// The parameters almost every service uses: TOTP, SHA1, 6 digits, 30 seconds.
    pub fn default_totp() -> OtpParams {
        OtpParams {
            kind: OtpKind::Totp {
                period: DEFAULT_PERIOD,
            },
            algorithm: Algorithm::Sha1,
            digits: 6,
        }
    }

    pub fn steam() -> OtpParams {
        OtpParams {
            kind: OtpKind::Steam,
            algorithm: Algorithm::Sha1,
            digits: STEAM_DIGITS,
        }
    }

    /// Checks what code generation relies on; every constructor path goes through here.
    pub fn validate(self) -> Result<OtpParams> {
        match self.kind {
            OtpKind::Steam => {
                if self.digits != STEAM_DIGITS || self.algorithm != Algorithm::Sha1 {
                    return Err(Error::invalid("digits", "Steam codes have 5 characters"));
                }
            }
            OtpKind::Totp { period } => {
                if !(1..=MAX_PERIOD).contains(&period) {
                    return Err(Error::invalid("period", "use 1 to 86400 seconds"));
                }
                check_digits(self.digits)?;
            }
            OtpKind::Hotp { .. } => check_digits(self.digits)?,
        }
        Ok(self)
    }

    /// Seconds per code for time-based kinds.
    pub fn period(self) -> Option<u32> {
        match self.kind {
            OtpKind::Totp { period } => Some(period),
            OtpKind::Steam => Some(DEFAULT_PERIOD),
            OtpKind::Hotp { .. } => None,
        }
    }
}

fn check_digits(digits: u8) -> Result<()> {
    if (6..=8).contains(&digits) {
        Ok(())
    } else {
        Err(Error::invalid("digits", "use 6, 7 or 8 digits"))
    }
}
