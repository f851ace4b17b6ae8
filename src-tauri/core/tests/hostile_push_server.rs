//! The push client against servers that misbehave on purpose: endless replies, redirects,
//! weak keys, accounts slipped into a reply, and links that switch certificate checks off.
//! Each test performs the attack on loopback and checks that Pocket refuses it.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{Hostile, Reply};
use pocket_core::push::{
    Answer, MIN_KEY_BITS, PushClient, PushRequest, SigningKey, parse_enrollment,
};
use pocket_core::vault::SharedVault;
use pocket_core::vault::{MemoryStore, Vault};
use serde_json::json;

fn link(server: &str, sslverify: u8) -> String {
    let url = server.replace(':', "%3A").replacen("%3A", ":", 1);
    format!(
        "otpauth://pipush/PIPU0001?url={url}/ttype/push&ttl=10&issuer=Corp&enrollment_credential=0c71de0c&v=1&serial=PIPU0001&sslverify={sslverify}&poll_only=True"
    )
}

fn vault(dir: &tempfile::TempDir) -> (SharedVault, Arc<MemoryStore>) {
    let store = Arc::new(MemoryStore::default());
    let vault = Vault::open(&dir.path().join("pocket.sqlite"), Box::new(store.clone())).unwrap();
    (Arc::new(Mutex::new(vault)), store)
}

/// A rollout reply with this server key and, optionally, a code account link.
fn rollout_reply(server_key: &str, totp: Option<&str>) -> Reply {
    let mut detail = json!({ "public_key": server_key });
    if let Some(totp) = totp {
        detail["totp"] = json!(totp);
    }
    Reply::json(&json!({"result": {"status": true, "value": true}, "detail": detail}))
}

fn server_key() -> String {
    SigningKey::generate(MIN_KEY_BITS)
        .unwrap()
        .verifying_key()
        .to_base64()
        .unwrap()
}

/// What a rollout against `server` fails with.
async fn rollout_error(server: &Hostile) -> pocket_core::Error {
    let enrollment = parse_enrollment(&link(&server.url(""), 1)).unwrap();
    let key = SigningKey::generate(MIN_KEY_BITS).unwrap();
    PushClient::new()
        .unwrap()
        .rollout(&enrollment, &key)
        .await
        .unwrap_err()
}

#[tokio::test]
async fn an_endless_reply_is_cut_off_at_the_cap_as_it_streams() {
    let server = Hostile::start(Reply::Endless).await;
    let started = Instant::now();
    let error = rollout_error(&server).await;
    assert_eq!(error.code(), "reply_too_large", "{error}");
    assert_eq!(error.to_string(), "the server's reply is too large");
    // Buffering the whole reply would run until the 20 s limit, memory growing throughout.
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn a_reply_announcing_more_than_the_cap_is_refused() {
    // A length far past the cap with almost nothing behind it, and a whole body past it.
    let huge = "x".repeat(2 << 20);
    for (announced, body) in [(5_000_000_000usize, "{}"), (huge.len(), huge.as_str())] {
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {announced}\r\nConnection: close\r\n\r\n"
        );
        let server =
            Hostile::start(Reply::Fixed([head.as_bytes(), body.as_bytes()].concat())).await;
        let error = rollout_error(&server).await;
        assert_eq!(error.code(), "reply_too_large", "{announced}: {error}");
    }
}

#[tokio::test]
async fn a_redirect_is_an_error_that_names_the_other_address_and_is_not_followed() {
    let elsewhere = Hostile::start(rollout_reply(&server_key(), None)).await;
    for status in [301, 302, 307, 308] {
        let server = Hostile::start(Reply::redirect(status, &elsewhere.url("/steal"))).await;
        let error = rollout_error(&server).await;
        assert_eq!(error.code(), "redirected", "{status}: {error}");
        assert!(
            error.to_string().contains(&elsewhere.url("/steal")),
            "{error}"
        );
    }
    assert_eq!(
        elsewhere.connections(),
        0,
        "the credential went to the other address"
    );
}

