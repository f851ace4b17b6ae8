//! The headless phone's wake-up channel, and what it makes of a wake-up message.

use anyhow::Result;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use pocket_core::clock::now_unix;
use pocket_core::flows::{receive_wakeup, set_wake_channel, web_push_channel};
use pocket_core::push::WakeChannel;
use serde_json::json;

use super::{Device, request_line};

impl Device {
    /// A Web Push channel at `endpoint`, told to every push token's server.
    pub async fn wake_by_web_push(&self, endpoint: url::Url) -> Result<String> {
        let channel = web_push_channel(&mut *self.lock()?, endpoint)?;
        let unreached = self.set_channel(&channel).await?;
        let WakeChannel::WebPush {
            endpoint,
            p256dh,
            auth,
        } = &channel
        else {
            anyhow::bail!("not a Web Push channel: {}", channel.kind());
        };
        Ok(json!({
            "registration": channel.registration(),
            "endpoint": endpoint,
            "p256dh": URL_SAFE_NO_PAD.encode(p256dh),
            "auth": URL_SAFE_NO_PAD.encode(auth),
            "unreached": unreached,
        })
        .to_string())
    }

    /// Back to being polled only.
    pub async fn poll_only(&self) -> Result<String> {
        let unreached = self.set_channel(&WakeChannel::PollOnly).await?;
        Ok(json!({
            "registration": WakeChannel::PollOnly.registration(),
            "unreached": unreached,
        })
        .to_string())
    }

    async fn set_channel(&self, channel: &WakeChannel) -> Result<Vec<serde_json::Value>> {
        let failures = set_wake_channel(&self.vault, &self.client, channel, &now_unix).await?;
        Ok(failures
            .iter()
            .map(|(token, error)| json!({"token": token, "error": error.to_string()}))
            .collect())
    }

    /// The login request a push message body brings, as `poll` prints it.
    pub fn receive(&self, body: &[u8]) -> Result<String> {
        let woken = receive_wakeup(&self.vault, body, now_unix())?;
        Ok(request_line(&woken.token, &woken.request))
    }
}
