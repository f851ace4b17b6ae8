//! Waking the phone: the channel it is reached on (kept with its settings, sent to every push
//! token's server), its Web Push keys (kept in the keychain), and what it does with a wake-up
//! message (read, verified and recorded exactly like a polled challenge).

use crate::error::{Error, Result};
use crate::push::{Dropped, PushClient, PushRequest, WakeChannel, WebPushKeys};
use crate::push::{challenge_from_message, verify_challenge};
use crate::vault::{SharedVault, StoredPushToken, Vault, exclusive};

/// The setting that holds the channel, as its registration text.
const CHANNEL_SETTING: &str = "wake_channel";
/// The token this install registers with distributors under.
const CONNECTOR_TOKEN_SETTING: &str = "unifiedpush_token";
/// The distributor the user chose, by its short name.
const DISTRIBUTOR_SETTING: &str = "unifiedpush_distributor";
/// The keychain item that holds the Web Push keys: the private scalar, then the auth secret.
const WEB_PUSH_KEYS_ITEM: &str = "web-push-keys";
const PRIVATE_BYTES: usize = 32;

/// The channel that wakes this phone; poll-only until one is set.
pub fn wake_channel(vault: &Vault) -> Result<WakeChannel> {
    match vault.setting(CHANNEL_SETTING)? {
        Some(text) => WakeChannel::parse(&text),
        None => Ok(WakeChannel::PollOnly),
    }
}

/// The token this install registers with distributors under, made on first use: a
/// distributor's calls carry it, and calls with another are not for Pocket.
pub fn connector_token(vault: &mut Vault) -> Result<String> {
    if let Some(token) = vault.setting(CONNECTOR_TOKEN_SETTING)? {
        return Ok(token);
    }
    new_connector_token(vault)
}

/// A new token, for a new distributor: the one left behind no longer holds a valid one.
pub fn new_connector_token(vault: &mut Vault) -> Result<String> {
    let token = uuid::Uuid::new_v4().to_string();
    vault.set_setting(CONNECTOR_TOKEN_SETTING, Some(&token))?;
    Ok(token)
}

/// The distributor the user chose (its short name), if any.
pub fn chosen_distributor(vault: &Vault) -> Result<Option<String>> {
    vault.setting(DISTRIBUTOR_SETTING)
}

pub fn choose_distributor(vault: &mut Vault, short_name: &str) -> Result<()> {
    vault.set_setting(DISTRIBUTOR_SETTING, Some(short_name))
}

/// This phone's Web Push keys, made on first use. A Web Push channel hands out their public
/// half; the same keys serve every endpoint, so a new endpoint needs no new keys.
pub fn web_push_keys(vault: &mut Vault) -> Result<WebPushKeys> {
    if let Some(keys) = kept_web_push_keys(vault)? {
        return Ok(keys);
    }
    let keys = WebPushKeys::generate()?;
    // Sized at once: growing it would leave the private scalar in a freed buffer.
    let mut kept = zeroize::Zeroizing::new(Vec::with_capacity(PRIVATE_BYTES + 16));
    kept.extend_from_slice(&keys.private_bytes());
    kept.extend_from_slice(zeroize::Zeroizing::new(keys.auth()).as_slice());
    vault.set_keychain_item(WEB_PUSH_KEYS_ITEM, Some(&kept))?;
    Ok(keys)
}

fn kept_web_push_keys(vault: &Vault) -> Result<Option<WebPushKeys>> {
    let Some(kept) = vault.keychain_item(WEB_PUSH_KEYS_ITEM)? else {
        return Ok(None);
    };
    if kept.len() < PRIVATE_BYTES {
        return Err(Error::Crypto("the stored Web Push keys are damaged".into()));
    }
    let (private, auth) = kept.split_at(PRIVATE_BYTES);
    WebPushKeys::from_parts(private, auth).map(Some)
}

/// The Web Push channel for `endpoint` with this phone's keys.
pub fn web_push_channel(vault: &mut Vault, endpoint: url::Url) -> Result<WakeChannel> {
    let keys = web_push_keys(vault)?;
    // Through the text, so that a channel is only ever one the relay will read.
    WakeChannel::parse(
        &WakeChannel::WebPush {
            endpoint,
            p256dh: keys.public_key().to_vec(),
            auth: keys.auth().to_vec(),
        }
        .registration(),
    )
}

/// The Web Push channel for `endpoint` with keys the platform's push library made (base64url,
/// as UnifiedPush's connectors hand them out), checked as any registration is.
pub fn web_push_channel_with_keys(endpoint: &str, p256dh: &str, auth: &str) -> Result<WakeChannel> {
    use base64::Engine;
    let endpoint = crate::push::unifiedpush::endpoint_from_distributor(endpoint)?;
    let key = |text: &str, param: &'static str| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text.trim_end_matches('='))
            .map_err(|_| Error::invalid(param, "not base64url"))
    };
    // Through the text, so that a channel is only ever one the relay will read.
    WakeChannel::parse(
        &WakeChannel::WebPush {
            endpoint,
            p256dh: key(p256dh, "p256dh")?,
            auth: key(auth, "auth")?,
        }
        .registration(),
    )
}

