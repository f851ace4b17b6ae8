//! The relay's one error type: what went wrong in its configuration or with one delivery.

#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    #[error("{path}: {reason}")]
    ConfigUnreadable { path: String, reason: String },
    #[error("the configuration is wrong: {0}")]
    ConfigInvalid(String),
    #[error("the {what} cannot be read: {reason}")]
    KeyUnreadable { what: &'static str, reason: String },
    #[error("this relay has no {0} configured")]
    ChannelNotConfigured(&'static str),
    #[error("the registration is refused: {0}")]
    Registration(String),
    #[error("the endpoint is on a private network, which this relay does not reach")]
    PrivateEndpoint,
    #[error("the message is refused: {0}")]
    Message(String),
    #[error("signing failed: {0}")]
    Signing(String),
    #[error("the push service sent an answer that makes no sense: {0}")]
    ServiceReply(String),
}

pub type Result<T, E = RelayError> = std::result::Result<T, E>;
