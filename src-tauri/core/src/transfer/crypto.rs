//! The ciphers and key derivations other apps encrypt their exports with, each key derivation
//! priced against the import's budget before it runs. A tag or MAC that does not match reads
//! as a wrong password: with these constructions the two cannot be told apart.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use zeroize::Zeroizing;

use super::kdf::{KdfBudget, KdfCost};
use crate::error::{Error, Result};

pub(crate) type Key = Zeroizing<[u8; 32]>;

pub(crate) fn damaged(reason: impl Into<String>) -> Error {
    Error::BackupDamaged(reason.into())
}

/// PBKDF2 with HMAC-SHA1, -SHA256 or -SHA512, 32 bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Pbkdf2 {
    Sha1,
    Sha256,
    Sha512,
}

pub(crate) fn pbkdf2(
    hash: Pbkdf2,
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    kdf: &mut KdfBudget,
) -> Result<Key> {
    if iterations == 0 {
        return Err(damaged("the key derivation has no iterations"));
    }
    kdf.spend(&[KdfCost::pbkdf2(iterations)])?;
    Ok(pbkdf2_paid(hash, password, salt, iterations))
}

/// PBKDF2 whose cost the caller has already spent from the import's budget (a file with
/// many derivations prices them all before the first).
pub(crate) fn pbkdf2_paid(hash: Pbkdf2, password: &[u8], salt: &[u8], iterations: u32) -> Key {
    let mut key = Zeroizing::new([0u8; 32]);
    let out = key.as_mut_slice();
    match hash {
        Pbkdf2::Sha1 => pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, salt, iterations, out),
        Pbkdf2::Sha256 => pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, iterations, out),
        Pbkdf2::Sha512 => pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password, salt, iterations, out),
    }
    key
}

/// Argon2id with `memory_kib`, `passes` and `lanes`, 32 bytes.
pub(crate) fn argon2id(
    password: &[u8],
    salt: &[u8],
    memory_kib: u32,
    passes: u32,
    lanes: u32,
    kdf: &mut KdfBudget,
) -> Result<Key> {
    kdf.spend(&[KdfCost::argon2(memory_kib, passes)])?;
    let params = argon2::Params::new(memory_kib, passes, lanes, Some(32))
        .map_err(|e| damaged(format!("the Argon2 parameters are not valid: {e}")))?;
    // The memory is taken here, fallibly: a phone that cannot spare it refuses the file
    // instead of being killed for running out.
    let mut blocks: Vec<argon2::Block> = Vec::new();
    blocks
        .try_reserve_exact(params.block_count())
        .map_err(|_| Error::BackupTooCostly)?;
    blocks.resize(params.block_count(), argon2::Block::default());
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into_with_memory(password, salt, key.as_mut_slice(), &mut blocks)
        .map_err(|e| damaged(format!("the key derivation failed: {e}")))?;
    Ok(key)
}

/// AES-256-GCM: `sealed` is the ciphertext with its 16-byte tag at the end, `aad` what the
/// tag covers besides.
pub(crate) fn aes_gcm_open(
    key: &[u8],
    nonce: &[u8],
    sealed: &[u8],
    aad: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    if nonce.len() != 12 {
        return Err(damaged("the nonce is not 12 bytes"));
    }
    let cipher = Aes256Gcm::new_from_slice(key).map_err(|_| damaged("the key is not 32 bytes"))?;
    let payload = aes_gcm::aead::Payload { msg: sealed, aad };
    cipher
        .decrypt(Nonce::from_slice(nonce), payload)
        .map(Zeroizing::new)
        .map_err(|_| Error::WrongBackupPassword)
}

/// AES-256-CBC with PKCS#7 padding. Without a MAC a wrong key shows only as bad padding or
/// as contents that do not parse; both read as a wrong password.
pub(crate) fn aes_cbc_open(key: &[u8], iv: &[u8], ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    use cbc::cipher::{BlockDecryptMut, KeyIvInit, block_padding::Pkcs7};
    let decryptor = cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
        .map_err(|_| damaged("the key or IV has the wrong length"))?;
    decryptor
        .decrypt_padded_vec_mut::<Pkcs7>(ciphertext)
        .map(Zeroizing::new)
        .map_err(|_| Error::WrongBackupPassword)
}

