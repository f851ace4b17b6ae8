//! The poller: every push token polled every few seconds while the app runs, backing off
//! while the servers fail, and woken early for a manual refresh. Tokens whose server offers
//! instant delivery (`wire::LONG_POLL`) get a long poll of their own instead, so a request
//! reaches the phone the moment it is raised; if that fails, the token returns to the rounds.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{Notify, mpsc};
use tokio::task::JoinSet;

use super::push::{PollRound, poll_token, poll_tokens};
use crate::push::PushClient;
use crate::vault::{SharedVault, StoredPushToken};

/// privacyIDEA's own app polls every 3 s.
pub const POLL_INTERVAL: Duration = Duration::from_secs(3);
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// Wakes the poller for an immediate round; says how often it polls otherwise.
#[derive(Clone)]
pub struct PollTrigger(Arc<Notify>, Duration);

impl Default for PollTrigger {
    fn default() -> PollTrigger {
        PollTrigger::every(POLL_INTERVAL)
    }
}

impl PollTrigger {
    /// A poller that polls every `interval` (the system tests slow it down to see that a
    /// wake-up, not a round, brought a request).
    pub fn every(interval: Duration) -> PollTrigger {
        PollTrigger(Arc::default(), interval)
    }

    pub fn poll_now(&self) {
        self.0.notify_one();
    }
}

enum Held {
    Round(PollRound),
    /// The long poll of this token stopped; it is polled in rounds again.
    Ended(String),
}

/// Runs until the task is dropped (its long polls with it). `on_round` sees every round and
/// every long poll's result: new requests, drops, failures. `now` is the clock (unix seconds).
pub async fn run_poller<Clock>(
    vault: SharedVault,
    client: PushClient,
    trigger: PollTrigger,
    now: Clock,
    mut on_round: impl FnMut(PollRound),
) where
    Clock: Fn() -> u64 + Clone + Send + Sync + 'static,
{
    let (held_sender, mut held_results) = mpsc::unbounded_channel();
    let mut long_polls = JoinSet::new();
    let mut held: HashSet<String> = HashSet::new();
    let interval = trigger.1;
    let mut wait = interval;
    loop {
        match poll_tokens(&vault, &client, &now, &held).await {
            Ok(round) => {
                // Any token failing slows the loop; all answering restores the pace.
                wait = if round.failures.is_empty() {
                    interval
                } else {
                    (wait * 2).min(MAX_BACKOFF.max(interval))
                };
                for (token, most) in &round.long_poll {
                    if held.insert(token.id.clone()) {
                        long_polls.spawn(hold(
                            vault.clone(),
                            client.clone(),
                            token.clone(),
                            *most,
                            now.clone(),
                            held_sender.clone(),
                        ));
                    }
                }
                on_round(round);
            }
            Err(error) => {
                log::warn!("polling failed: {error}");
                wait = (wait * 2).min(MAX_BACKOFF.max(interval));
            }
        }
        let next_round = tokio::time::Instant::now() + wait;
        loop {
            tokio::select! {
                _ = tokio::time::sleep_until(next_round) => break,
                _ = trigger.0.notified() => {
                    wait = interval;
                    break;
                }
                Some(result) = held_results.recv() => match result {
                    Held::Round(round) => on_round(round),
                    Held::Ended(token_id) => {
                        held.remove(&token_id);
                    }
                },
            }
        }
    }
}

/// One token's long poll, again and again, until a poll fails or the server stops offering
/// instant delivery.
async fn hold(
    vault: SharedVault,
    client: PushClient,
    token: StoredPushToken,
    most: Duration,
    now: impl Fn() -> u64 + Sync,
    results: mpsc::UnboundedSender<Held>,
) {
    loop {
        let started = Instant::now();
        let mut round = PollRound::default();
        if let Err(error) = poll_token(&vault, &client, &token, &now, Some(most), &mut round).await
        {
            log::warn!("long poll of {} stopped: {error}", token.token.serial);
            break;
        }
        let failed = !round.failures.is_empty();
        let still_offered = round.long_poll.iter().any(|(t, _)| t.id == token.id);
        let empty = round.new.is_empty() && round.dropped == 0;
        if !empty || failed {
            round.long_poll.clear();
            if results.send(Held::Round(round)).is_err() {
                return;
            }
        }
        if failed || !still_offered {
            break;
        }
        // A server that answers an empty long poll early is not holding it: do not spin.
        if empty && started.elapsed() < most / 2 {
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }
    let _ = results.send(Held::Ended(token.id.clone()));
}
