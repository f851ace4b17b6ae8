//! The phones' wake-up registrations: taken at rollout (`fbtoken`) and from signed updates
//! (`new_fb_token`), kept per token, read when a request is raised.

use pocket_core::push::{WakeChannel, wire};
use rusqlite::{OptionalExtension, params};

use super::PushServer;
use crate::service::error::ServiceError;

/// A registration the service keeps: one pocket-core reads (a damaged one of Pocket's own
/// form is refused; anything else is a phone that is only polled).
pub(super) fn checked(text: &str) -> Result<String, ServiceError> {
    WakeChannel::parse(text)
        .map(|_| text.to_string())
        .map_err(|_| ServiceError::Invalid(wire::FIREBASE_TOKEN))
}

impl PushServer {
    /// A phone's signed update of its registration (privacyIDEA's `new_fb_token`).
    pub fn update_registration(
        &self,
        serial: &str,
        registration: &str,
        timestamp: &str,
        signature: &str,
    ) -> Result<(), ServiceError> {
        self.verify_timestamped(
            serial,
            timestamp,
            signature,
            &wire::registration_update_message(registration, serial, timestamp),
        )?;
        let registration = checked(registration)?;
        self.db().execute(
            "UPDATE push_tokens SET registration = ?2 WHERE serial = ?1 AND state = 'enrolled'",
            params![serial, registration],
        )?;
        Ok(())
    }

    /// How the phone of `serial` is woken.
    pub fn wake_channel(&self, serial: &str) -> Result<WakeChannel, ServiceError> {
        let stored: Option<Option<String>> = self
            .db()
            .query_row(
                "SELECT registration FROM push_tokens WHERE serial = ?1 AND state = 'enrolled'",
                params![serial],
                |r| r.get(0),
            )
            .optional()?;
        Ok(match stored.flatten() {
            Some(text) => WakeChannel::parse(&text).unwrap_or(WakeChannel::PollOnly),
            None => WakeChannel::PollOnly,
        })
    }
}
