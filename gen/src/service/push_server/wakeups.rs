//! The reference service wakes phones the way privacyIDEA does with pocket-relay: each new
//! request's signed challenge goes to the phone's registration through pocket-relay's own
//! deliverer (the service is its own relay). Polling stays the source of truth.

use std::sync::Arc;

use pocket_core::push::WakeChannel;
use pocket_relay::config::WebPushConfig;
use pocket_relay::outcome::Outcome;
use pocket_relay::webpush::WebPush;

use super::PushServer;
use crate::service::error::ServiceError;

/// What became of a request's wake-up, as far as the first attempt tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WakeUpSent {
    /// The phone is only polled: the request waits until Pocket looks.
    NotWoken,
    Delivered,
    /// The push service was busy; the relay tries again.
    Retrying,
    /// The push service no longer knows the phone's endpoint.
    Gone(String),
    Failed(String),
}

impl From<Outcome> for WakeUpSent {
    fn from(outcome: Outcome) -> WakeUpSent {
        match outcome {
            Outcome::Delivered => WakeUpSent::Delivered,
            Outcome::Retry { .. } => WakeUpSent::Retrying,
            Outcome::Gone(why) => WakeUpSent::Gone(why),
            Outcome::Failed(why) => WakeUpSent::Failed(why),
        }
    }
}

/// The service's own relay: Web Push with a VAPID key made at start.
pub struct WakeUps {
    deliverer: pocket_relay::Deliverer,
}

impl WakeUps {
    /// The service runs on loopback for QA: its phones' push services may run there too.
    pub fn new() -> Result<WakeUps, ServiceError> {
        let webpush = WebPush::new(WebPushConfig {
            vapid_key: p256::ecdsa::SigningKey::random(&mut rand_core::OsRng),
            subject: "mailto:pocket-reference@localhost".into(),
            allow_private_endpoints: true,
        })
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
        Ok(WakeUps {
            deliverer: pocket_relay::Deliverer {
                webpush: Some(webpush),
                apns: None,
                fcm: None,
            },
        })
    }
}

/// A wake-up ready to go: nothing of the server is needed to send it.
struct Prepared {
    wake_ups: Arc<WakeUps>,
    channel: WakeChannel,
    message: serde_json::Value,
}

impl Prepared {
    /// Sends it, trying again while the push service asks for that; returns once the first
    /// attempt is known.
    async fn send(self) -> WakeUpSent {
        let (first, first_outcome) = tokio::sync::oneshot::channel();
        let Prepared {
            wake_ups,
            channel,
            message,
        } = self;
        tokio::spawn(async move {
            wake_ups
                .deliverer
                .deliver(&channel, &message, Some(first))
                .await
        });
        first_outcome
            .await
            .map(WakeUpSent::from)
            .unwrap_or(WakeUpSent::Retrying)
    }
}

impl PushServer {
    fn prepare_wake_up(&self, transaction_id: &str) -> Result<Option<Prepared>, ServiceError> {
        let Some(wake_ups) = self.wake_ups.clone() else {
            return Ok(None);
        };
        let challenge = self.wake_up_message(transaction_id)?;
        let channel = self.wake_channel(&challenge.serial)?;
        if channel == WakeChannel::PollOnly || wake_ups.deliverer.supports(&channel).is_err() {
            return Ok(None);
        }
        let message =
            serde_json::to_value(&challenge).map_err(|e| ServiceError::Internal(e.to_string()))?;
        Ok(Some(Prepared {
            wake_ups,
            channel,
            message,
        }))
    }

    /// Sends the wake-up of the open request `transaction_id` to its phone; returns once the
    /// first attempt is known.
    pub async fn wake_up(&self, transaction_id: &str) -> Result<WakeUpSent, ServiceError> {
        Ok(match self.prepare_wake_up(transaction_id)? {
            Some(prepared) => prepared.send().await,
            None => WakeUpSent::NotWoken,
        })
    }

    /// The request's wake-up, on its way while the login page waits (a phone that is polled
    /// or woken late still finds the request).
    pub(super) fn send_wake_up(&self, transaction_id: &str) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        match self.prepare_wake_up(transaction_id) {
            Ok(Some(prepared)) => {
                runtime.spawn(async move {
                    if let WakeUpSent::Failed(why) | WakeUpSent::Gone(why) = prepared.send().await {
                        log::warn!("a wake-up was not delivered: {why}");
                    }
                });
            }
            Ok(None) => {}
            Err(error) => log::warn!("a wake-up could not be sent: {error}"),
        }
    }
}
