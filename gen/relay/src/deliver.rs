//! One message to one phone: the channel its registration names, tried again with backoff
//! while the push service asks for that, within a deadline a login request can still use.

use std::time::{Duration, Instant};

use pocket_core::push::WakeChannel;
use serde_json::Value;

use crate::apns::Apns;
use crate::config::Config;
use crate::error::{RelayError, Result};
use crate::fcm::Fcm;
use crate::outcome::Outcome;
use crate::webpush::WebPush;

/// How many times a message is handed to a push service at most.
pub const MAX_ATTEMPTS: u32 = 4;
/// The first wait between attempts; each next one is twice as long.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// After this, the login request is nearly over: the phone's own poll will find it.
pub const DELIVERY_DEADLINE: Duration = Duration::from_secs(60);

pub struct Deliverer {
    pub webpush: Option<WebPush>,
    pub apns: Option<Apns>,
    pub fcm: Option<Fcm>,
}

impl Deliverer {
    pub fn new(config: Config) -> Result<Deliverer> {
        Ok(Deliverer {
            webpush: config.webpush.map(WebPush::new).transpose()?,
            apns: config.apns.map(Apns::new).transpose()?,
            fcm: config.fcm.map(Fcm::new).transpose()?,
        })
    }

    /// The channels this relay delivers to.
    pub fn channels(&self) -> Vec<&'static str> {
        [
            self.webpush.as_ref().map(|_| "webpush"),
            self.apns.as_ref().map(|_| "apns"),
            self.fcm.as_ref().map(|_| "fcm"),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// Whether `channel` can be delivered here at all.
    pub fn supports(&self, channel: &WakeChannel) -> Result<()> {
        let configured = match channel {
            WakeChannel::PollOnly => true,
            WakeChannel::WebPush { .. } => self.webpush.is_some(),
            WakeChannel::Apns { .. } => self.apns.is_some(),
            WakeChannel::Fcm { .. } => self.fcm.is_some(),
        };
        if configured {
            Ok(())
        } else {
            Err(RelayError::ChannelNotConfigured(channel.kind()))
        }
    }

    /// One attempt. The message is privacyIDEA's challenge object, passed on unchanged.
    pub async fn attempt(&self, channel: &WakeChannel, message: &Value) -> Outcome {
        let now = pocket_core::clock::now_unix();
        match channel {
            WakeChannel::PollOnly => Outcome::Failed("the phone is only polled".into()),
            WakeChannel::WebPush {
                endpoint,
                p256dh,
                auth,
            } => match &self.webpush {
                Some(webpush) => {
                    let plaintext = message.to_string();
                    webpush
                        .send(endpoint, p256dh, auth, plaintext.as_bytes(), now)
                        .await
                }
                None => Outcome::Failed("no Web Push configured".into()),
            },
            WakeChannel::Apns {
                device_token,
                development,
            } => match &self.apns {
                Some(apns) => apns.send(device_token, *development, message, now).await,
                None => Outcome::Failed("no APNs configured".into()),
            },
            WakeChannel::Fcm { token } => match &self.fcm {
                Some(fcm) => fcm.send(token, message, now).await,
                None => Outcome::Failed("no FCM configured".into()),
            },
        }
    }

    /// Attempts until one is final, the attempts are used up or the deadline passes. The
    /// first attempt's outcome goes to `first` as soon as it is known.
    pub async fn deliver(
        &self,
        channel: &WakeChannel,
        message: &Value,
        first: Option<tokio::sync::oneshot::Sender<Outcome>>,
    ) -> Outcome {
        let started = Instant::now();
        let mut first = first;
        let mut backoff = FIRST_BACKOFF;
        let mut attempt = 1;
        loop {
            let outcome = self.attempt(channel, message).await;
            if let Some(first) = first.take() {
                let _ = first.send(outcome.clone());
            }
            let Outcome::Retry { after, why } = &outcome else {
                return outcome;
            };
            let wait = after.unwrap_or(backoff);
            if attempt >= MAX_ATTEMPTS || started.elapsed() + wait > DELIVERY_DEADLINE {
                return Outcome::Failed(format!("gave up after {attempt} attempts: {why}"));
            }
            log::info!(
                "{} delivery: {why}; trying again in {wait:?}",
                channel.kind()
            );
            tokio::time::sleep(wait).await;
            backoff *= 2;
            attempt += 1;
        }
    }
}
