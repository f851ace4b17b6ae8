//! Web Push against independent implementations (tests/peers/webpush.py): what the relay
//! hands a push service, Python's http_ece decrypts with the phone's key and PyJWT accepts as
//! VAPID for that service alone; what http_ece encrypts, the phone reads.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use pocket_core::push::{WebPushKeys, challenge_from_message};
use pocket_tests::tools::run_peer;
use serde_json::{Value, json};

use crate::delivery::{challenge, web_push_registration, web_push_relay};

fn peer(action: &str, request: Value) -> anyhow::Result<String> {
    let out = run_peer("webpush.py", &[action], request.to_string().as_bytes())?;
    Ok(String::from_utf8(out)?.trim().to_string())
}

#[tokio::test]
async fn what_the_relay_sends_python_decrypts_and_its_vapid_verifies() {
    let (service, relay, phone) = web_push_relay(true).await;
    let registration = web_push_registration(&phone, service.url("/push/interop"));
    let (status, _) = relay.post(&registration, &challenge()).await;
    assert_eq!(status, 200);
    let [received] = service.script.received().try_into().unwrap();

    let plaintext = peer(
        "decrypt",
        json!({
            "private": URL_SAFE_NO_PAD.encode(phone.private_bytes().as_slice()),
            "auth": URL_SAFE_NO_PAD.encode(phone.auth()),
            "body": URL_SAFE_NO_PAD.encode(&received.body),
        }),
    )
    .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&plaintext).unwrap(),
        challenge()
    );

    let authorization = received.headers["authorization"].to_str().unwrap();
    let origin = format!("http://{}", service.address);
    let claims: Value = serde_json::from_str(
        &peer(
            "vapid",
            json!({"authorization": authorization, "audience": origin}),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["aud"], origin);
    assert_eq!(claims["sub"], "mailto:ops@example.com");
    // The token is for that push service only.
    let elsewhere = peer(
        "vapid",
        json!({"authorization": authorization, "audience": "https://push.example.net"}),
    );
    let refusal = format!("{:#}", elsewhere.unwrap_err());
    assert!(refusal.contains("InvalidAudienceError"), "{refusal}");
}

#[test]
fn a_message_python_encrypts_is_read_by_the_phone() {
    let phone = WebPushKeys::generate().unwrap();
    let message = challenge().to_string();
    let body = peer(
        "encrypt",
        json!({
            "p256dh": URL_SAFE_NO_PAD.encode(phone.public_key()),
            "auth": URL_SAFE_NO_PAD.encode(phone.auth()),
            "plaintext": message,
        }),
    )
    .unwrap();
    let plaintext = phone
        .decrypt(&URL_SAFE_NO_PAD.decode(body).unwrap())
        .unwrap();
    let read = challenge_from_message(&plaintext).unwrap();
    assert_eq!(read.nonce, "GZNNQ6OHMT3NNNNNAYQOVB4I5CSMTCMX");
    assert_eq!(read.question, "Log in to the VPN from 192.0.2.7?");
}
