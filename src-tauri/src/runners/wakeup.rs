//! Wake-ups in the app: how login requests reach this device (the distributor, its
//! registration; shown in Settings → Login requests), and what a distributor's calls do. A new
//! endpoint is told to every push token's server; a message is read and verified like a
//! poll's result and announced the same way; every message, good or not, makes the poller
//! look now, and an unregistration returns the device to being polled.

use std::sync::{Arc, Mutex};

use pocket_core::flows::{WokenBy, set_wake_channel};
use pocket_core::push::WakeChannel;
use tauri::{AppHandle, Manager};
use tokio::sync::Notify;

use crate::events;
use crate::state::AppState;

/// Where this device's registration with a distributor stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Registration {
    /// No distributor runs (or none can be reached): requests come while Pocket is open.
    #[default]
    NoDistributor,
    Registering,
    Registered,
    /// The distributor refused, with its reason.
    Failed(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WakeState {
    /// The distributors running on this device, by their short names.
    pub distributors: Vec<String>,
    /// The one registered with, or being registered with.
    pub distributor: Option<String>,
    pub registration: Registration,
}

/// The wake-up state the connector keeps and Settings reads.
#[derive(Default)]
pub struct WakeStatus {
    state: Mutex<WakeState>,
    /// Wakes the connector to register again after the user picked another distributor.
    rechoose: Arc<Notify>,
    /// One channel change at a time reaches the servers, so two never interleave.
    telling: tokio::sync::Mutex<()>,
}

impl WakeStatus {
    pub fn get(&self) -> WakeState {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    #[cfg(target_os = "linux")]
    pub fn rechoose(&self) -> Arc<Notify> {
        self.rechoose.clone()
    }

    /// The user picked another distributor: the connector registers with it.
    pub fn choose_again(&self) {
        self.rechoose.notify_one();
    }

    /// Changes the state and tells Settings when it changed.
    pub fn update(&self, app: &AppHandle, change: impl FnOnce(&mut WakeState)) {
        let changed = {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            let before = state.clone();
            change(&mut state);
            *state != before
        };
        if changed {
            super::emit_unless_locked(app, events::LOGIN_REQUESTS_CHANGED, ());
        }
    }
}

/// What the distributor's calls do, whatever the transport (D-Bus here, a phone's connector
/// library there).
#[derive(Clone)]
pub struct WakeHandler {
    app: AppHandle,
}

impl WakeHandler {
    pub fn new(app: AppHandle) -> WakeHandler {
        WakeHandler { app }
    }

    pub fn app(&self) -> &AppHandle {
        &self.app
    }

    fn state(&self) -> tauri::State<'_, AppState> {
        self.app.state::<AppState>()
    }

    pub fn status(&self, change: impl FnOnce(&mut WakeState)) {
        self.state().wake.update(&self.app, change);
    }

    /// A distributor gave this device an endpoint: it becomes the Web Push channel, and every
    /// push token's server learns it.
    #[cfg(target_os = "linux")]
    pub async fn new_endpoint(&self, endpoint: &str) {
        let endpoint = match pocket_core::push::unifiedpush::endpoint_from_distributor(endpoint) {
            Ok(endpoint) => endpoint,
            Err(error) => return self.refuse_endpoint(error),
        };
        let channel = self
            .state()
            .with_vault(move |vault| pocket_core::flows::web_push_channel(vault, endpoint))
            .await;
        match channel {
            Ok(channel) => self.use_channel(channel).await,
            Err(error) => log::warn!("no Web Push channel: {}", error.code),
        }
    }

    /// An endpoint whose Web Push keys the platform's push library keeps (Android's
    /// UnifiedPush connector): it decrypts, and hands over plaintext (`message_plaintext`).
    #[cfg(mobile)]
    pub async fn new_endpoint_with_keys(&self, endpoint: &str, p256dh: &str, auth: &str) {
        match pocket_core::flows::web_push_channel_with_keys(endpoint, p256dh, auth) {
            Ok(channel) => self.use_channel(channel).await,
            Err(error) => self.refuse_endpoint(error),
        }
    }

    /// A token from the system's push service (APNs, FCM): the channel, once it reads as one.
    #[cfg(mobile)]
    pub async fn use_token(&self, channel: WakeChannel) {
        match WakeChannel::parse(&channel.registration()) {
            Ok(channel) => self.use_channel(channel).await,
            Err(error) => self.refuse_endpoint(error),
        }
    }

    fn refuse_endpoint(&self, error: pocket_core::Error) {
        log::warn!("the distributor's endpoint is refused: {error}");
        self.status(|s| s.registration = Registration::Failed(error.kind().code().into()));
    }

    async fn use_channel(&self, channel: WakeChannel) {
        self.tell_servers(&channel).await;
        self.status(|s| s.registration = Registration::Registered);
    }

    /// The distributor dropped this device: it is polled only, and the servers learn that.
    pub async fn unregistered(&self) {
        self.tell_servers(&WakeChannel::PollOnly).await;
        self.status(|s| s.registration = Registration::NoDistributor);
    }

    /// A message a distributor delivered. A verified request is announced as a poll's is, and
    /// the poller looks at once for any others; anything else is dropped unseen (and cannot
    /// make Pocket poll: whoever knows the endpoint can post to it).
    #[cfg(target_os = "linux")]
    pub async fn message(&self, body: Vec<u8>) {
        self.read_message(move |vault, now| pocket_core::flows::receive_wakeup(vault, &body, now))
            .await;
    }

    /// A message the platform's push library decrypted already.
    #[cfg(mobile)]
    pub async fn message_plaintext(&self, plaintext: Vec<u8>) {
        self.read_message(move |vault, now| {
            pocket_core::flows::receive_plaintext(vault, &plaintext, now)
        })
        .await;
    }

    async fn read_message(
        &self,
        receive: impl FnOnce(&pocket_core::vault::SharedVault, u64) -> pocket_core::Result<WokenBy>
        + Send
        + 'static,
    ) {
        let state = self.state();
        let (Ok(vault), Ok(_)) = (state.shared_vault(), state.push_client()) else {
            return;
        };
        let read = {
            let vault = vault.clone();
            tauri::async_runtime::spawn_blocking(move || {
                receive(&vault, pocket_core::clock::now_unix())
            })
            .await
        };
        match read {
            Ok(Ok(woken)) => {
                super::push::announce(&self.app, &vault, &[(woken.token, woken.request)]);
                state.poll_trigger.poll_now();
            }
            // Only the kind: what a dropped message said is not for the log.
            Ok(Err(error)) => log::info!("a wake-up message was dropped: {}", error.kind().code()),
            Err(error) => log::warn!("a wake-up message could not be read: {error}"),
        }
    }

    async fn tell_servers(&self, channel: &WakeChannel) {
        let state = self.state();
        let _one_at_a_time = state.wake.telling.lock().await;
        let (Ok(vault), Ok(client)) = (state.shared_vault(), state.push_client()) else {
            return;
        };
        match set_wake_channel(&vault, client, channel, &pocket_core::clock::now_unix).await {
            Ok(failures) => {
                for (token, error) in failures {
                    log::warn!("the server of {token} was not told the new channel: {error}");
                }
            }
            Err(error) => log::warn!("the wake-up channel could not be kept: {error}"),
        }
    }
}

/// Starts listening for a distributor where the platform has one.
pub fn start(app: AppHandle) {
    crate::platform::start_unifiedpush(WakeHandler::new(app));
}
