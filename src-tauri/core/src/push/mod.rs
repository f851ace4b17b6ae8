//! privacyIDEA's PUSH token protocol (version 1): enrollment, rollout, polling, verifying
//! challenges, answering. Pocket speaks it to privacyIDEA and to the reference service alike.

mod challenge;
mod client;
mod crypto;
mod enrollment;
mod http;
mod notification;
mod registration;
mod reregister;
mod token;
mod transport;
pub mod unifiedpush;
mod unlock_demand;
mod wakeup;
pub mod webpush;
pub mod wire;

pub use challenge::{Dropped, LOCAL_EXPIRY_SECONDS, PushRequest, verify_challenge};
pub use client::{Answer, AnswerReply, DeclineReason, Polled, PushClient, Rollout};
pub use crypto::{DEVICE_KEY_BITS, MIN_KEY_BITS, SigningKey, VerifyingKey};
pub use enrollment::{PushEnrollment, parse_enrollment};
pub use http::MAX_REPLY_BYTES;
pub(crate) use http::{origin, read_envelope};
pub use notification::{notification_text, plain_text};
pub use registration::{MAX_REGISTRATION_BYTES, WakeChannel};
pub use token::PushToken;
pub use transport::transport_risk;
pub use unlock_demand::UnlockDemand;
pub use wakeup::challenge_from_message;
pub use webpush::WebPushKeys;
