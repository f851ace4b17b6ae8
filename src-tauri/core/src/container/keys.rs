//! A container's cryptography: the phone's long-term ECDSA P-384 key (SHA-256, DER signatures
//! in base64url), and for every sync a fresh X25519 key whose shared secret with the server's
//! is the AES-256-GCM key of the reply (privacyIDEA uses the raw secret, no KDF).

use aes_gcm::AesGcm;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::aes::Aes256;
use aes_gcm::aes::cipher::consts::U16;
use base64::Engine;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use p384::ecdsa::signature::hazmat::PrehashSigner;
use p384::ecdsa::{Signature, SigningKey};
use p384::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rand_core::OsRng;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The phone's signing key for one container; the private half lives in the keychain.
pub struct ContainerKey(SigningKey);

impl ContainerKey {
    pub fn generate() -> ContainerKey {
        ContainerKey(SigningKey::random(&mut OsRng))
    }

    /// PKCS#8 DER, for the keychain.
    pub fn to_pkcs8(&self) -> Result<Zeroizing<Vec<u8>>> {
        let der = self
            .0
            .to_pkcs8_der()
            .map_err(|e| Error::Crypto(e.to_string()))?;
        Ok(Zeroizing::new(der.as_bytes().to_vec()))
    }

    pub fn from_pkcs8(der: &[u8]) -> Result<ContainerKey> {
        SigningKey::from_pkcs8_der(der)
            .map(ContainerKey)
            .map_err(|_| Error::Crypto("the stored container key is damaged".into()))
    }

    /// The public half as registration sends it: PEM SubjectPublicKeyInfo.
    pub fn public_key_pem(&self) -> Result<String> {
        self.0
            .verifying_key()
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| Error::Crypto(e.to_string()))
    }

    /// ECDSA over SHA-256 of the `|`-joined parts, DER-encoded, in base64url.
    pub fn sign(&self, parts: &[&str]) -> Result<String> {
        let digest = Sha256::digest(parts.join("|").as_bytes());
        let signature: Signature = self
            .0
            .sign_prehash(&digest)
            .map_err(|e| Error::Crypto(e.to_string()))?;
        Ok(URL_SAFE.encode(signature.to_der().as_bytes()))
    }

    #[cfg(test)]
    pub fn verifying_key(&self) -> p384::ecdsa::VerifyingKey {
        *self.0.verifying_key()
    }
}

/// The phone's half of one sync's key agreement.
pub struct SyncKey {
    secret: x25519_dalek::EphemeralSecret,
    public: x25519_dalek::PublicKey,
}

/// An encrypted reply as the server sends it, every field base64url.
pub struct Sealed<'a> {
    pub server_key: &'a str,
    pub init_vector: &'a str,
    pub tag: &'a str,
    pub ciphertext: &'a str,
}

/// Largest encrypted reply accepted: thousands of tokens fit.
const MAX_CIPHERTEXT: usize = 512 * 1024;

impl SyncKey {
    pub fn generate() -> SyncKey {
        let secret = x25519_dalek::EphemeralSecret::random_from_rng(OsRng);
        let public = x25519_dalek::PublicKey::from(&secret);
        SyncKey { secret, public }
    }

    /// The raw 32-byte public key, base64url, as the sync sends (and signs) it.
    pub fn public_base64(&self) -> String {
        URL_SAFE.encode(self.public.as_bytes())
    }

