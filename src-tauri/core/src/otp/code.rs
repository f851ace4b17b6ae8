//! Computing codes (RFC 4226 / RFC 6238 / Steam) from validated parameters.

use totp_rs::{Builder, Totp};

use super::params::{Algorithm, OtpKind, OtpParams};
use super::secret::SecretKey;

/// The code to show now, and when it stops being valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub current: String,
    /// The code of the following period, shown near the end of the current one.
    pub next: Option<String>,
    /// Unix seconds at which the current code started and stops being valid (time-based kinds).
    pub valid_from: Option<u64>,
    pub valid_until: Option<u64>,
}

/// The code for `unix_time` (TOTP, Steam) or for the stored counter (HOTP).
///
/// `params` must have passed [`OtpParams::validate`]: totp-rs panics on digits ≥ 10 and on a
/// zero period, and its own checks refuse the 80-bit secrets most services use.
pub fn code_at(params: &OtpParams, secret: &SecretKey, unix_time: u64) -> String {
    let (generator, moving_factor) = match params.kind {
        OtpKind::Totp { period } => (generator(params, secret, period), unix_time),
        OtpKind::Steam => (generator(params, secret, 30), unix_time),
        // A step of one second turns the "time" into the counter itself.
        OtpKind::Hotp { counter } => (generator(params, secret, 1), counter),
    };
    generator.generate(moving_factor).to_string()
}

/// The current code with its validity window, and the next one for time-based kinds.
pub fn current_code(params: &OtpParams, secret: &SecretKey, unix_time: u64) -> Code {
    let current = code_at(params, secret, unix_time);
    match params.period() {
        Some(period) => {
            let period = u64::from(period);
            let valid_from = unix_time - unix_time % period;
            let valid_until = valid_from + period;
            Code {
                current,
                next: Some(code_at(params, secret, valid_until)),
                valid_from: Some(valid_from),
                valid_until: Some(valid_until),
            }
        }
        None => Code {
            current,
            next: None,
            valid_from: None,
            valid_until: None,
        },
    }
}

fn generator(params: &OtpParams, secret: &SecretKey, step: u32) -> Totp {
    let algorithm = match (params.kind, params.algorithm) {
        (OtpKind::Steam, _) => totp_rs::Algorithm::Steam,
        (_, Algorithm::Sha1) => totp_rs::Algorithm::SHA1,
        (_, Algorithm::Sha256) => totp_rs::Algorithm::SHA256,
        (_, Algorithm::Sha512) => totp_rs::Algorithm::SHA512,
    };
    Builder::new()
        .with_algorithm(algorithm)
        .with_digits(params.digits)
        .with_step_duration(u64::from(step.max(1)))
        .with_secret(secret.as_bytes().to_vec())
        .build_noncompliant()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ascii_secret(text: &str) -> SecretKey {
        SecretKey::from_bytes(text.as_bytes().to_vec()).unwrap()
    }

    fn totp(algorithm: Algorithm, digits: u8) -> OtpParams {
        OtpParams {
            kind: OtpKind::Totp { period: 30 },
            algorithm,
            digits,
        }
        .validate()
        .unwrap()
    }

    /// RFC 6238 Appendix B. The SHA256 and SHA512 seeds are 32 and 64 bytes long.
    #[test]
    fn rfc_6238_appendix_b() {
        let sha1 = ascii_secret("12345678901234567890");
        let sha256 = ascii_secret("12345678901234567890123456789012");
        let sha512 =
            ascii_secret("1234567890123456789012345678901234567890123456789012345678901234");
        let vectors: [(u64, &str, &str, &str); 6] = [
            (59, "94287082", "46119246", "90693936"),
            (1111111109, "07081804", "68084774", "25091201"),
            (1111111111, "14050471", "67062674", "99943326"),
            (1234567890, "89005924", "91819424", "93441116"),
            (2000000000, "69279037", "90698825", "38618901"),
            (20000000000, "65353130", "77737706", "47863826"),
        ];
        for (time, want1, want256, want512) in vectors {
            assert_eq!(
                code_at(&totp(Algorithm::Sha1, 8), &sha1, time),
                want1,
                "SHA1 @{time}"
            );
            assert_eq!(
                code_at(&totp(Algorithm::Sha256, 8), &sha256, time),
                want256,
                "SHA256 @{time}"
            );
            assert_eq!(
                code_at(&totp(Algorithm::Sha512, 8), &sha512, time),
                want512,
                "SHA512 @{time}"
            );
        }
    }

    /// RFC 4226 Appendix D.
    #[test]
    fn rfc_4226_appendix_d() {
        let secret = ascii_secret("12345678901234567890");
        let want = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489",
        ];
        for (counter, want) in want.iter().enumerate() {
            let params = OtpParams {
                kind: OtpKind::Hotp {
                    counter: counter as u64,
                },
                algorithm: Algorithm::Sha1,
                digits: 6,
            };
            assert_eq!(code_at(&params, &secret, 0), *want, "counter {counter}");
        }
    }

    #[test]
    fn six_digit_codes_keep_leading_zeros_and_know_their_window() {
        let secret = ascii_secret("12345678901234567890");
        let code = current_code(&totp(Algorithm::Sha1, 6), &secret, 1111111109);
        assert_eq!(code.current, "081804");
        assert_eq!(code.valid_from, Some(1111111080));
        assert_eq!(code.valid_until, Some(1111111110));
        assert_eq!(code.next.as_deref(), Some("050471"));
    }

    #[test]
    fn steam_codes_use_steams_alphabet() {
        let secret = ascii_secret("12345678901234567890");
        let code = code_at(&OtpParams::steam(), &secret, 1111111109);
        assert_eq!(code.len(), 5);
        assert!(
            code.chars()
                .all(|c| "23456789BCDFGHJKMNPQRTVWXY".contains(c)),
            "{code}"
        );
    }
}
