//! An enrolled push token: what the phone keeps to poll, verify and answer.

use url::Url;

use super::crypto::VerifyingKey;
use super::transport::transport_risk;
use crate::error::TransportRisk;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushToken {
    pub serial: String,
    pub label: String,
    pub issuer: String,
    pub url: Url,
    pub verify_tls: bool,
    pub server_key: VerifyingKey,
    /// The server asks for the unlock step before each answer.
    pub unlock: Option<super::UnlockDemand>,
}

impl PushToken {
    /// Whether its server is reached in a way the user accepted as risky, for the list.
    pub fn risk(&self) -> Option<TransportRisk> {
        transport_risk(&self.url, self.verify_tls)
    }
}