    /// Opens the server's reply. Consumes the key: every sync has its own.
    pub fn open(self, sealed: &Sealed<'_>) -> Result<Zeroizing<Vec<u8>>> {
        let unreadable = |what: &str| Error::ServerReply(format!("the sync reply's {what}"));
        let server_key: [u8; 32] = decode(sealed.server_key)
            .ok()
            .and_then(|k| k.try_into().ok())
            .ok_or_else(|| unreadable("key is not an X25519 key"))?;
        let shared = self
            .secret
            .diffie_hellman(&x25519_dalek::PublicKey::from(server_key));
        // A low-order point gives a secret anyone knows.
        if !shared.was_contributory() {
            return Err(unreadable("key is not a usable X25519 key"));
        }
        let iv = decode(sealed.init_vector).map_err(|_| unreadable("nonce is not base64"))?;
        let tag = decode(sealed.tag).map_err(|_| unreadable("tag is not base64"))?;
        let mut body = decode(sealed.ciphertext).map_err(|_| unreadable("body is not base64"))?;
        if iv.len() != 16 || tag.len() != 16 {
            return Err(unreadable("nonce or tag has the wrong length"));
        }
        if body.len() > MAX_CIPHERTEXT {
            return Err(Error::ReplyTooLarge);
        }
        body.extend_from_slice(&tag);
        let cipher = AesGcm::<Aes256, U16>::new_from_slice(shared.as_bytes())
            .map_err(|e| Error::Crypto(e.to_string()))?;
        cipher
            .decrypt(
                aes_gcm::Nonce::<U16>::from_slice(&iv),
                Payload {
                    msg: &body,
                    aad: &[],
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| unreadable("contents do not decrypt: it was changed on the way"))
    }
}

/// Base64url as privacyIDEA writes it (padded), also without padding or in standard base64.
fn decode(text: &str) -> std::result::Result<Vec<u8>, base64::DecodeError> {
    let text = text.trim();
    URL_SAFE
        .decode(text)
        .or_else(|_| URL_SAFE_NO_PAD.decode(text))
        .or_else(|_| base64::engine::general_purpose::STANDARD.decode(text))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use p384::ecdsa::signature::hazmat::PrehashVerifier;

    /// The server's side of a sync, for tests: seals `plain` for the phone's public key.
    pub(crate) fn seal_for(phone_public: &str, plain: &[u8]) -> (String, String, String, String) {
        let phone: [u8; 32] = decode(phone_public).unwrap().try_into().unwrap();
        let server = x25519_dalek::EphemeralSecret::random_from_rng(OsRng);
        let server_public = x25519_dalek::PublicKey::from(&server);
        let shared = server.diffie_hellman(&x25519_dalek::PublicKey::from(phone));
        let cipher = AesGcm::<Aes256, U16>::new_from_slice(shared.as_bytes()).unwrap();
        let iv = [7u8; 16];
        let mut sealed = cipher
            .encrypt(aes_gcm::Nonce::<U16>::from_slice(&iv), plain)
            .unwrap();
        let tag = sealed.split_off(sealed.len() - 16);
        (
            URL_SAFE.encode(server_public.as_bytes()),
            URL_SAFE.encode(iv),
            URL_SAFE.encode(tag),
            URL_SAFE.encode(sealed),
        )
    }

    #[test]
    fn signatures_verify_over_sha256_and_keys_survive_the_keychain() {
        let key = ContainerKey::generate();
        let again = ContainerKey::from_pkcs8(&key.to_pkcs8().unwrap()).unwrap();
        let signature = again.sign(&["nonce", "time", "SMPH1"]).unwrap();
        let der = URL_SAFE.decode(signature).unwrap();
        let signature = Signature::from_der(&der).unwrap();
        let digest = Sha256::digest(b"nonce|time|SMPH1");
        key.verifying_key()
            .verify_prehash(&digest, &signature)
            .unwrap();
        assert!(
            key.verifying_key()
                .verify_prehash(&Sha256::digest(b"nonce|time|SMPH2"), &signature)
                .is_err()
        );
        let pem = key.public_key_pem().unwrap();
        assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"), "{pem}");
        assert!(matches!(
            ContainerKey::from_pkcs8(b"not a key"),
            Err(Error::Crypto(_))
        ));
    }

    #[test]
    fn replies_open_only_untouched() {
        let plain = br#"{"tokens":{"add":[],"update":[]}}"#;
        let phone = SyncKey::generate();
        let (server_key, iv, tag, body) = seal_for(&phone.public_base64(), plain);
        let sealed = Sealed {
            server_key: &server_key,
            init_vector: &iv,
            tag: &tag,
            ciphertext: &body,
        };
        assert_eq!(phone.open(&sealed).unwrap().as_slice(), plain);

        let mut bad_tag = URL_SAFE.decode(&tag).unwrap();
        bad_tag[0] ^= 1;
        let bad_tag = URL_SAFE.encode(bad_tag);
        let phone = SyncKey::generate();
        let (server_key, iv, _, body) = seal_for(&phone.public_base64(), plain);
        let error = phone
            .open(&Sealed {
                server_key: &server_key,
                init_vector: &iv,
                tag: &bad_tag,
                ciphertext: &body,
            })
            .unwrap_err();
        assert_eq!(error.code(), "server_reply");

        // A reply sealed for another phone's key does not open.
        let other = SyncKey::generate();
        let (server_key, iv, tag, body) = seal_for(&other.public_base64(), plain);
        let phone = SyncKey::generate();
        let error = phone
            .open(&Sealed {
                server_key: &server_key,
                init_vector: &iv,
                tag: &tag,
                ciphertext: &body,
            })
            .unwrap_err();
        assert_eq!(error.code(), "server_reply");
        // The all-zero point would make the key public.
        let zero = URL_SAFE.encode([0u8; 32]);
        let error = SyncKey::generate()
            .open(&Sealed {
                server_key: &zero,
                init_vector: &iv,
                tag: &tag,
                ciphertext: &body,
            })
            .unwrap_err();
        assert!(error.to_string().contains("usable"), "{error}");
    }
}