/// Makes `channel` the one that wakes this phone and tells every push token's server, each
/// update signed at the time it is sent (`now`). The channel is kept even where a server
/// could not be told (it is told again with the next change, and a polled phone still gets
/// its requests); those tokens come back with why.
pub async fn set_wake_channel(
    vault: &SharedVault,
    client: &PushClient,
    channel: &WakeChannel,
    now: &(dyn Fn() -> u64 + Sync),
) -> Result<Vec<(String, Error)>> {
    let tokens = {
        let mut vault = exclusive(vault);
        vault.set_setting(CHANNEL_SETTING, Some(&channel.registration()))?;
        vault.push_tokens()?
    };
    let mut failures = Vec::new();
    for token in tokens {
        let key = exclusive(vault).device_key(&token.id);
        let told = match key {
            Ok(key) => {
                client
                    .update_registration(&token.token, &key, channel, now())
                    .await
            }
            Err(error) => Err(error),
        };
        if let Err(error) = told {
            failures.push((token.id, error));
        }
    }
    Ok(failures)
}

/// A login request a wake-up message brought.
#[derive(Debug, Clone)]
pub struct WokenBy {
    pub token: StoredPushToken,
    pub request: PushRequest,
}

/// Reads a wake-up message's body as a distributor delivers it: decrypted with this phone's
/// keys, its challenge verified like a polled one (its token's serial and URL, its server's
/// signature) and recorded. A message that fails any step, or that brings a request already
/// seen (a replay, or one a poll found first), is refused with why and leaves nothing behind.
pub fn receive_wakeup(vault: &SharedVault, body: &[u8], now: u64) -> Result<WokenBy> {
    let keys = kept_web_push_keys(&exclusive(vault))?.ok_or_else(|| {
        Error::Crypto("this phone has no Web Push keys to read the message".into())
    })?;
    let plaintext = keys.decrypt(body)?;
    receive_plaintext(vault, &plaintext, now)
}

/// `receive_wakeup` for a message the platform's push library has decrypted already (Android's
/// UnifiedPush connector keeps its own Web Push keys).
pub fn receive_plaintext(vault: &SharedVault, plaintext: &[u8], now: u64) -> Result<WokenBy> {
    if plaintext.len() > crate::push::webpush::MAX_MESSAGE_BYTES {
        return Err(Error::TooLong {
            param: "wake-up message",
            limit: crate::push::webpush::MAX_MESSAGE_BYTES,
        });
    }
    let mut vault = exclusive(vault);
    let challenge = challenge_from_message(plaintext)?;
    let token = vault
        .push_tokens()?
        .into_iter()
        .find(|token| token.token.serial == challenge.serial)
        .ok_or_else(|| Error::PushTokenNotFound(challenge.serial.clone()))?;
    let request = verify_challenge(&token.token, &challenge, now).map_err(|dropped| {
        Error::ServerReply(
            match dropped {
                Dropped::WrongSerial | Dropped::WrongUrl => {
                    "the login request names another server than its token's"
                }
                Dropped::BadSignature => "the login request is not signed by its server",
                Dropped::Malformed => "the login request is malformed",
                Dropped::Unsupported => "the login request is of a kind Pocket does not know",
            }
            .into(),
        )
    })?;
    if !vault.record_request(&token, &request)? {
        return Err(Error::ServerReply(
            "this login request arrived before (a repeated message)".into(),
        ));
    }
    Ok(WokenBy { token, request })
}

/// What a phone shows for a wake-up whose app is not running (its push library decrypted the
/// message): the notification's title and text when the message carries a verified request
/// (its token's, signed by its server) not seen before; `None` for anything else, which is
/// dropped unseen. Only reads the database (no keychain, nothing written): the request is
/// recorded when Pocket opens and polls.
pub fn notification_for_wakeup(
    db_path: &std::path::Path,
    plaintext: &[u8],
    now: u64,
) -> Result<Option<(String, String)>> {
    if plaintext.len() > crate::push::webpush::MAX_MESSAGE_BYTES {
        return Ok(None);
    }
    let Ok(challenge) = challenge_from_message(plaintext) else {
        return Ok(None);
    };
    let vault = Vault::open_read_only(db_path)?;
    let Some(token) = vault
        .push_tokens()?
        .into_iter()
        .find(|token| token.token.serial == challenge.serial)
    else {
        return Ok(None);
    };
    let Ok(request) = verify_challenge(&token.token, &challenge, now) else {
        return Ok(None);
    };
    if vault.request(&token.id, &request.nonce)?.is_some() {
        return Ok(None);
    }
    Ok(Some(crate::push::notification_text(
        &token.token.issuer,
        &request,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_push_librarys_keys_make_a_channel_only_when_a_relay_would_take_it() {
        let p256dh = format!("BAcH{}Bwc", "BwcH".repeat(20));
        let auth = "CQkJCQkJCQkJCQkJCQkJCQ";
        let endpoint = "https://ntfy.example.net/upX?up=1";
        let channel = web_push_channel_with_keys(endpoint, &p256dh, auth).unwrap();
        assert_eq!(channel.kind(), "webpush");
        // Padded base64url, as some libraries write it, reads the same.
        let padded =
            web_push_channel_with_keys(endpoint, &format!("{p256dh}="), &format!("{auth}=="))
                .unwrap();
        assert_eq!(padded, channel);
        for (endpoint, key, auth, why) in [
            (
                "http://ntfy.example.net/up",
                p256dh.as_str(),
                auth,
                "https://",
            ),
            ("https://ntfy.example.net/up", "AAAA", auth, "65 bytes"),
            (
                "https://ntfy.example.net/up",
                p256dh.as_str(),
                "not*base64",
                "base64url",
            ),
        ] {
            let error = web_push_channel_with_keys(endpoint, key, auth).unwrap_err();
            assert_eq!(error.code(), "invalid_parameter", "{endpoint}");
            assert!(error.to_string().contains(why), "{error}");
        }
    }
}
