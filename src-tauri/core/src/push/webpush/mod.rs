//! Web Push messages (RFC 8030), as a UnifiedPush distributor or a browser-style push service
//! carries them: encrypted to the phone's P-256 key and auth secret with RFC 8291's key
//! derivation, in RFC 8188's `aes128gcm` content coding. The phone makes its keys and reads
//! messages (`receive`); pocket-relay and the reference service write them (`send`).

mod receive;
mod send;

use hmac::{Hmac, Mac};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{PublicKey, SecretKey};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

pub use send::{MAX_PLAINTEXT_BYTES, encrypt};

/// Push services carry at most this much of a message (RFC 8030 section 7.2 lets them refuse
/// more); a longer body is refused before any work.
pub const MAX_MESSAGE_BYTES: usize = 4096;
/// The salt, the record size and the key id's length come before the sender's key.
const HEADER_BYTES: usize = SALT_BYTES + 4 + 1;
const SALT_BYTES: usize = 16;
/// An uncompressed P-256 point.
const PUBLIC_KEY_BYTES: usize = 65;
const AUTH_BYTES: usize = 16;
/// AES-GCM's tag.
const TAG_BYTES: usize = 16;

/// The phone's keys for Web Push: its P-256 key pair and the auth secret.
pub struct WebPushKeys {
    secret: SecretKey,
    auth: Zeroizing<[u8; AUTH_BYTES]>,
}

impl WebPushKeys {
    /// New keys from the system's random source.
    pub fn generate() -> Result<WebPushKeys> {
        let mut auth = Zeroizing::new([0u8; AUTH_BYTES]);
        random_bytes(auth.as_mut_slice())?;
        Ok(WebPushKeys {
            secret: SecretKey::random(&mut rand_core::OsRng),
            auth,
        })
    }

    /// Keys kept earlier: the 32-byte private scalar and the auth secret.
    pub fn from_parts(private: &[u8], auth: &[u8]) -> Result<WebPushKeys> {
        let damaged = || Error::Crypto("the stored Web Push keys are damaged".into());
        let secret = SecretKey::from_slice(private).map_err(|_| damaged())?;
        let auth: [u8; AUTH_BYTES] = auth.try_into().map_err(|_| damaged())?;
        Ok(WebPushKeys {
            secret,
            auth: Zeroizing::new(auth),
        })
    }

    /// The private scalar, to keep with the phone's other keys.
    pub fn private_bytes(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(self.secret.to_bytes().to_vec())
    }

    /// The public key as a push subscription gives it (`p256dh`): an uncompressed point.
    pub fn public_key(&self) -> [u8; PUBLIC_KEY_BYTES] {
        encoded_point(&self.secret.public_key())
    }

    /// The auth secret as a push subscription gives it (`auth`).
    pub fn auth(&self) -> [u8; AUTH_BYTES] {
        *self.auth
    }
}

fn random_bytes(out: &mut [u8]) -> Result<()> {
    use rand_core::RngCore;
    rand_core::OsRng
        .try_fill_bytes(out)
        .map_err(|e| Error::Crypto(format!("cannot generate a key: {e}")))
}

fn encoded_point(key: &PublicKey) -> [u8; PUBLIC_KEY_BYTES] {
    let point = key.to_encoded_point(false);
    let mut out = [0u8; PUBLIC_KEY_BYTES];
    out.copy_from_slice(point.as_bytes());
    out
}

/// RFC 8291 section 3.3-3.4 and RFC 8188 section 2.2: the content key and the nonce, from
/// the key agreement's shared secret, the phone's auth secret, both public keys and the salt.
fn content_keys(
    shared_secret: &[u8],
    auth: &[u8],
    phone_key: &[u8],
    sender_key: &[u8],
    salt: &[u8],
) -> (Zeroizing<[u8; 16]>, [u8; 12]) {
    let prk_key = hmac_sha256(auth, &[shared_secret]);
    let ikm = hmac_sha256(
        prk_key.as_slice(),
        &[b"WebPush: info\0", phone_key, sender_key, &[1]],
    );
    let prk = hmac_sha256(salt, &[ikm.as_slice()]);
    let cek = hmac_sha256(prk.as_slice(), &[b"Content-Encoding: aes128gcm\0", &[1]]);
    let nonce = hmac_sha256(prk.as_slice(), &[b"Content-Encoding: nonce\0", &[1]]);
    let mut key = Zeroizing::new([0u8; 16]);
    key.copy_from_slice(&cek[..16]);
    let mut base = [0u8; 12];
    base.copy_from_slice(&nonce[..12]);
    (key, base)
}

/// One step of HKDF as RFC 8291 writes it out: HMAC-SHA-256 over the parts, in order.
fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Zeroizing<[u8; 32]> {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes a key of any length");
    for part in parts {
        mac.update(part);
    }
    Zeroizing::new(mac.finalize().into_bytes().into())
}

/// The nonce of record `sequence`: the base nonce with the sequence number XORed into its
/// low end.
fn record_nonce(base: &[u8; 12], sequence: u64) -> [u8; 12] {
    let mut nonce = *base;
    for (byte, sequence_byte) in nonce[4..].iter_mut().zip(sequence.to_be_bytes()) {
        *byte ^= sequence_byte;
    }
    nonce
}