/// HMAC-SHA256 of `parts`, checked against `mac` in constant time.
pub(crate) fn hmac_sha256_check(key: &[u8], parts: &[&[u8]], mac: &[u8]) -> Result<()> {
    use hmac::Mac;
    let mut hmac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(key)
        .map_err(|_| damaged("the MAC key is not valid"))?;
    for part in parts {
        hmac.update(part);
    }
    hmac.verify_slice(mac)
        .map_err(|_| Error::WrongBackupPassword)
}

/// libsodium's `crypto_secretstream_xchacha20poly1305`, pulling the one message a stream of
/// a single chunk holds: `header` (24 bytes) starts the stream, `chunk` is the tag byte, the
/// message and its 16-byte MAC. Ente writes that one message with the final tag; as Ente's
/// own reader, this does not insist on it.
pub(crate) fn secretstream_open(
    key: &[u8],
    header: &[u8],
    chunk: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    use chacha20::cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};
    use poly1305::universal_hash::KeyInit as _;
    if key.len() != 32 || header.len() != 24 {
        return Err(damaged("the stream header is not 24 bytes"));
    }
    if chunk.len() < 17 {
        return Err(damaged("the encrypted data is too short"));
    }
    // The stream's own key and nonce: HChaCha20 of the first 16 header bytes; the nonce is a
    // block counter of 1 and the header's last 8 bytes.
    let mut subkey: Key = Zeroizing::new([0u8; 32]);
    subkey.copy_from_slice(&chacha20::hchacha::<chacha20::cipher::consts::U10>(
        key.into(),
        header[..16].into(),
    ));
    let mut nonce = [0u8; 12];
    nonce[0] = 1;
    nonce[4..].copy_from_slice(&header[16..]);
    let mut stream = chacha20::ChaCha20::new(subkey.as_slice().into(), &nonce.into());

    let (body, mac) = chunk.split_at(chunk.len() - 16);
    let (sealed_tag, message) = body.split_at(1);
    let mut poly_key = Zeroizing::new([0u8; 32]);
    stream.apply_keystream(poly_key.as_mut_slice());
    // What the MAC covers: block 1 of the key stream over the tag byte (with the tag as sent
    // in its first byte), the ciphertext, then libsodium's padding of `mlen % 16` zero bytes
    // (not the usual padding to a whole block: a quirk the format keeps), and the lengths.
    let mut block = [0u8; 64];
    block[0] = sealed_tag[0];
    stream.seek(64u64);
    stream.apply_keystream(&mut block);
    block[0] = sealed_tag[0];
    let mut covered = Vec::with_capacity(64 + message.len() + 16 + 16);
    covered.extend_from_slice(&block);
    covered.extend_from_slice(message);
    covered.resize(covered.len() + message.len() % 16, 0);
    covered.extend_from_slice(&0u64.to_le_bytes());
    covered.extend_from_slice(&(64 + message.len() as u64).to_le_bytes());
    let expected = poly1305::Poly1305::new(poly_key.as_slice().into()).compute_unpadded(&covered);
    if !bool::from(subtle::ConstantTimeEq::ct_eq(expected.as_slice(), mac)) {
        return Err(Error::WrongBackupPassword);
    }
    let mut plain = Zeroizing::new(message.to_vec());
    stream.seek(128u64);
    stream.apply_keystream(&mut plain);
    Ok(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(text: &str) -> Vec<u8> {
        data_encoding::HEXLOWER.decode(text.as_bytes()).unwrap()
    }

    /// Made with libsodium (PyNaCl): a stream of one final message, and crypto_pwhash.
    #[test]
    fn matches_libsodium() {
        let key: Vec<u8> = (0..32).collect();
        let header = hex("64c13df5f3c3bf469caa6e7e20a9673cb6ddca69b3a65e54");
        let chunk = hex("00215097cd132cf3db44ca90501c728fd80881d0c27274f168bc260f78");
        assert_eq!(
            secretstream_open(&key, &header, &chunk).unwrap().as_slice(),
            b"hello stream"
        );
        let mut bad = chunk.clone();
        bad[3] ^= 1;
        assert_eq!(
            secretstream_open(&key, &header, &bad).unwrap_err().code(),
            "wrong_backup_password"
        );
        let argon = argon2id(
            b"password",
            b"0123456789abcdef",
            8192,
            2,
            1,
            &mut KdfBudget::default(),
        )
        .unwrap();
        assert_eq!(
            argon.as_slice(),
            hex("46f624183046236e17a06987901e23b6fed977877090ef49f75675ac94cddd21")
        );
    }
}
