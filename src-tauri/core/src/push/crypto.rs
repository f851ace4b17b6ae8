//! The PUSH protocol's cryptography: RSA PKCS#1 v1.5 with SHA-256 over `|`-joined UTF-8
//! strings, signatures carried as base32 with padding. EC keys are not part of the protocol.

use data_encoding::BASE32;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs1v15::{self, Signature};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The phone's key, as privacyIDEA's own app makes it.
pub const DEVICE_KEY_BITS: usize = 4096;

/// An RSA private key: the phone's for one push token, or a push server's.
pub struct SigningKey(RsaPrivateKey);

impl SigningKey {
    pub fn generate(bits: usize) -> Result<SigningKey> {
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
        RsaPrivateKey::from_pkcs8_der(der)
            .map(SigningKey)
            .map_err(|_| Error::Crypto("the stored device key is damaged".into()))
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
        let signer = pkcs1v15::SigningKey::<Sha256>::new(self.0.clone());
        BASE32.encode(&signer.sign(parts.join("|").as_bytes()).to_bytes())
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
        RsaPublicKey::from_pkcs1_der(&der)
            .map(VerifyingKey)
            .map_err(|_| Error::Crypto("the server's key is not an RSA public key".into()))
    }

    /// A phone's key as the rollout sends it: base64 of the DER SubjectPublicKeyInfo.
    pub fn from_spki_base64(text: &str) -> Result<VerifyingKey> {
        use base64::Engine;
        use rsa::pkcs8::DecodePublicKey;
        let der = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|_| Error::Crypto("the key is not base64".into()))?;
        RsaPublicKey::from_public_key_der(&der)
            .map(VerifyingKey)
            .map_err(|_| Error::Crypto("the key is not an RSA public key".into()))
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

    /// 1024 bits keeps the tests quick; the protocol code is the same for 4096.
    fn key() -> SigningKey {
        SigningKey::generate(1024).unwrap()
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
        // 128 bytes of signature: 205 base32 characters, padded to 208.
        assert!(signature.len().is_multiple_of(8) && signature.ends_with("==="));
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
        assert!(SigningKey::from_pkcs8(b"junk").is_err());
        assert!(VerifyingKey::from_base64("bm90IGEga2V5").is_err());
    }
}
