//! The shared secret of an account, and the lenient base32 that real services write it in.

use std::fmt;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Most bytes in a secret: real ones are 10 to 64; more is a mistake or an attack.
pub const MAX_SECRET_BYTES: usize = 1024;

fn too_long() -> Error {
    Error::TooLong {
        param: "secret",
        limit: MAX_SECRET_BYTES,
    }
}

/// A shared OTP secret. Wiped from memory on drop; never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(Zeroizing<Vec<u8>>);

impl SecretKey {
    pub fn from_bytes(bytes: Vec<u8>) -> Result<SecretKey> {
        let bytes = Zeroizing::new(bytes);
        if bytes.is_empty() {
            return Err(Error::invalid("secret", "it is empty"));
        }
        if bytes.len() > MAX_SECRET_BYTES {
            return Err(too_long());
        }
        Ok(SecretKey(bytes))
    }

    /// Parses base32 as services really write it: any case, with spaces or dashes between
    /// groups, with or without `=` padding. Only characters outside the alphabet are refused.
    pub fn from_base32(text: &str) -> Result<SecretKey> {
        // Generous for spaces and padding; the decoded length is checked below.
        if text.len() > MAX_SECRET_BYTES * 4 {
            return Err(too_long());
        }
        let mut bits: u64 = 0;
        let mut bit_count = 0u32;
        let mut bytes = Zeroizing::new(Vec::with_capacity(text.len() * 5 / 8));
        let mut padding_started = false;
        for (position, ch) in text.chars().enumerate() {
            if ch.is_whitespace() || ch == '-' {
                continue;
            }
            if ch == '=' {
                padding_started = true;
                continue;
            }
            // Deliberately does not quote the character: error texts end up in logs.
            let not_base32 = || {
                Error::invalid(
                    "secret",
                    format!("character {} is not base32", position + 1),
                )
            };
            // Not ASCII: `as u8` would cut 'Ł' (U+0141) down to 'A'.
            if padding_started || !ch.is_ascii() {
                return Err(not_base32());
            }
            let upper = ch.to_ascii_uppercase() as u8;
            let value = ALPHABET
                .iter()
                .position(|&a| a == upper)
                .ok_or_else(not_base32)?;
            bits = (bits << 5) | value as u64;
            bit_count += 5;
            if bit_count >= 8 {
                bit_count -= 8;
                bytes.push((bits >> bit_count) as u8);
                bits &= (1 << bit_count) - 1;
            }
        }
        if bytes.is_empty() {
            return Err(Error::invalid("secret", "it is empty"));
        }
        if bytes.len() > MAX_SECRET_BYTES {
            return Err(too_long());
        }
        Ok(SecretKey(bytes))
    }

    /// Canonical base32: upper case, no padding.
    pub fn to_base32(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::with_capacity(self.0.len().div_ceil(5) * 8));
        let mut bits: u64 = 0;
        let mut bit_count = 0u32;
        for &byte in self.0.iter() {
            bits = (bits << 8) | byte as u64;
            bit_count += 8;
            while bit_count >= 5 {
                bit_count -= 5;
                out.push(ALPHABET[((bits >> bit_count) & 31) as usize] as char);
            }
            bits &= (1 << bit_count) - 1;
        }
        if bit_count > 0 {
            out.push(ALPHABET[((bits << (5 - bit_count)) & 31) as usize] as char);
        }
        out
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn bit_len(&self) -> usize {
        self.0.len() * 8
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey(<{} bits, redacted>)", self.bit_len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_have_a_length_limit() {
        let at_limit = "A".repeat((MAX_SECRET_BYTES * 8).div_ceil(5));
        assert_eq!(
            SecretKey::from_base32(&at_limit).unwrap().as_bytes().len(),
            MAX_SECRET_BYTES
        );
        for text in [
            "AAAAAAAA".repeat(MAX_SECRET_BYTES / 5 + 1),
            "A ".repeat(MAX_SECRET_BYTES * 3),
        ] {
            let error = SecretKey::from_base32(&text).unwrap_err();
            assert_eq!((error.code(), error.field()), ("too_long", Some("secret")));
        }
        let error = SecretKey::from_bytes(vec![1; MAX_SECRET_BYTES + 1]).unwrap_err();
        assert_eq!((error.code(), error.field()), ("too_long", Some("secret")));
    }

    #[test]
    fn decodes_the_rfc_4648_vectors() {
        let cases = [
            ("MY", "f"),
            ("MZXQ", "fo"),
            ("MZXW6", "foo"),
            ("MZXW6YQ", "foob"),
            ("MZXW6YTB", "fooba"),
            ("MZXW6YTBOI", "foobar"),
            ("MZXW6YTBOI======", "foobar"),
        ];
        for (encoded, plain) in cases {
            let key = SecretKey::from_base32(encoded).unwrap();
            assert_eq!(key.as_bytes(), plain.as_bytes(), "{encoded}");
            assert_eq!(*key.to_base32(), encoded.trim_end_matches('='), "{encoded}");
        }
    }

    #[test]
    fn accepts_secrets_as_services_write_them() {
        let canonical = SecretKey::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        for variant in [
            "jbswy3dpehpk3pxp",
            "JBSW Y3DP EHPK 3PXP",
            "jbsw-y3dp-ehpk-3pxp",
            " JBSWY3DPEHPK3PXP== ",
        ] {
            assert_eq!(
                SecretKey::from_base32(variant).unwrap(),
                canonical,
                "{variant}"
            );
        }
        assert_eq!(canonical.bit_len(), 80);
    }

    #[test]
    fn refuses_what_is_not_base32() {
        for bad in [
            "",
            "   ",
            "====",
            "JBSWY3DP1",
            "JBSW!Y3DP",
            "JBSWY3DP=A",
            "ÄBC",
            // Each of these is an alphabet letter once cut to a byte.
            "\u{141}\u{142}\u{143}",
            "JBSWY3DP\u{132}",
        ] {
            let err = SecretKey::from_base32(bad).unwrap_err();
            assert_eq!(err.field(), Some("secret"), "{bad:?}");
        }
    }

    #[test]
    fn never_prints_the_secret() {
        let key = SecretKey::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        let shown = format!("{key:?}");
        assert!(
            !shown.contains("JBSW") && shown.contains("redacted"),
            "{shown}"
        );
    }
}
