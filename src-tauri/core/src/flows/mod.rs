//! What the phone does, end to end: the flows that enroll, poll and answer, over the vault
//! (which stores) and the protocols (which speak to servers). Neither of those knows this
//! layer; it knows both.

mod backup;
mod clock;
mod container;
mod poller;
mod push;
mod wakeup;

pub use backup::{BackupState, back_up, change_backup_password, configure as configure_backups};
pub use clock::{clock_holders, enrolled_servers, measure_servers};
pub use container::{
    CONTAINER_SYNC_INTERVAL, Registered, RegistrationChoices, SyncReport,
    forget as forget_container, move_to_new_phone, register as register_container,
    registration_needs, run_container_sync, sync as sync_container, sync_all as sync_containers,
    this_device, unregister as unregister_container,
};
pub use poller::{POLL_INTERVAL, PollTrigger, run_poller};
pub use push::{Answered, Enrolled, PollRound, answer, enroll, poll_once, poll_token, poll_tokens};
pub use wakeup::{
    WokenBy, choose_distributor, chosen_distributor, connector_token, new_connector_token,
    notification_for_wakeup, receive_plaintext, receive_wakeup, set_wake_channel, wake_channel,
    web_push_channel, web_push_channel_with_keys, web_push_keys,
};
