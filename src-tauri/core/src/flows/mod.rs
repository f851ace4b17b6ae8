//! What the phone does, end to end: the flows that enroll, poll and answer, over the vault
//! (which stores) and the protocols (which speak to servers). Neither of those knows this
//! layer; it knows both.

mod backup;
mod poller;
mod push;

pub use backup::{BackupState, back_up, change_backup_password, configure as configure_backups};
pub use poller::{POLL_INTERVAL, PollTrigger, run_poller};
pub use push::{Enrolled, PollRound, answer, enroll, poll_once, poll_token, poll_tokens};
