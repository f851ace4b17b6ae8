//! The PUSH protocol's cryptography: RSA PKCS#1 v1.5 with SHA-256 over `|`-joined UTF-8
//! strings, signatures carried as base32 with padding. EC keys are not part of the protocol.

use data_encoding::BASE32;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs1v15::{self, Signature};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use rsa::rand_core::CryptoRngCore;
use rsa::signature::{RandomizedSigner, SignatureEncoding, Verifier};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The phone's key, as privacyIDEA's own app makes it.
pub const DEVICE_KEY_BITS: usize = 4096;
/// Shorter RSA keys are refused, whoever offers them: 1024-bit keys have been in reach of
/// factoring for years (NIST SP 800-131A disallowed them in 2013).
pub const MIN_KEY_BITS: usize = 2048;

fn strong_enough(key: RsaPublicKey) -> Result<RsaPublicKey> {
    let bits = key.n().bits();
    if bits < MIN_KEY_BITS {
        return Err(Error::WeakKey {
            bits,
            needed: MIN_KEY_BITS,
        });
    }
    Ok(key)
}

/// An RSA private key: the phone's for one push token, or a push server's.
pub struct SigningKey(RsaPrivateKey);

impl SigningKey {
    pub fn generate(bits: usize) -> Result<SigningKey> {
        if bits < MIN_KEY_BITS {
            return Err(Error::WeakKey {
                bits,
                needed: MIN_KEY_BITS,
            });
        }
        let key = RsaPrivateKey::new(&mut rsa::rand_core::OsRng, bits)
            .map_err(|e| Error::Crypto(format!("cannot generate a key: {e}")))?;
        Ok(SigningKey(key))
    }

    /// PKCS#8 DER, for the keychain.
    pub fn to_pkcs8(&self) -> Result<Zeroizing<Vec<u8>>> {
        let der = self
            .0
            .to_pkcs8_der()
            .map_err(|e| Error::Crypto(e.to_string()))?;
        Ok(Zeroizing::new(der.as_bytes().to_vec()))
    }

    pub fn from_pkcs8(der: &[u8]) -> Result<SigningKey> {
        let key = RsaPrivateKey::from_pkcs8_der(der)
            .map_err(|_| Error::Crypto("the stored device key is damaged".into()))?;
        strong_enough(RsaPublicKey::from(&key))?;
        Ok(SigningKey(key))
    }

    /// The public half as the rollout sends it: base64 of the DER SubjectPublicKeyInfo.
    pub fn public_key_base64(&self) -> Result<String> {
        use base64::Engine;
        let der = RsaPublicKey::from(&self.0)
            .to_public_key_der()
            .map_err(|e| Error::Crypto(e.to_string()))?;
        Ok(base64::engine::general_purpose::STANDARD.encode(der.as_bytes()))
    }

    /// Signs the `|`-joined `parts`; the signature comes back as base32.
    pub fn sign(&self, parts: &[&str]) -> String {
        self.sign_with(&mut rsa::rand_core::OsRng, parts)
    }

    /// Signs with `rng` blinding the private-key operation, so that its timing says nothing
    /// about the key to whoever measures it.
    fn sign_with(&self, rng: &mut impl CryptoRngCore, parts: &[&str]) -> String {
        let signer = pkcs1v15::SigningKey::<Sha256>::new(self.0.clone());
        BASE32.encode(
            &signer
                .sign_with_rng(rng, parts.join("|").as_bytes())
                .to_bytes(),
        )
    }
}

impl SigningKey {
    /// This key's public half.
    pub fn verifying_key(&self) -> VerifyingKey {
        VerifyingKey(RsaPublicKey::from(&self.0))
    }
}

/// An RSA public key: the server's (base64 PKCS#1 in the rollout answer) or a phone's
/// (base64 SubjectPublicKeyInfo in the rollout request).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyingKey(RsaPublicKey);

impl VerifyingKey {
    /// Base64 of a PKCS#1 RSAPublicKey, with or without PEM armour and line breaks.
    pub fn from_base64(text: &str) -> Result<VerifyingKey> {
        use base64::Engine;
        let body: String = text
            .lines()
            .filter(|line| !line.starts_with("-----"))
            .flat_map(|line| line.chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(body)
            .map_err(|_| Error::Crypto("the server's key is not base64".into()))?;
        let key = RsaPublicKey::from_pkcs1_der(&der)
            .map_err(|_| Error::Crypto("the server's key is not an RSA public key".into()))?;
        strong_enough(key).map(VerifyingKey)
    }

    /// A phone's key as the rollout sends it: base64 of the DER SubjectPublicKeyInfo.
    pub fn from_spki_base64(text: &str) -> Result<VerifyingKey> {
        use base64::Engine;
        use rsa::pkcs8::DecodePublicKey;
        let der = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|_| Error::Crypto("the key is not base64".into()))?;
        let key = RsaPublicKey::from_public_key_der(&der)
            .map_err(|_| Error::Crypto("the key is not an RSA public key".into()))?;
        strong_enough(key).map(VerifyingKey)
    }

    /// Base64 of the PKCS#1 DER, for storage and for the rollout answer.
    pub fn to_base64(&self) -> Result<String> {
        use base64::Engine;
        use rsa::pkcs1::EncodeRsaPublicKey;
        let der = self
            .0
            .to_pkcs1_der()
            .map_err(|e| Error::Crypto(e.to_string()))?;
        Ok(base64::engine::general_purpose::STANDARD.encode(der.as_bytes()))
    }

