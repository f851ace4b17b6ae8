//! HTTP to a privacyIDEA server's container endpoints. The phone proves itself by its
//! signatures; every reply is checked like input, and nothing here touches the vault.

use serde::de::DeserializeOwned;
use url::Url;

use super::keys::{ContainerKey, Sealed, SyncKey};
use super::link::ContainerLink;
use super::wire::{self, ClientToken, ContainerChallenge, ContainerPolicies, ServerDict};
use crate::error::{Error, Result};
use crate::push::PushClient;
use crate::push::wire::Envelope;

/// A registered container, as the phone addresses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerServer {
    pub serial: String,
    pub server: Url,
    pub verify_tls: bool,
}

/// What a verified, decrypted sync brought. `ServerDict`'s `Debug` keeps its links out.
#[derive(Debug, Clone)]
pub struct SyncReply {
    pub dict: ServerDict,
    pub policies: ContainerPolicies,
}

/// Which step a refusal came from: privacyIDEA's codes mean different things in each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Register,
    Challenge,
    Signed,
}

/// Registers with the server: the phone's public key, its signature over the link's
/// challenge, and the passphrase where the link asks for one.
pub async fn finalize(
    client: &PushClient,
    link: &ContainerLink,
    key: &ContainerKey,
    device: (&str, &str),
    passphrase: Option<&str>,
) -> Result<ContainerPolicies> {
    let scope = wire::endpoint(&link.server, wire::FINALIZE);
    let passphrase = link.passphrase_prompt.as_ref().and(passphrase);
    let signature = key.sign(&wire::finalize_message(
        &link.nonce,
        &link.time,
        &link.serial,
        &scope,
        Some(device),
        passphrase,
    ))?;
    let public_key = key.public_key_pem()?;
    let mut form = vec![
        (wire::CONTAINER_SERIAL, link.serial.as_str()),
        (wire::PUBLIC_CLIENT_KEY, public_key.as_str()),
        (wire::SIGNATURE, signature.as_str()),
        (wire::DEVICE_BRAND, device.0),
        (wire::DEVICE_MODEL, device.1),
    ];
    if let (true, Some(passphrase)) = (link.send_passphrase, passphrase) {
        form.push((wire::PASSPHRASE, passphrase));
    }
    let http = client.http(link.verify_tls).post(&scope).form(&form);
    let value: serde_json::Value = value_of(client, http, Step::Register).await?;
    if value.get("success") != Some(&serde_json::Value::Bool(true)) {
        return Err(Error::RegistrationRefused);
    }
    Ok(policies_in(&value))
}

/// Asks for a challenge for `scope` (one of the `wire` endpoints).
async fn challenge(
    client: &PushClient,
    container: &ContainerServer,
    scope: &str,
) -> Result<ContainerChallenge> {
    let form = [
        (wire::CONTAINER_SERIAL, container.serial.as_str()),
        (wire::SCOPE, scope),
    ];
    let url = wire::endpoint(&container.server, wire::CHALLENGE);
    let http = client.http(container.verify_tls).post(url).form(&form);
    let challenge: ContainerChallenge = value_of(client, http, Step::Challenge).await?;
    if challenge.nonce.contains('|') || challenge.time_stamp.contains('|') {
        return Err(Error::ServerReply(
            "the challenge has a separator in it".into(),
        ));
    }
    if let Some(algorithm) = &challenge.enc_key_algorithm
        && !algorithm.eq_ignore_ascii_case("x25519")
    {
        return Err(Error::ServerReply(format!(
            "the server wants {algorithm} keys, and only x25519 is supported"
        )));
    }
    Ok(challenge)
}

/// One sync: a challenge, a fresh key, the phone's token list signed, the reply decrypted.
pub async fn synchronize(
    client: &PushClient,
    container: &ContainerServer,
    key: &ContainerKey,
    tokens: &[ClientToken],
) -> Result<SyncReply> {
    let scope = wire::endpoint(&container.server, wire::SYNCHRONIZE);
    let challenge = challenge(client, container, &scope).await?;
    let sync_key = SyncKey::generate();
    let public = sync_key.public_base64();
    let dict = wire::client_dict(&container.serial, tokens);
    let signature = key.sign(&wire::challenge_message(
        &challenge,
        &container.serial,
        &scope,
        Some((&public, &dict)),
    ))?;
    let form = [
        (wire::CONTAINER_SERIAL, container.serial.as_str()),
        (wire::PUBLIC_ENC_KEY_CLIENT, public.as_str()),
        (wire::CONTAINER_DICT_CLIENT, dict.as_str()),
        (wire::SIGNATURE, signature.as_str()),
    ];
    let http = client.http(container.verify_tls).post(&scope).form(&form);
    let reply: SealedReply = value_of(client, http, Step::Signed).await?;
    if !reply.encryption_algorithm.eq_ignore_ascii_case("AES")
        || reply
            .encryption_params
            .mode
            .as_deref()
            .is_some_and(|m| !m.eq_ignore_ascii_case("GCM"))
    {
        return Err(Error::ServerReply(format!(
            "the reply is sealed with {}, and only AES-GCM is supported",
            reply.encryption_algorithm
        )));
    }
    let plain = sync_key.open(&Sealed {
        server_key: &reply.public_server_key,
        init_vector: &reply.encryption_params.init_vector,
        tag: &reply.encryption_params.tag,
        ciphertext: &reply.container_dict_server,
    })?;
    let dict: ServerDict = serde_json::from_slice(&plain)
        .map_err(|e| Error::ServerReply(format!("the decrypted token list: {e}")))?;
    Ok(SyncReply {
        dict,
        policies: ContainerPolicies::from_reply(&reply.policies),
    })
}

