//! An enrolled push token: what the phone keeps to poll, verify and answer.

use url::Url;

use super::crypto::VerifyingKey;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushToken {
    pub serial: String,
    pub label: String,
    pub issuer: String,
    pub url: Url,
    pub verify_tls: bool,
    pub server_key: VerifyingKey,
}
