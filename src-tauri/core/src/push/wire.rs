//! Names and shapes on the wire, in one place: what the phone sends and what servers answer.
//! The reference service in gen/ uses this module too; interop tests against privacyIDEA
//! keep both honest.

use serde::{Deserialize, Serialize};

/// Form fields.
pub const ENROLLMENT_CREDENTIAL: &str = "enrollment_credential";
pub const SERIAL: &str = "serial";
pub const FIREBASE_TOKEN: &str = "fbtoken";
pub const PUBLIC_KEY: &str = "pubkey";
pub const NONCE: &str = "nonce";
pub const SIGNATURE: &str = "signature";
pub const TIMESTAMP: &str = "timestamp";
pub const DECLINE: &str = "decline";
pub const DECLINE_REASON: &str = "decline_reason";
pub const PRESENCE_ANSWER: &str = "presence_answer";

/// In a rollout answer's `detail`: an `otpauth://totp` link for the same account, so that one
/// scan sets up both the push login and the code to type when no request arrives. Only our
/// reference service sends it.
pub const FALLBACK_TOTP: &str = "totp";

/// Instant delivery, our reference service's extension: a poll reply whose `detail` carries
/// `LONG_POLL` (the most seconds the server will hold a poll) invites the phone to send
/// `LONG_POLL_WAIT` with its next polls; the server then answers as soon as a request arrives
/// or the time is up. privacyIDEA neither sends nor reads these, so polling stays unchanged.
pub const LONG_POLL: &str = "pocket_long_poll";
pub const LONG_POLL_WAIT: &str = "pocket_wait";

/// What a poll-only phone sends where a Firebase token would go.
pub const NO_FIREBASE_TOKEN: &str = "no firebase token";

/// Decline reasons (only where the server advertises the `decline_reason` capability).
pub const REASON_UNKNOWN_TRIGGER: &str = "unknown_trigger";
pub const REASON_CANCELLED: &str = "cancelled";

/// privacyIDEA's JSON envelope: `{"result": {"status", "value", "error"}, "detail"}`.
#[derive(Debug, Deserialize)]
pub struct Envelope<T> {
    pub result: EnvelopeResult<T>,
    #[serde(default)]
    pub detail: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
pub struct EnvelopeResult<T> {
    pub status: bool,
    #[serde(default = "none")]
    pub value: Option<T>,
    #[serde(default)]
    pub error: Option<ServerError>,
}

fn none<T>() -> Option<T> {
    None
}

#[derive(Debug, Deserialize)]
pub struct ServerError {
    #[serde(default)]
    pub code: Option<i64>,
    #[serde(default)]
    pub message: String,
}

/// One open challenge, as a poll returns it (§3.4). Every field is checked before use.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Challenge {
    pub nonce: String,
    pub url: String,
    pub serial: String,
    #[serde(default)]
    pub question: String,
    #[serde(default)]
    pub title: String,
    #[serde(default, deserialize_with = "string_or_scalar")]
    pub sslverify: String,
    pub signature: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_presence: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// A JSON object, sent as a string or as an object depending on the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capabilities_signature: Option<String>,
}

/// `"1"`, `1` and `true` all reach us for the same flag.
fn string_or_scalar<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::String(text) => text,
        serde_json::Value::Bool(flag) => if flag { "1" } else { "0" }.to_string(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    })
}

/// The string the server signs for a challenge (§3.4).
pub fn challenge_message(c: &Challenge) -> Vec<&str> {
    let mut parts = vec![
        c.nonce.as_str(),
        &c.url,
        &c.serial,
        &c.question,
        &c.title,
        &c.sslverify,
    ];
    if let Some(options) = &c.require_presence {
        parts.push(options);
    }
    parts
}