/// Asks the server for a registration link for a new phone; the container moves there once
/// the new phone registers.
pub async fn rollover(
    client: &PushClient,
    container: &ContainerServer,
    key: &ContainerKey,
) -> Result<String> {
    let value = signed_request(client, container, key, wire::ROLLOVER).await?;
    value
        .pointer("/container_url/value")
        .and_then(serde_json::Value::as_str)
        .filter(|link| super::link::is_container_link(link))
        .map(str::to_string)
        .ok_or_else(|| Error::ServerReply("the rollover reply has no registration link".into()))
}

/// Unregisters the container at the server; its tokens stay there.
pub async fn terminate(
    client: &PushClient,
    container: &ContainerServer,
    key: &ContainerKey,
) -> Result<()> {
    let value = signed_request(client, container, key, wire::TERMINATE).await?;
    if value.get("success") != Some(&serde_json::Value::Bool(true)) {
        return Err(Error::ServerRefused(
            "the server did not unregister the container".into(),
        ));
    }
    Ok(())
}

/// A challenge for `path`, answered with `nonce|time_stamp|serial|scope` signed.
async fn signed_request(
    client: &PushClient,
    container: &ContainerServer,
    key: &ContainerKey,
    path: &str,
) -> Result<serde_json::Value> {
    let scope = wire::endpoint(&container.server, path);
    let challenge = challenge(client, container, &scope).await?;
    let signature = key.sign(&wire::challenge_message(
        &challenge,
        &container.serial,
        &scope,
        None,
    ))?;
    let form = [
        (wire::CONTAINER_SERIAL, container.serial.as_str()),
        (wire::SIGNATURE, signature.as_str()),
    ];
    let http = client.http(container.verify_tls).post(&scope).form(&form);
    value_of(client, http, Step::Signed).await
}

#[derive(serde::Deserialize)]
struct SealedReply {
    public_server_key: String,
    #[serde(default)]
    encryption_algorithm: String,
    encryption_params: SealParams,
    container_dict_server: String,
    /// Read on its own ([`ContainerPolicies::from_reply`]): no policy value can fail the reply.
    #[serde(default)]
    policies: serde_json::Value,
}

#[derive(serde::Deserialize)]
struct SealParams {
    init_vector: String,
    tag: String,
    #[serde(default)]
    mode: Option<String>,
}

fn policies_in(value: &serde_json::Value) -> ContainerPolicies {
    value
        .get("policies")
        .map(ContainerPolicies::from_reply)
        .unwrap_or_default()
}

/// `result.value` of the reply, with privacyIDEA's container errors as Pocket's kinds.
async fn value_of<T: DeserializeOwned>(
    client: &PushClient,
    http: reqwest::RequestBuilder,
    step: Step,
) -> Result<T> {
    let envelope: Envelope<serde_json::Value> =
        crate::push::read_envelope(client.clocks(), http).await?;
    if !envelope.result.status {
        let (code, message) = envelope
            .result
            .error
            .map(|e| (e.code, e.message))
            .unwrap_or_default();
        return Err(refusal(step, code, message));
    }
    let value = envelope
        .result
        .value
        .ok_or_else(|| Error::ServerReply("the reply has no value".into()))?;
    serde_json::from_value(value).map_err(|e| Error::ServerReply(e.to_string()))
}

fn refusal(step: Step, code: Option<i64>, message: String) -> Error {
    match (step, code) {
        (Step::Register, Some(wire::ERR_INVALID_CHALLENGE)) => Error::RegistrationRefused,
        (_, Some(wire::ERR_NOT_REGISTERED)) => Error::ContainerNotRegistered,
        // The challenge was just issued and signed with the key registered: the server no
        // longer knows that key, because another phone registered the container since.
        (Step::Signed, Some(wire::ERR_INVALID_CHALLENGE)) => Error::ContainerMoved,
        _ => Error::ServerRefused(crate::push::plain_text(&message, 300)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn privacyideas_codes_become_kinds_by_step() {
        let kind = |step, code| refusal(step, Some(code), "x".into()).code();
        assert_eq!(
            kind(Step::Register, wire::ERR_INVALID_CHALLENGE),
            "container_registration_refused"
        );
        assert_eq!(
            kind(Step::Challenge, wire::ERR_NOT_REGISTERED),
            "container_not_registered"
        );
        assert_eq!(
            kind(Step::Signed, wire::ERR_INVALID_CHALLENGE),
            "container_moved"
        );
        assert_eq!(kind(Step::Challenge, 905), "server_refused");
    }
}
