//! pocket-relay: privacyIDEA's HTTP push gateway on one side, the push services that wake a
//! closed phone on the other (Web Push for UnifiedPush distributors, APNs, FCM). It reads the
//! phone's registration (pocket-core's `WakeChannel`), passes the challenge on unchanged, and
//! keeps nothing: any number of relays can run behind a load balancer.

pub mod apns;
pub mod config;
pub mod deliver;
mod error;
pub mod fcm;
pub mod gateway;
pub mod guard;
mod http;
mod jwt;
pub mod metrics;
pub mod outcome;
pub mod webpush;

pub use config::Config;
pub use deliver::Deliverer;
pub use error::{RelayError, Result};
pub use gateway::{Relay, app};
