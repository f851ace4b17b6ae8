//! Reading a Web Push message with the phone's keys.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes128Gcm, Nonce};
use p256::PublicKey;
use zeroize::Zeroizing;

use super::{
    HEADER_BYTES, MAX_MESSAGE_BYTES, PUBLIC_KEY_BYTES, SALT_BYTES, TAG_BYTES, WebPushKeys,
};
use super::{content_keys, record_nonce};
use crate::error::{Error, Result};

impl WebPushKeys {
    /// The plaintext of an `aes128gcm` message body encrypted to these keys. A body that is
    /// too long, malformed, from a key that is not a P-256 point, or that fails its tag is
    /// refused whole; nothing of it is returned.
    pub fn decrypt(&self, body: &[u8]) -> Result<Vec<u8>> {
        let refused = |why: &str| Error::Crypto(format!("the wake-up message {why}"));
        if body.len() > MAX_MESSAGE_BYTES {
            return Err(refused("is too long"));
        }
        if body.len() < HEADER_BYTES {
            return Err(refused("is cut short"));
        }
        let (salt, rest) = body.split_at(SALT_BYTES);
        let record_size = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        let key_id_length = usize::from(rest[4]);
        let rest = &rest[5..];
        if key_id_length != PUBLIC_KEY_BYTES || rest.len() < key_id_length {
            return Err(refused("does not carry the sender's key"));
        }
        let (sender_key, ciphertext) = rest.split_at(key_id_length);
        if record_size <= TAG_BYTES + 1 || ciphertext.is_empty() {
            return Err(refused("has no content"));
        }
        let sender = PublicKey::from_sec1_bytes(sender_key)
            .map_err(|_| refused("carries a sender key that is not a P-256 point"))?;
        let shared =
            p256::ecdh::diffie_hellman(self.secret.to_nonzero_scalar(), sender.as_affine());
        let (key, base_nonce) = content_keys(
            shared.raw_secret_bytes().as_slice(),
            self.auth.as_slice(),
            &self.public_key(),
            sender_key,
            salt,
        );
        let cipher = Aes128Gcm::new_from_slice(key.as_slice())
            .map_err(|_| refused("gives a key of the wrong size"))?;
        let records: Vec<&[u8]> = ciphertext.chunks(record_size).collect();
        let mut plaintext = Vec::with_capacity(ciphertext.len());
        for (sequence, record) in records.iter().enumerate() {
            let nonce = record_nonce(&base_nonce, sequence as u64);
            let opened = Zeroizing::new(
                cipher
                    .decrypt(Nonce::from_slice(&nonce), *record)
                    .map_err(|_| refused("fails its integrity check"))?,
            );
            let last = sequence + 1 == records.len();
            plaintext.extend_from_slice(
                unpad(&opened, last).ok_or_else(|| refused("is padded wrongly"))?,
            );
        }
        Ok(plaintext)
    }
}

/// A record's content without its padding: trailing zeros, then the delimiter, 2 on the last
/// record and 1 on the others.
fn unpad(record: &[u8], last: bool) -> Option<&[u8]> {
    let end = record.iter().rposition(|&byte| byte != 0)?;
    let wanted = if last { 2 } else { 1 };
    (record[end] == wanted).then(|| &record[..end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn b64(text: &str) -> Vec<u8> {
        URL_SAFE_NO_PAD.decode(text).unwrap()
    }

    /// RFC 8291 appendix A's example (checked against pyca/cryptography when it was added).
    const UA_PRIVATE: &str = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
    const UA_PUBLIC: &str =
        "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";
    const BODY: &str = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    fn example_keys() -> WebPushKeys {
        WebPushKeys::from_parts(&b64(UA_PRIVATE), &b64(AUTH)).unwrap()
    }

    #[test]
    fn the_rfcs_example_message_decrypts() {
        let keys = example_keys();
        assert_eq!(keys.public_key().to_vec(), b64(UA_PUBLIC));
        assert_eq!(
            keys.decrypt(&b64(BODY)).unwrap(),
            b"When I grow up, I want to be a watermelon"
        );
    }

    #[test]
    fn a_tampered_cut_or_foreign_message_is_refused() {
        let keys = example_keys();
        let body = b64(BODY);
        let refused = |body: &[u8]| match keys.decrypt(body) {
            Err(Error::Crypto(why)) => why,
            other => panic!("{other:?}"),
        };
        let mut flipped = body.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(
            refused(&flipped),
            "the wake-up message fails its integrity check"
        );
        let mut salted = body.clone();
        salted[0] ^= 1;
        assert_eq!(
            refused(&salted),
            "the wake-up message fails its integrity check"
        );
        assert_eq!(refused(&body[..10]), "the wake-up message is cut short");
        assert_eq!(
            refused(&body[..HEADER_BYTES + 30]),
            "the wake-up message does not carry the sender's key"
        );
        let mut off_curve = body.clone();
        off_curve[HEADER_BYTES + 5] ^= 1;
        assert_eq!(
            refused(&off_curve),
            "the wake-up message carries a sender key that is not a P-256 point"
        );
        assert_eq!(
            refused(&vec![0; MAX_MESSAGE_BYTES + 1]),
            "the wake-up message is too long"
        );
        // The same message, for another phone's keys.
        let other = WebPushKeys::generate().unwrap();
        assert!(
            matches!(other.decrypt(&body), Err(Error::Crypto(why)) if why == "the wake-up message fails its integrity check")
        );
    }

    #[test]
    fn a_mangled_message_never_panics_nor_reads_as_another() {
        let keys = example_keys();
        let body = b64(BODY);
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |below: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % below as u64) as usize
        };
        for _ in 0..2_000 {
            let mut mangled = body.clone();
            match next(3) {
                0 => mangled.truncate(next(body.len())),
                1 => mangled.extend((0..next(64) + 1).map(|_| next(256) as u8)),
                _ => {
                    for _ in 0..next(4) + 1 {
                        let at = next(mangled.len());
                        mangled[at] ^= (next(255) + 1) as u8;
                    }
                }
            }
            // The record size is not sealed: one that cuts the records the same way reads the
            // same message. Nothing else may come out.
            if let Ok(read) = keys.decrypt(&mangled) {
                assert_eq!(
                    read, b"When I grow up, I want to be a watermelon",
                    "{mangled:?}"
                );
            }
        }
    }

    #[test]
    fn keys_kept_and_read_back_are_the_same_keys() {
        let keys = WebPushKeys::generate().unwrap();
        let again = WebPushKeys::from_parts(&keys.private_bytes(), &keys.auth()).unwrap();
        assert_eq!(again.public_key(), keys.public_key());
        assert_eq!(keys.public_key()[0], 4, "an uncompressed point");
        assert!(WebPushKeys::from_parts(&[0; 32], &keys.auth()).is_err());
        assert!(WebPushKeys::from_parts(&keys.private_bytes(), &[0; 15]).is_err());
    }

    #[test]
    fn padding_is_read_as_rfc_8188_writes_it() {
        assert_eq!(unpad(&[7, 8, 2, 0, 0], true), Some(&[7u8, 8][..]));
        assert_eq!(unpad(&[7, 8, 1], false), Some(&[7u8, 8][..]));
        assert_eq!(unpad(&[7, 8, 1], true), None);
        assert_eq!(unpad(&[0, 0], true), None);
        assert_eq!(record_nonce(&[0; 12], 1)[11], 1);
        assert_eq!(record_nonce(&[0; 12], 0x0102)[10..], [1, 2]);
    }
}
