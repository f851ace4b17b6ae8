//! Settings → Login requests as the UI shows it.

use pocket_core::push::WakeChannel;
use serde::Serialize;

use crate::runners::{Registration, WakeState};

/// How requests reach this device: at once (something wakes it) or while Pocket is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Delivery"))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryDto {
    Instant,
    WhileOpen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "DistributorRegistration"))]
#[serde(rename_all = "snake_case")]
pub enum RegistrationDto {
    None,
    Registering,
    Registered,
    Failed,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "LoginRequests"))]
#[serde(rename_all = "camelCase")]
pub struct LoginRequestsDto {
    pub delivery: DeliveryDto,
    /// The channel the servers were given: `poll`, `webpush`, `apns` or `fcm`.
    pub channel: String,
    /// The push service's host (never the endpoint's path, which names this device).
    pub push_service: Option<String>,
    /// Whether this build can be woken through a UnifiedPush distributor.
    pub distributors_supported: bool,
    /// The distributors running here, by their short names.
    pub distributors: Vec<String>,
    pub distributor: Option<String>,
    pub registration: RegistrationDto,
    /// Why the distributor refused, in its own words.
    pub reason: Option<String>,
}

impl LoginRequestsDto {
    pub fn new(channel: &WakeChannel, state: &WakeState, supported: bool) -> LoginRequestsDto {
        let (registration, reason) = match &state.registration {
            Registration::NoDistributor => (RegistrationDto::None, None),
            Registration::Registering => (RegistrationDto::Registering, None),
            Registration::Registered => (RegistrationDto::Registered, None),
            Registration::Failed(reason) => (RegistrationDto::Failed, Some(reason.clone())),
        };
        let push_service = match channel {
            WakeChannel::WebPush { endpoint, .. } => endpoint.host_str().map(str::to_string),
            _ => None,
        };
        // A Web Push channel wakes the device only while its distributor still has it.
        let instant = match channel {
            WakeChannel::PollOnly => false,
            WakeChannel::WebPush { .. } => registration == RegistrationDto::Registered,
            WakeChannel::Apns { .. } | WakeChannel::Fcm { .. } => true,
        };
        LoginRequestsDto {
            delivery: if instant {
                DeliveryDto::Instant
            } else {
                DeliveryDto::WhileOpen
            },
            channel: channel.kind().to_string(),
            push_service,
            distributors_supported: supported,
            distributors: state.distributors.clone(),
            distributor: state.distributor.clone(),
            registration,
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_instant_only_while_something_can_wake_the_device() {
        let web_push = WakeChannel::WebPush {
            endpoint: url::Url::parse("https://ntfy.example.net/upXYZ").unwrap(),
            p256dh: vec![4; 65],
            auth: vec![0; 16],
        };
        let registered = WakeState {
            distributors: vec!["kde".into(), "ntfy".into()],
            distributor: Some("ntfy".into()),
            registration: Registration::Registered,
        };
        let shown = LoginRequestsDto::new(&web_push, &registered, true);
        assert_eq!(shown.delivery, DeliveryDto::Instant);
        assert_eq!(shown.channel, "webpush");
        assert_eq!(shown.push_service.as_deref(), Some("ntfy.example.net"));
        assert!(!serde_json::to_string(&shown).unwrap().contains("upXYZ"));

        let failed = WakeState {
            registration: Registration::Failed("VAPID_REQUIRED".into()),
            ..registered.clone()
        };
        let shown = LoginRequestsDto::new(&web_push, &failed, true);
        assert_eq!(shown.delivery, DeliveryDto::WhileOpen);
        assert_eq!(shown.reason.as_deref(), Some("VAPID_REQUIRED"));

        let polled = LoginRequestsDto::new(&WakeChannel::PollOnly, &WakeState::default(), false);
        assert_eq!(polled.delivery, DeliveryDto::WhileOpen);
        assert_eq!(polled.registration, RegistrationDto::None);
        assert_eq!(polled.channel, "poll");
    }
}
