//! The poller: every push token polled every few seconds while the app runs, backing off
//! while the servers fail, and woken early for a manual refresh.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use super::client::PushClient;
use super::flow::{PollRound, SharedVault, poll_once};

/// privacyIDEA's own app polls every 3 s.
pub const POLL_INTERVAL: Duration = Duration::from_secs(3);
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// Wakes the poller for an immediate round.
#[derive(Clone, Default)]
pub struct PollTrigger(Arc<Notify>);

impl PollTrigger {
    pub fn poll_now(&self) {
        self.0.notify_one();
    }
}

/// Runs until the task is dropped. `on_round` sees every round: new requests, drops,
/// failures. `now` is the clock (unix seconds).
pub async fn run_poller(
    vault: SharedVault,
    client: PushClient,
    trigger: PollTrigger,
    now: impl Fn() -> u64,
    mut on_round: impl FnMut(PollRound),
) {
    let mut wait = POLL_INTERVAL;
    loop {
        match poll_once(&vault, &client, now()).await {
            Ok(round) => {
                // Any token failing slows the loop; all answering restores the pace.
                wait = if round.failures.is_empty() {
                    POLL_INTERVAL
                } else {
                    (wait * 2).min(MAX_BACKOFF)
                };
                on_round(round);
            }
            Err(error) => {
                log::warn!("polling failed: {error}");
                wait = (wait * 2).min(MAX_BACKOFF);
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = trigger.0.notified() => wait = POLL_INTERVAL,
        }
    }
}
