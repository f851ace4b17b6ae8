//! A seeded set of accounts for benchmarks, shared by the criterion bench and the comparison
//! with pyotp so both compute exactly the same codes.

use super::params::{Algorithm, OtpKind, OtpParams};
use super::secret::SecretKey;

/// `count` accounts: SHA1 mostly (as services use), SHA256 and SHA512 too; 6 to 8 digits;
/// 30 s mostly, 60 s some; 80 to 512-bit secrets.
pub fn bench_accounts(count: usize) -> Vec<(OtpParams, SecretKey)> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count)
        .map(|n| {
            let algorithm = match n % 10 {
                0 => Algorithm::Sha256,
                1 => Algorithm::Sha512,
                _ => Algorithm::Sha1,
            };
            let params = OtpParams {
                kind: OtpKind::Totp {
                    period: if n % 7 == 0 { 60 } else { 30 },
                },
                algorithm,
                digits: 6 + (n % 3) as u8,
            };
            let bytes = [10, 16, 20, 32, 64][n % 5];
            let secret: Vec<u8> = (0..bytes).map(|_| next() as u8).collect();
            let secret = SecretKey::from_bytes(secret).expect("10 to 64 bytes is a valid secret");
            (params, secret)
        })
        .collect()
}
