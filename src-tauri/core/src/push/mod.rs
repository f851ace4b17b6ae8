//! privacyIDEA's PUSH token protocol (version 1): enrollment, rollout, polling, verifying
//! challenges, answering. Pocket speaks it to privacyIDEA and to the reference service alike.

mod challenge;
mod client;
mod crypto;
mod enrollment;
mod http;
mod notice;
mod token;
mod transport;
mod wakeup;
pub mod wire;

pub use challenge::{Dropped, LOCAL_EXPIRY_SECONDS, PushRequest, verify_challenge};
pub use client::{
    Answer, AnswerReply, DeclineReason, MAX_REPLY_BYTES, Polled, PushClient, Rollout,
};
pub use crypto::{DEVICE_KEY_BITS, MIN_KEY_BITS, SigningKey, VerifyingKey};
pub use enrollment::{PushEnrollment, parse_enrollment};
pub(crate) use http::{origin, read_envelope};
pub use notice::{notification_text, plain_text, waiting_notification_text};
pub use token::PushToken;
pub use transport::{TransportRisk, transport_risk};
pub use wakeup::{PollOnly, WakeUp, challenge_from_message};
