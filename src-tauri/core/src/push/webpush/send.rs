//! Writing a Web Push message to a phone's subscription keys.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes128Gcm, Nonce};
use p256::{PublicKey, SecretKey};
use zeroize::Zeroizing;

use super::{AUTH_BYTES, HEADER_BYTES, MAX_MESSAGE_BYTES, PUBLIC_KEY_BYTES, SALT_BYTES, TAG_BYTES};
use super::{content_keys, encoded_point, random_bytes, record_nonce};
use crate::error::{Error, Result};

/// The longest plaintext that fits a push service's limit in one record: the header, the
/// sender's key, the delimiter and the tag take the rest.
pub const MAX_PLAINTEXT_BYTES: usize =
    MAX_MESSAGE_BYTES - HEADER_BYTES - PUBLIC_KEY_BYTES - 1 - TAG_BYTES;
/// The record size written in the header. One record carries the whole message, so this only
/// has to be at least as large as it; 4096 is what browsers and other senders write.
const RECORD_SIZE: u32 = 4096;

/// `plaintext` as an `aes128gcm` body for the phone whose subscription gave `p256dh` and
/// `auth`: one record, from a fresh sender key and salt, so two messages never share a key.
pub fn encrypt(p256dh: &[u8], auth: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
    if plaintext.len() > MAX_PLAINTEXT_BYTES {
        return Err(Error::TooLong {
            param: "wake-up message",
            limit: MAX_PLAINTEXT_BYTES,
        });
    }
    let refused = |why: &str| Error::Crypto(format!("the phone's subscription {why}"));
    if auth.len() != AUTH_BYTES {
        return Err(refused("has an auth secret of the wrong length"));
    }
    let phone =
        PublicKey::from_sec1_bytes(p256dh).map_err(|_| refused("has no P-256 public key"))?;
    let phone_key = encoded_point(&phone);
    let sender = SecretKey::random(&mut rand_core::OsRng);
    let sender_key = encoded_point(&sender.public_key());
    let mut salt = [0u8; SALT_BYTES];
    random_bytes(&mut salt)?;
    let shared = p256::ecdh::diffie_hellman(sender.to_nonzero_scalar(), phone.as_affine());
    let (key, base_nonce) = content_keys(
        shared.raw_secret_bytes().as_slice(),
        auth,
        &phone_key,
        &sender_key,
        &salt,
    );
    let cipher = Aes128Gcm::new_from_slice(key.as_slice())
        .map_err(|_| Error::Crypto("a content key of the wrong size".into()))?;
    // The last (here, only) record's delimiter is 2; no padding after it.
    let mut padded = Zeroizing::new(Vec::with_capacity(plaintext.len() + 1));
    padded.extend_from_slice(plaintext);
    padded.push(2);
    let record = cipher
        .encrypt(
            Nonce::from_slice(&record_nonce(&base_nonce, 0)),
            padded.as_slice(),
        )
        .map_err(|_| Error::Crypto("the wake-up message could not be sealed".into()))?;
    let mut body = Vec::with_capacity(HEADER_BYTES + PUBLIC_KEY_BYTES + record.len());
    body.extend_from_slice(&salt);
    body.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    body.push(PUBLIC_KEY_BYTES as u8);
    body.extend_from_slice(&sender_key);
    body.extend_from_slice(&record);
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::super::WebPushKeys;
    use super::*;

    #[test]
    fn what_is_sent_is_what_the_phone_reads() {
        let keys = WebPushKeys::generate().unwrap();
        for plaintext in [
            &b""[..],
            b"{\"nonce\":\"N\"}",
            &[0u8; 300],
            &[7u8; MAX_PLAINTEXT_BYTES],
        ] {
            let body = encrypt(&keys.public_key(), &keys.auth(), plaintext).unwrap();
            assert!(body.len() <= MAX_MESSAGE_BYTES);
            assert_eq!(keys.decrypt(&body).unwrap(), plaintext);
        }
    }

    #[test]
    fn no_two_messages_share_a_key() {
        let keys = WebPushKeys::generate().unwrap();
        let first = encrypt(&keys.public_key(), &keys.auth(), b"same").unwrap();
        let second = encrypt(&keys.public_key(), &keys.auth(), b"same").unwrap();
        assert_ne!(first[..SALT_BYTES], second[..SALT_BYTES], "salt");
        assert_ne!(first[HEADER_BYTES..], second[HEADER_BYTES..], "sender key");
    }

    #[test]
    fn a_message_or_subscription_out_of_bounds_is_refused() {
        let keys = WebPushKeys::generate().unwrap();
        assert!(matches!(
            encrypt(
                &keys.public_key(),
                &keys.auth(),
                &[0; MAX_PLAINTEXT_BYTES + 1]
            ),
            Err(Error::TooLong {
                limit: MAX_PLAINTEXT_BYTES,
                ..
            })
        ));
        let mut off_curve = keys.public_key();
        off_curve[40] ^= 1;
        for (p256dh, auth, why) in [
            (&off_curve[..], &keys.auth()[..], "has no P-256 public key"),
            (
                &keys.public_key()[..64],
                &keys.auth()[..],
                "has no P-256 public key",
            ),
            (
                &keys.public_key()[..],
                &keys.auth()[..15],
                "has an auth secret of the wrong length",
            ),
        ] {
            match encrypt(p256dh, auth, b"x") {
                Err(Error::Crypto(text)) => {
                    assert_eq!(text, format!("the phone's subscription {why}"))
                }
                other => panic!("{other:?}"),
            }
        }
    }
}
