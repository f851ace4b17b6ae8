//! privacyIDEA 3.14's own replies, captured on loopback (`make fixtures`), read by pocket-core:
//! the rollout's key, challenges with and without number matching whose signatures verify
//! under that key as `wire` builds the signed text, and the envelopes of its refusals.

use pocket_core::push::wire::{self, Challenge, Envelope};
use pocket_core::push::{Dropped, PushToken, VerifyingKey, parse_enrollment, verify_challenge};
use serde_json::Value;

fn fixture(name: &str) -> (u16, Value) {
    let path = format!(
        "{}/tests/fixtures/privacyidea-3.14/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let record: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    (
        record["http_status"].as_u64().unwrap() as u16,
        record["body"].clone(),
    )
}

fn token() -> PushToken {
    let link = std::fs::read_to_string(format!(
        "{}/tests/fixtures/privacyidea-3.14/enrollment-link.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let enrollment = parse_enrollment(&link).unwrap();
    let (status, rollout) = fixture("rollout.json");
    assert_eq!(status, 200);
    let rollout: Envelope<bool> = serde_json::from_value(rollout).unwrap();
    assert_eq!(rollout.result.value, Some(true));
    let key = rollout.detail.as_ref().unwrap()[wire::SERVER_PUBLIC_KEY]
        .as_str()
        .unwrap();
    PushToken {
        serial: enrollment.serial,
        label: enrollment.label,
        issuer: enrollment.issuer,
        url: enrollment.url,
        verify_tls: enrollment.verify_tls,
        server_key: VerifyingKey::from_base64(key).unwrap(),
        unlock: None,
    }
}

fn challenges(name: &str) -> Vec<Challenge> {
    let (status, body) = fixture(name);
    assert_eq!(status, 200);
    let envelope: Envelope<Vec<Challenge>> = serde_json::from_value(body).unwrap();
    assert!(envelope.result.status);
    envelope.result.value.unwrap()
}

#[test]
fn a_rollout_brings_the_servers_key() {
    let token = token();
    assert!(token.serial.starts_with("PIPU"));
}

#[test]
fn a_plain_challenge_verifies_as_wire_signs_it_with_its_capabilities() {
    let token = token();
    let polled = challenges("poll.json");
    assert_eq!(polled.len(), 1);
    let challenge = &polled[0];
    // As privacyIDEA sends it: a string, "1" here although the enrollment said sslverify=0.
    assert_eq!(challenge.sslverify, "1");
    assert!(challenge.require_presence.is_none());
    // privacyIDEA sends the capabilities as a JSON string.
    assert!(matches!(challenge.capabilities, Some(Value::String(_))));
    let request = verify_challenge(&token, challenge, 0).unwrap();
    assert_eq!(request.question, "Log in to the Pocket test service?");
    assert_eq!(request.title, "Pocket interop");
    assert!(request.presence_options.is_empty());
    assert!(request.takes_decline_reason, "the signed capability counts");
}

#[test]
fn a_number_matching_challenge_signs_its_options_too() {
    let token = token();
    let polled = challenges("poll-presence.json");
    let with_options: Vec<_> = polled
        .iter()
        .filter(|c| c.require_presence.is_some())
        .collect();
    assert_eq!(with_options.len(), 1, "{polled:?}");
    let challenge = with_options[0];
    assert_eq!(challenge.version.as_deref(), Some("2"));
    let request = verify_challenge(&token, challenge, 0).unwrap();
    assert_eq!(request.presence_options.len(), 3);
    assert!(
        request
            .presence_options
            .iter()
            .all(|o| o.parse::<u32>().is_ok())
    );
    // Without its options the same signature does not hold.
    let mut stripped = challenge.clone();
    stripped.require_presence = None;
    assert_eq!(
        verify_challenge(&token, &stripped, 0).unwrap_err(),
        Dropped::BadSignature
    );
}

#[test]
fn refusals_come_in_the_envelope_with_their_reason() {
    // A forged answer: a plain "false", not an error.
    let (status, body) = fixture("answer-forged.json");
    let forged: Envelope<bool> = serde_json::from_value(body).unwrap();
    assert_eq!(
        (status, forged.result.status, forged.result.value),
        (200, true, Some(false))
    );
    // A poll two minutes off: HTTP 400 with privacyIDEA's ERR10.
    let (status, body) = fixture("poll-stale.json");
    let stale: Envelope<Vec<Challenge>> = serde_json::from_value(body).unwrap();
    let error = stale.result.error.unwrap();
    assert_eq!(
        (status, stale.result.status, error.code),
        (400, false, Some(10))
    );
    assert!(error.message.starts_with("ERR10"), "{}", error.message);
}
