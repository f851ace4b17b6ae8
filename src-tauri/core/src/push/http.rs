//! HTTP to privacyIDEA-style servers: privacyIDEA's reply envelope read from any status, the
//! reply capped as it arrives, redirects refused, failures as the kinds the UI explains.

use serde::de::DeserializeOwned;

use super::client::MAX_REPLY_BYTES;
use super::wire::Envelope;
use crate::error::{Error, Result};

/// Sends `request` and reads privacyIDEA's envelope, also from 4xx replies (they carry the
/// reason). Failures become the error kinds the UI explains.
pub(super) async fn send<T: DeserializeOwned>(
    request: reqwest::RequestBuilder,
) -> Result<Envelope<T>> {
    let envelope: Envelope<T> = read_envelope(request).await?;
    if !envelope.result.status {
        let message = envelope
            .result
            .error
            .as_ref()
            .map(|e| e.message.clone())
            .unwrap_or_default();
        return Err(Error::ServerRefused(message));
    }
    Ok(envelope)
}

/// Sends `request` and reads privacyIDEA's envelope, whether it says yes or no: redirects
/// refused, the reply capped as it arrives.
pub(crate) async fn read_envelope<T: DeserializeOwned>(
    request: reqwest::RequestBuilder,
) -> Result<Envelope<T>> {
    let response = request.send().await.map_err(network_error)?;
    let status = response.status();
    if status.is_redirection() {
        let target = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .map(|l| crate::push::plain_text(l, 200))
            .unwrap_or_else(|| "no address given".into());
        return Err(Error::Redirected(target));
    }
    let bytes = read_capped(response, MAX_REPLY_BYTES).await?;
    serde_json::from_slice(&bytes)
        .map_err(|_| Error::ServerReply(format!("HTTP {status}, and not the protocol's JSON")))
}

/// The reply's body, refused as soon as it passes `max` bytes, whatever the server says of its
/// length (chunked replies say nothing).
pub(crate) async fn read_capped(mut response: reqwest::Response, max: usize) -> Result<Vec<u8>> {
    if response.content_length().is_some_and(|n| n > max as u64) {
        return Err(Error::ReplyTooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(network_error)? {
        if body.len() + chunk.len() > max {
            return Err(Error::ReplyTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn network_error(error: reqwest::Error) -> Error {
    let mut detail = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        detail = format!("{detail}: {cause}");
        source = cause.source();
    }
    if detail.contains("certificate")
        || detail.contains("InvalidCertificate")
        || detail.contains("tls")
    {
        Error::Tls(detail)
    } else {
        Error::Network(detail)
    }
}
