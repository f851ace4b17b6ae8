//! The two JSON Web Tokens the push services ask senders for: ES256 (VAPID, APNs provider
//! tokens) and RS256 (the assertion that buys an FCM access token).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::Signer;
use serde_json::Value;

use crate::error::{RelayError, Result};

fn signing_input(header: &Value, claims: &Value) -> String {
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

/// ES256: ECDSA P-256 with SHA-256, the signature as r and s side by side (RFC 7518 3.4).
pub fn es256(header: &Value, claims: &Value, key: &p256::ecdsa::SigningKey) -> String {
    let input = signing_input(header, claims);
    let signature: p256::ecdsa::Signature = key.sign(input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
}

/// RS256: RSASSA-PKCS1-v1_5 with SHA-256.
pub fn rs256(header: &Value, claims: &Value, key: &rsa::RsaPrivateKey) -> Result<String> {
    use rsa::signature::{SignatureEncoding, Signer as _};
    let input = signing_input(header, claims);
    let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key.clone());
    let signature = signer
        .try_sign(input.as_bytes())
        .map_err(|e| RelayError::Signing(e.to_string()))?;
    Ok(format!(
        "{input}.{}",
        URL_SAFE_NO_PAD.encode(signature.to_bytes())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::Verifier;
    use serde_json::json;

    #[test]
    fn an_es256_token_verifies_with_the_public_key() {
        let key = p256::ecdsa::SigningKey::random(&mut rand_core::OsRng);
        let token = es256(&json!({"alg": "ES256"}), &json!({"sub": "x"}), &key);
        let (input, signature) = token.rsplit_once('.').unwrap();
        let signature =
            p256::ecdsa::Signature::from_slice(&URL_SAFE_NO_PAD.decode(signature).unwrap())
                .unwrap();
        key.verifying_key()
            .verify(input.as_bytes(), &signature)
            .unwrap();
        let (header, claims) = input.split_once('.').unwrap();
        assert_eq!(
            URL_SAFE_NO_PAD.decode(header).unwrap(),
            br#"{"alg":"ES256"}"#
        );
        assert_eq!(URL_SAFE_NO_PAD.decode(claims).unwrap(), br#"{"sub":"x"}"#);
    }
}