    /// Whether `signature` (base32) is the server's over the `|`-joined `parts`.
    pub fn verify(&self, parts: &[&str], signature: &str) -> bool {
        let Ok(bytes) = BASE32.decode(signature.trim().as_bytes()) else {
            return false;
        };
        let Ok(signature) = Signature::try_from(bytes.as_slice()) else {
            return false;
        };
        pkcs1v15::VerifyingKey::<Sha256>::new(self.0.clone())
            .verify(parts.join("|").as_bytes(), &signature)
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortest key allowed keeps the tests quick; the protocol code is the same for 4096.
    fn key() -> SigningKey {
        SigningKey::generate(MIN_KEY_BITS).unwrap()
    }

    fn server_key_of(device: &SigningKey) -> VerifyingKey {
        use base64::Engine;
        use rsa::pkcs1::EncodeRsaPublicKey;
        let der = RsaPublicKey::from(&device.0).to_pkcs1_der().unwrap();
        let armoured = format!(
            "-----BEGIN RSA PUBLIC KEY-----\n{}\n-----END RSA PUBLIC KEY-----\n",
            base64::engine::general_purpose::STANDARD.encode(der.as_bytes())
        );
        VerifyingKey::from_base64(&armoured).unwrap()
    }

    #[test]
    fn signatures_verify_and_tampering_is_caught() {
        let device = key();
        let server = server_key_of(&device);
        let signature = device.sign(&["nonce", "serial"]);
        // 256 bytes of signature: 410 base32 characters, padded to 416.
        assert_eq!(signature.len(), 416);
        assert!(signature.ends_with("======"));
        assert!(server.verify(&["nonce", "serial"], &signature));
        assert!(!server.verify(&["nonce", "serial", "decline"], &signature));
        assert!(!server.verify(&["nonce|serial"], "AAAA"));
        assert!(!server.verify(&["nonce", "serial"], "not base32 at all!"));
    }

    #[test]
    fn keys_round_trip_through_storage_forms() {
        let device = key();
        let again = SigningKey::from_pkcs8(&device.to_pkcs8().unwrap()).unwrap();
        assert_eq!(
            again.public_key_base64().unwrap(),
            device.public_key_base64().unwrap()
        );
        let server = server_key_of(&device);
        assert_eq!(
            VerifyingKey::from_base64(&server.to_base64().unwrap()).unwrap(),
            server
        );
        assert!(matches!(
            SigningKey::from_pkcs8(b"junk"),
            Err(Error::Crypto(_))
        ));
        assert!(matches!(
            VerifyingKey::from_base64("bm90IGEga2V5"),
            Err(Error::Crypto(_))
        ));
    }

    /// A 1024-bit key from the other side, as base64 PKCS#1 and SubjectPublicKeyInfo.
    fn short_key() -> (String, String) {
        use base64::Engine;
        use rsa::pkcs1::EncodeRsaPublicKey;
        let key = RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 1024).unwrap();
        let public = RsaPublicKey::from(&key);
        let b64 = |der: &[u8]| base64::engine::general_purpose::STANDARD.encode(der);
        (
            b64(public.to_pkcs1_der().unwrap().as_bytes()),
            b64(public.to_public_key_der().unwrap().as_bytes()),
        )
    }

    #[test]
    fn short_rsa_keys_are_refused_from_servers_and_phones() {
        let (pkcs1, spki) = short_key();
        let server = VerifyingKey::from_base64(&pkcs1).unwrap_err();
        assert_eq!(
            (server.code(), server.to_string().contains("1024")),
            ("weak_key", true)
        );
        assert_eq!(
            VerifyingKey::from_spki_base64(&spki).unwrap_err().code(),
            "weak_key"
        );
        assert_eq!(
            SigningKey::generate(1024).err().map(|e| e.code()),
            Some("weak_key")
        );
    }

    /// Counts what the signer draws: blinding draws a fresh random factor for each signature.
    struct CountingRng(usize);

    impl rsa::rand_core::RngCore for CountingRng {
        fn next_u32(&mut self) -> u32 {
            self.0 += 4;
            rsa::rand_core::OsRng.next_u32()
        }
        fn next_u64(&mut self) -> u64 {
            self.0 += 8;
            rsa::rand_core::OsRng.next_u64()
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            self.0 += dest.len();
            rsa::rand_core::OsRng.fill_bytes(dest)
        }
        fn try_fill_bytes(
            &mut self,
            dest: &mut [u8],
        ) -> std::result::Result<(), rsa::rand_core::Error> {
            self.fill_bytes(dest);
            Ok(())
        }
    }

    impl rsa::rand_core::CryptoRng for CountingRng {}

    #[test]
    fn signing_is_blinded_against_timing_attacks() {
        let device = key();
        let mut rng = CountingRng(0);
        let signature = device.sign_with(&mut rng, &["nonce", "serial"]);
        assert!(rng.0 >= 32, "the signer drew {} random bytes", rng.0);
        assert!(server_key_of(&device).verify(&["nonce", "serial"], &signature));
        // PKCS#1 v1.5 is deterministic: blinding changes how it is computed, not the result.
        assert_eq!(device.sign(&["nonce", "serial"]), signature);
    }
}
