//! Telling the server which channel wakes the phone now: privacyIDEA's signed update of the
//! token's `firebase_token`, sent whenever the channel changes (a new distributor or
//! endpoint, a new APNs or FCM token).

use super::client::PushClient;
use super::crypto::SigningKey;
use super::http::send;
use super::registration::WakeChannel;
use super::token::PushToken;
use super::wire::{self, Envelope};
use crate::error::{Error, Result};

impl PushClient {
    /// Sends `channel` as `token`'s registration, signed with the phone's key.
    pub async fn update_registration(
        &self,
        token: &PushToken,
        key: &SigningKey,
        channel: &WakeChannel,
        now_unix: u64,
    ) -> Result<()> {
        let registration = channel.registration();
        let timestamp = crate::clock::iso8601(now_unix);
        let signature = key.sign(&wire::registration_update_message(
            &registration,
            &token.serial,
            &timestamp,
        ));
        let form = [
            (wire::NEW_FIREBASE_TOKEN, registration),
            (wire::SERIAL, token.serial.clone()),
            (wire::TIMESTAMP, timestamp),
            (wire::SIGNATURE, signature),
        ];
        let request = self
            .http(token.verify_tls)
            .post(token.url.clone())
            .form(&form);
        let envelope: Envelope<bool> = send(&self.clocks, request).await?;
        if envelope.result.value == Some(true) {
            Ok(())
        } else {
            Err(Error::ServerRefused(
                "the server did not take the new wake-up registration".into(),
            ))
        }
    }
}
