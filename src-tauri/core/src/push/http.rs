//! HTTP to privacyIDEA-style servers: privacyIDEA's reply envelope read from any status, the
//! reply capped as it arrives, redirects refused, failures as the kinds the UI explains.

use serde::de::DeserializeOwned;

use super::wire::Envelope;
use crate::clock::{ServerClocks, ServerTime, estimate, now_millis, parse_http_date};
use crate::error::{Error, Result};

/// Largest reply read from a server: a poll with many open challenges fits easily. Counted as
/// the bytes arrive, so an endless reply costs no more than this.
pub const MAX_REPLY_BYTES: usize = 1 << 20;

/// Sends `request` and reads privacyIDEA's envelope, also from 4xx replies (they carry the
/// reason). Failures become the error kinds the UI explains.
pub(super) async fn send<T: DeserializeOwned>(
    clocks: &ServerClocks,
    request: reqwest::RequestBuilder,
) -> Result<Envelope<T>> {
    let envelope: Envelope<T> = read_envelope(clocks, request).await?;
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
/// refused, the reply capped as it arrives. The server's time in the reply goes to `clocks`.
pub(crate) async fn read_envelope<T: DeserializeOwned>(
    clocks: &ServerClocks,
    request: reqwest::RequestBuilder,
) -> Result<Envelope<T>> {
    let sent_ms = now_millis();
    let response = request.send().await.map_err(network_error)?;
    let received_ms = now_millis();
    let source = origin(response.url());
    let date = http_date(&response);
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
    let envelope: Envelope<T> = serde_json::from_slice(&bytes)
        .map_err(|_| Error::ServerReply(format!("HTTP {status}, and not the protocol's JSON")))?;
    // privacyIDEA's own time is to the millisecond; the Date header only to the second. A
    // reply that refuses says nothing the phone can trust about the server's clock either.
    let server_time = envelope
        .time
        .map(ServerTime::Precise)
        .or(date.map(ServerTime::WholeSeconds));
    if envelope.result.status
        && let Some(sample) = server_time.and_then(|t| estimate(&source, sent_ms, received_ms, t))
    {
        clocks.record(sample);
    }
    Ok(envelope)
}

/// Asks `url` for its time only: any reply carries a `Date` header, privacyIDEA's JSON its own
/// `time` too. For `pocket-gen device clock` and the Settings screen's "Check now".
pub(crate) async fn probe_clock(
    clocks: &ServerClocks,
    request: reqwest::RequestBuilder,
) -> Result<crate::clock::ClockSample> {
    let sent_ms = now_millis();
    let response = request.send().await.map_err(network_error)?;
    let received_ms = now_millis();
    let source = origin(response.url());
    let date = http_date(&response);
    let body = read_capped(response, MAX_REPLY_BYTES)
        .await
        .unwrap_or_default();
    let json_time = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("time").and_then(serde_json::Value::as_f64));
    let server_time = json_time
        .map(ServerTime::Precise)
        .or(date.map(ServerTime::WholeSeconds))
        .ok_or_else(|| Error::ServerReply("the reply says nothing of the time".into()))?;
    let sample = estimate(&source, sent_ms, received_ms, server_time)
        .ok_or_else(|| Error::ServerReply("the reply's time makes no sense".into()))?;
    clocks.record(sample.clone());
    Ok(sample)
}

/// `scheme://host:port`: the server a measurement speaks for.
pub(crate) fn origin(url: &url::Url) -> String {
    url.origin().ascii_serialization()
}

fn http_date(response: &reqwest::Response) -> Option<u64> {
    response
        .headers()
        .get(reqwest::header::DATE)
        .and_then(|d| d.to_str().ok())
        .and_then(parse_http_date)
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
