//! Where a KeePass entry keeps its code, and the account it makes.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use super::super::exported::{ExportedAccount, ExportedKind, ExportedSecret};
use crate::error::{Error, Result};
use crate::otp::{AccountDraft, parse_uri};

/// An entry's code, as the entry holds it.
pub(super) enum Code {
    /// The `otp` field: an otpauth:// link, or KeeOTP's `key=…&size=…&step=…`.
    Otp(Zeroizing<String>),
    /// KeePassXC before 2.4: a Base32 seed and `period;digits` (`S` for Steam's digits).
    Legacy {
        seed: Zeroizing<String>,
        settings: String,
    },
    /// KeePass 2.47's own fields, `TimeOtp-*` or `HmacOtp-*`.
    KeePass {
        secret: Result<Zeroizing<Vec<u8>>>,
        time_based: bool,
        digits: Option<String>,
        period: Option<String>,
        algorithm: Option<String>,
        counter: Option<String>,
    },
}

/// The code `entry` holds, if any.
pub(super) fn code_of(entry: &keepass::db::Entry) -> Option<Code> {
    let field = |name: &str| entry.get(name).map(str::trim).filter(|v| !v.is_empty());
    if let Some(otp) = field("otp") {
        return Some(Code::Otp(Zeroizing::new(otp.to_string())));
    }
    if let Some(seed) = field("TOTP Seed") {
        return Some(Code::Legacy {
            seed: Zeroizing::new(seed.to_string()),
            settings: field("TOTP Settings").unwrap_or("30;6").to_string(),
        });
    }
    for (prefix, time_based) in [("TimeOtp-", true), ("HmacOtp-", false)] {
        let named = |suffix: &str| field(&format!("{prefix}{suffix}"));
        let secret = if let Some(text) = named("Secret") {
            Ok(text.as_bytes().to_vec())
        } else if let Some(hex) = named("Secret-Hex") {
            data_encoding::HEXLOWER_PERMISSIVE
                .decode(Zeroizing::new(hex.replace(' ', "")).as_bytes())
                .map_err(|_| Error::invalid("secret", "the key is not hexadecimal"))
        } else if let Some(base32) = named("Secret-Base32") {
            crate::otp::SecretKey::from_base32(base32).map(|key| key.as_bytes().to_vec())
        } else if let Some(base64) = named("Secret-Base64") {
            STANDARD
                .decode(base64)
                .map_err(|_| Error::invalid("secret", "the key is not Base64"))
        } else {
            continue;
        };
        return Some(Code::KeePass {
            secret: secret.map(Zeroizing::new),
            time_based,
            digits: named("Length").map(str::to_string),
            period: named("Period").map(str::to_string),
            algorithm: named("Algorithm").map(str::to_string),
            counter: named("Counter").map(str::to_string),
        });
    }
    None
}

fn number(text: Option<&str>, field: &'static str) -> Result<Option<u64>> {
    text.map(|t| {
        t.trim()
            .parse::<u64>()
            .map_err(|_| Error::invalid(field, "this is not a number"))
    })
    .transpose()
}

/// "HMAC-SHA-256", "SHA256", "Sha256" as the name Pocket knows.
fn algorithm_name(text: &str) -> String {
    let upper = text.trim().to_ascii_uppercase();
    upper.trim_start_matches("HMAC-").replace('-', "")
}

pub(super) fn draft(code: Code, title: &str, user: &str) -> Result<AccountDraft> {
    match code {
        Code::Otp(otp)
            if otp
                .get(..10)
                .is_some_and(|s| s.eq_ignore_ascii_case("otpauth://")) =>
        {
            let AccountDraft {
                issuer,
                name,
                secret,
                params,
                ..
            } = parse_uri(&otp)?;
            let issuer = if issuer.is_empty() { title } else { &issuer };
            let name = if name.is_empty() { user } else { &name };
            AccountDraft::new(issuer, name, secret, params)
        }
        Code::Otp(otp) => keeotp(&otp, title, user),
        Code::Legacy { seed, settings } => {
            let mut parts = settings.split(';').map(str::trim);
            let period = parts.next().filter(|p| !p.is_empty());
            let digits = parts.next().filter(|d| !d.is_empty());
            let steam = digits == Some("S");
            ExportedAccount {
                issuer: title,
                name: user,
                kind: if steam {
                    ExportedKind::Steam
                } else {
                    ExportedKind::Totp
                },
                secret: ExportedSecret::Base32(&seed),
                algorithm: None,
                digits: number(digits.filter(|_| !steam), "digits")?,
                period: number(period, "period")?,
                counter: None,
            }
            .draft()
        }
        Code::KeePass {
            secret,
            time_based,
            digits,
            period,
            algorithm,
            counter,
        } => {
            let secret = secret?;
            let algorithm = algorithm.as_deref().map(algorithm_name);
            ExportedAccount {
                issuer: title,
                name: user,
                kind: if time_based {
                    ExportedKind::Totp
                } else {
                    ExportedKind::Hotp
                },
                secret: ExportedSecret::Bytes(secret.to_vec()),
                algorithm: algorithm.as_deref(),
                digits: number(digits.as_deref(), "digits")?,
                period: number(period.as_deref(), "period")?,
                // KeePass's counter is the one its next code uses, as Pocket's is; a missing
                // one is the first, 0.
                counter: Some(number(counter.as_deref(), "counter")?.unwrap_or(0)),
            }
            .draft()
        }
    }
}

/// KeeOTP's form of the `otp` field: `key=BASE32&size=6&step=30&otpHashMode=Sha256`.
fn keeotp(text: &str, title: &str, user: &str) -> Result<AccountDraft> {
    let mut key = None;
    let (mut size, mut step, mut mode) = (None, None, None);
    for (name, value) in url::form_urlencoded::parse(text.as_bytes()) {
        match name.as_ref() {
            "key" => key = Some(Zeroizing::new(value.into_owned())),
            "size" => size = Some(value.into_owned()),
            "step" => step = Some(value.into_owned()),
            "otpHashMode" => mode = Some(algorithm_name(&value)),
            _ => {}
        }
    }
    let key = key.ok_or(Error::MissingParameter("secret"))?;
    ExportedAccount {
        issuer: title,
        name: user,
        kind: ExportedKind::Totp,
        secret: ExportedSecret::Base32(&key),
        algorithm: mode.as_deref(),
        digits: number(size.as_deref(), "digits")?,
        period: number(step.as_deref(), "period")?,
        counter: None,
    }
    .draft()
}
