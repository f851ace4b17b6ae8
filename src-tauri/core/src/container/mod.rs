//! privacyIDEA smartphone containers: the phone registers once from a `pia://container/` code
//! and then syncs, so the server adds, updates and removes its tokens, and a new phone gets
//! them all back with one scan.

mod client;
mod keys;
mod link;
mod sync;
pub mod wire;

pub use client::{ContainerServer, SyncReply, finalize, rollover, synchronize, terminate};
pub use keys::ContainerKey;
pub use link::{ContainerLink, is_container_link};
pub use sync::{
    AccountSerial, Candidate, Deletion, Held, MAX_PUSH_PER_SYNC, MAX_TOKENS_PER_SYNC, Member,
    SyncPlan, client_tokens, plan, tokentype,
};