#[tokio::test]
async fn unchecked_certificates_need_consent_before_any_connection() {
    let server = Hostile::start(rollout_reply(&server_key(), None)).await;
    // A name that is not loopback, pointed at the test server without asking any resolver.
    let client = PushClient::with(|b| b.resolve("mfa.corp.test", server.addr)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (vault, store) = vault(&dir);
    let port = server.addr.port();
    for (scheme, sslverify, code) in [
        ("https", 0, "certificate_unchecked"),
        ("http", 1, "insecure_server"),
    ] {
        let uri = link(&format!("{scheme}://mfa.corp.test:{port}"), sslverify);
        let error = pocket_core::flows::enroll(&vault, &client, &uri, false, 0)
            .await
            .unwrap_err();
        assert_eq!(error.code(), code, "{uri}: {error}");
        assert!(error.to_string().contains("answer logins in your name"));
    }
    assert_eq!(server.connections(), 0, "Pocket connected before asking");
    assert!(store.is_empty());
    // With the user's consent it goes ahead. This server speaks no TLS, so the handshake
    // fails; that is a server not reached (`tls` is for a certificate that is not valid).
    let uri = link(&format!("https://mfa.corp.test:{port}"), 0);
    let error = pocket_core::flows::enroll(&vault, &client, &uri, true, 0)
        .await
        .unwrap_err();
    assert_eq!(error.code(), "network", "{error}");
    assert_eq!(server.connections(), 1);
    assert!(store.is_empty(), "a failed rollout leaves nothing behind");
}

#[tokio::test]
async fn a_server_key_under_2048_bits_is_refused_and_nothing_is_kept() {
    use base64::Engine;
    use rsa::pkcs1::EncodeRsaPublicKey;
    let weak = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 1024).unwrap();
    let weak = base64::engine::general_purpose::STANDARD.encode(
        rsa::RsaPublicKey::from(&weak)
            .to_pkcs1_der()
            .unwrap()
            .as_bytes(),
    );
    let server = Hostile::start(rollout_reply(&weak, None)).await;
    let dir = tempfile::tempdir().unwrap();
    let (vault, store) = vault(&dir);
    let error = pocket_core::flows::enroll(
        &vault,
        &PushClient::new().unwrap(),
        &link(&server.url(""), 1),
        false,
        0,
    )
    .await
    .unwrap_err();
    assert_eq!(error.code(), "weak_key", "{error}");
    assert!(store.is_empty());
    assert!(vault.lock().unwrap().push_tokens().unwrap().is_empty());
}

#[tokio::test]
async fn a_rollout_reply_cannot_slip_in_an_account_nor_add_one_unasked() {
    let key = server_key();
    for (link_in_reply, offered) in [
        (
            "otpauth://totp/Evil:alice?secret=JBSWY3DPEHPK3PXP&issuer=Evil",
            false,
        ),
        ("otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP", false),
        (
            "otpauth://pipush/X?url=http%3A//127.0.0.1/ttype/push&ttl=1&issuer=Corp&enrollment_credential=1&v=1&serial=X",
            false,
        ),
        (
            "otpauth://totp/Corp:alice?secret=JBSWY3DPEHPK3PXP&issuer=Corp",
            true,
        ),
    ] {
        let server = Hostile::start(rollout_reply(&key, Some(link_in_reply))).await;
        let dir = tempfile::tempdir().unwrap();
        let (vault, _store) = vault(&dir);
        let enrolled = pocket_core::flows::enroll(
            &vault,
            &PushClient::new().unwrap(),
            &link(&server.url(""), 1),
            false,
            0,
        )
        .await
        .unwrap();
        // Offered at most: nothing is added before the user says yes.
        let accounts = vault.lock().unwrap().accounts().unwrap();
        assert!(accounts.is_empty(), "{link_in_reply}");
        assert_eq!(
            enrolled.offered_account.as_ref().map(|a| a.issuer.as_str()),
            offered.then_some("Corp"),
            "{link_in_reply}"
        );
    }
}