/// RFC 8785 canonical JSON, for the objects this protocol signs (keys sorted, no spaces).
pub fn canonical_json(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            // RFC 8785 orders by UTF-16 code units.
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            let fields: Vec<String> = keys
                .into_iter()
                .map(|k| {
                    format!(
                        "{}:{}",
                        serde_json::Value::String(k.clone()),
                        canonical_json(&map[k])
                    )
                })
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        serde_json::Value::Array(items) => {
            format!(
                "[{}]",
                items
                    .iter()
                    .map(canonical_json)
                    .collect::<Vec<_>>()
                    .join(",")
            )
        }
        other => other.to_string(),
    }
}

/// An ISO 8601 UTC timestamp, as polls carry it.
pub fn iso8601(unix_seconds: u64) -> String {
    let days = (unix_seconds / 86_400) as i64;
    let secs = unix_seconds % 86_400;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+00:00",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Reads an ISO 8601 timestamp with a zone (`Z` or `±HH:MM`) into Unix seconds; fractions of
/// a second are dropped. `None` for anything else.
pub fn parse_iso8601(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, rest) = text.split_once('T')?;
    let mut ymd = date.split('-');
    let (year, month, day): (i64, i64, i64) = (
        ymd.next()?.parse().ok()?,
        ymd.next()?.parse().ok()?,
        ymd.next()?.parse().ok()?,
    );
    if ymd.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let (clock, offset_seconds) = if let Some(clock) = rest.strip_suffix('Z') {
        (clock, 0)
    } else {
        let split = rest.rfind(['+', '-'])?;
        let (clock, zone) = rest.split_at(split);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let (hours, minutes) = zone[1..].split_once(':')?;
        (
            clock,
            sign * (hours.parse::<i64>().ok()? * 3600 + minutes.parse::<i64>().ok()? * 60),
        )
    };
    let clock = clock.split('.').next()?;
    let mut hms = clock.split(':');
    let (hour, minute, second): (i64, i64, i64) = (
        hms.next()?.parse().ok()?,
        hms.next()?.parse().ok()?,
        hms.next()?.parse().ok()?,
    );
    if hms.next().is_some() || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // Howard Hinnant's days-from-civil algorithm.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset_seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_iso_8601_utc() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00+00:00");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00+00:00");
        assert_eq!(iso8601(1_796_049_709), "2026-11-30T14:41:49+00:00");
    }

    #[test]
    fn timestamps_read_back_in_any_zone() {
        for t in [0u64, 951_782_400, 1_796_049_709] {
            assert_eq!(parse_iso8601(&iso8601(t)), Some(t as i64));
        }
        assert_eq!(
            parse_iso8601("2026-11-30T14:41:49.123456Z"),
            Some(1_796_049_709)
        );
        assert_eq!(
            parse_iso8601("2026-11-30T15:41:49+01:00"),
            Some(1_796_049_709)
        );
        assert_eq!(
            parse_iso8601("2026-11-30T13:41:49-01:00"),
            Some(1_796_049_709)
        );
        for bad in [
            "",
            "yesterday",
            "2026-13-01T00:00:00Z",
            "2026-11-30 14:41:49",
            "2026-11-30T25:00:00Z",
        ] {
            assert_eq!(parse_iso8601(bad), None, "{bad}");
        }
    }

    #[test]
    fn canonical_json_sorts_keys_and_drops_spaces() {
        let value = serde_json::json!({"nonce": "N", "capabilities": {"decline_reason": true, "a": [1, "x"]}});
        assert_eq!(
            canonical_json(&value),
            r#"{"capabilities":{"a":[1,"x"],"decline_reason":true},"nonce":"N"}"#
        );
    }

    #[test]
    fn challenges_read_flags_in_any_form() {
        for flag in [r#""0""#, "0", "false"] {
            let json = format!(
                r#"{{"nonce":"n","url":"u","serial":"s","signature":"x","sslverify":{flag}}}"#
            );
            let challenge: Challenge = serde_json::from_str(&json).unwrap();
            assert_eq!(challenge.sslverify, "0");
        }
    }
}
