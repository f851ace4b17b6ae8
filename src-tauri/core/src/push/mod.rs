//! privacyIDEA's PUSH token protocol (version 1): enrollment, rollout, polling, verifying
//! challenges, answering. Pocket speaks it to privacyIDEA and to the reference service alike.

mod challenge;
mod client;
mod crypto;
mod enrollment;
mod token;
pub mod wire;

pub use challenge::{Dropped, LOCAL_EXPIRY_SECONDS, PushRequest, verify_challenge};
pub use client::{Answer, PushClient};
pub use crypto::{DEVICE_KEY_BITS, DeviceKey, ServerKey};
pub use enrollment::{PushEnrollment, parse_enrollment};
pub use token::PushToken;