#[tokio::test]
async fn a_number_matching_request_is_answered_with_an_offered_number_only() {
    let server = Hostile::start(Reply::json(
        &json!({"result": {"status": true, "value": true}}),
    ))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let (vault, _store) = vault(&dir);
    let enrollment = parse_enrollment(&link(&server.url(""), 1)).unwrap();
    let device = SigningKey::generate(MIN_KEY_BITS).unwrap();
    let token = {
        let mut vault = vault.lock().unwrap();
        let id = vault
            .begin_push_enrollment(&enrollment, &device, 0)
            .unwrap();
        let token = vault
            .finish_push_enrollment(&id, &device.verifying_key())
            .unwrap();
        let request = PushRequest {
            serial: "PIPU0001".into(),
            nonce: "NONCE".into(),
            title: "Corp".into(),
            question: "Log in?".into(),
            presence_options: vec!["11".into(), "17".into(), "21".into()],
            takes_decline_reason: false,
            received_at: 100,
            expires_at: 220,
        };
        assert!(vault.record_request(&token, &request).unwrap());
        token
    };
    let client = PushClient::new().unwrap();
    for (answer, code) in [
        (Answer::Accept, "presence_required"),
        (Answer::Presence("99".into()), "not_an_option"),
        (Answer::Presence("11|17".into()), "not_an_option"),
    ] {
        let error = pocket_core::flows::answer(&vault, &client, &token.id, "NONCE", answer, 110)
            .await
            .map(|answered| answered.outcome)
            .unwrap_err();
        assert_eq!(error.code(), code);
    }
    assert_eq!(server.connections(), 0, "a refused answer was sent");
    // The request is still open, and an offered number goes through.
    let outcome = pocket_core::flows::answer(
        &vault,
        &client,
        &token.id,
        "NONCE",
        Answer::Presence("17".into()),
        110,
    )
    .await
    .map(|answered| answered.outcome)
    .unwrap();
    assert_eq!(outcome.as_str(), "accepted");
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn a_signed_request_of_a_kind_pocket_does_not_know_is_kept_as_unanswerable() {
    let server_signing = SigningKey::generate(MIN_KEY_BITS).unwrap();
    let signer = &server_signing;
    let server = Hostile::start_with(|base| {
        let enrollment = parse_enrollment(&link(base, 1)).unwrap();
        let mut challenge = pocket_core::push::wire::Challenge {
            nonce: "NONCE3".into(),
            url: enrollment.url.to_string(),
            serial: "PIPU0001".into(),
            question: "Log in?".into(),
            title: "Corp".into(),
            sslverify: "1".into(),
            signature: String::new(),
            require_presence: None,
            version: Some("3".into()),
            capabilities: None,
            capabilities_signature: None,
        };
        challenge.signature = signer.sign(&pocket_core::push::wire::challenge_message(&challenge));
        Reply::json(&json!({"result": {"status": true, "value": [challenge]}}))
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let (vault, _store) = vault(&dir);
    let enrollment = parse_enrollment(&link(&server.url(""), 1)).unwrap();
    {
        let device = SigningKey::generate(MIN_KEY_BITS).unwrap();
        let mut vault = vault.lock().unwrap();
        let id = vault
            .begin_push_enrollment(&enrollment, &device, 0)
            .unwrap();
        vault
            .finish_push_enrollment(&id, &server_signing.verifying_key())
            .unwrap();
    }
    let round = pocket_core::flows::poll_once(&vault, &PushClient::new().unwrap(), 100)
        .await
        .unwrap();
    assert!(
        round.new.is_empty(),
        "a kind Pocket does not know was offered for an answer"
    );
    assert_eq!(round.dropped, 1);
    // In the history, as a request that could not be answered, and why.
    let history = vault.lock().unwrap().request_history(10).unwrap();
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(history[0].outcome.as_str(), "failed");
    assert!(
        history[0].detail.contains("version 3"),
        "{}",
        history[0].detail
    );
    assert!(vault.lock().unwrap().open_requests(100).unwrap().is_empty());
}
