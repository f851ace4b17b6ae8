//! The gateway as privacyIDEA's HTTP gateway posts to it, delivering to local stand-ins of a
//! UnifiedPush server, APNs and FCM: what reaches each, and what the gateway answers.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use pocket_core::push::{WakeChannel, WebPushKeys};
use pocket_relay::config::{ApnsConfig, FcmConfig, WebPushConfig};
use pocket_relay::{Deliverer, Relay, app};
use pocket_tests::deadline::{Look, eventually};
use serde_json::{Value, json};

use pocket_tests::push_services as stand_ins;

const SECRET: &str = "a gateway secret of forty characters, ok";

/// A challenge as privacyIDEA 3.14 hands its gateway one (fields and value kinds as sent).
pub fn challenge() -> Value {
    json!({
        "nonce": "GZNNQ6OHMT3NNNNNAYQOVB4I5CSMTCMX",
        "question": "Log in to the VPN from 192.0.2.7?",
        "serial": "PIPU0001A2B3",
        "title": "privacyIDEA",
        "sslverify": "1",
        "url": "https://mfa.example.com/ttype/push",
        "signature": "ABCDEFGH234567",
        "capabilities": "{\"decline_reason\": true}",
        "capabilities_signature": "ZYXWVUT234567",
    })
}

fn web_push_config(allow_private_endpoints: bool) -> WebPushConfig {
    WebPushConfig {
        vapid_key: p256::ecdsa::SigningKey::random(&mut rand_core::OsRng),
        subject: "mailto:ops@example.com".into(),
        allow_private_endpoints,
    }
}

pub struct Started {
    address: SocketAddr,
    relay: Arc<Relay>,
    http: reqwest::Client,
}

async fn start(deliverer: Deliverer) -> Started {
    let relay = Arc::new(Relay::new(deliverer, SECRET));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = app(relay.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    Started {
        address,
        relay,
        http: pocket_tests::http::client().unwrap(),
    }
}

impl Started {
    async fn post_as(&self, secret: Option<&str>, body: Vec<u8>) -> (u16, Value) {
        let mut request = self
            .http
            .post(format!("http://{}/gateway", self.address))
            .header("content-type", "application/json")
            .body(body);
        if let Some(secret) = secret {
            request = request.header("X-Pocket-Relay-Secret", secret);
        }
        let reply = request.send().await.unwrap();
        let status = reply.status().as_u16();
        (status, reply.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, registration: &str, message: &Value) -> (u16, Value) {
        let body = json!({"registration": registration, "message": message});
        self.post_as(Some(SECRET), body.to_string().into_bytes())
            .await
    }

    async fn wait_for_deliveries(&self, channel: &str, outcome: &str, count: u64) {
        eventually(
            &format!("{count} {channel} deliveries {outcome}"),
            Duration::from_secs(15),
            || async {
                let seen = self.relay.metrics.deliveries(channel, outcome);
                Ok(Look::when(seen == count, || format!("{seen}")))
            },
        )
        .await
        .unwrap();
    }
}

pub fn web_push_registration(keys: &WebPushKeys, endpoint: url::Url) -> String {
    WakeChannel::WebPush {
        endpoint,
        p256dh: keys.public_key().to_vec(),
        auth: keys.auth().to_vec(),
    }
    .registration()
}

/// A UnifiedPush stand-in, a relay delivering Web Push, and a phone's keys.
pub async fn web_push_relay(
    allow_private_endpoints: bool,
) -> (stand_ins::Running, Started, WebPushKeys) {
    let service = stand_ins::web_push().await;
    let webpush = pocket_relay::webpush::WebPush::new(web_push_config(allow_private_endpoints));
    let deliverer = Deliverer {
        webpush: Some(webpush.unwrap()),
        apns: None,
        fcm: None,
    };
    (
        service,
        start(deliverer).await,
        WebPushKeys::generate().unwrap(),
    )
}

#[tokio::test]
async fn a_challenge_reaches_the_phone_through_web_push_unchanged_and_only_the_phone_reads_it() {
    let (service, relay, phone) = web_push_relay(true).await;
    let registration = web_push_registration(&phone, service.url("/push/up-AbC"));

    let (status, answer) = relay.post(&registration, &challenge()).await;
    assert_eq!((status, &answer), (200, &json!({"result": "delivered"})));
    assert_eq!(service.script.refused(), Vec::<String>::new());
    let [received] = service.script.received().try_into().unwrap();
    assert_eq!(received.path, "/push/up-AbC");
    assert_eq!(received.headers["ttl"], "120");
    let plaintext = phone.decrypt(&received.body).unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(&plaintext).unwrap(),
        challenge()
    );
    // What the push service saw is not the challenge.
    let seen = String::from_utf8_lossy(&received.body);
    assert!(!seen.contains("GZNNQ6OH") && !seen.contains("VPN"));
    assert!(
        WebPushKeys::generate()
            .unwrap()
            .decrypt(&received.body)
            .is_err()
    );

    // privacyIDEA configured to send the message as text is read the same.
    let (status, _) = relay
        .post(&registration, &Value::String(challenge().to_string()))
        .await;
    assert_eq!(status, 200);
    relay.wait_for_deliveries("webpush", "delivered", 2).await;
}

#[tokio::test]
async fn a_gone_endpoint_a_busy_service_and_a_refusal_are_each_answered_for_what_they_are() {
    let (service, relay, phone) = web_push_relay(true).await;
    let registration = web_push_registration(&phone, service.url("/push/x"));

    service.script.then(410, "subscription expired");
    let (status, answer) = relay.post(&registration, &challenge()).await;
    assert_eq!((status, answer["result"].as_str()), (410, Some("gone")));
    assert_eq!(answer["reason"], "410 subscription expired");
    relay.wait_for_deliveries("webpush", "gone", 1).await;

    // Busy, then busy again, then taken: the gateway is not kept waiting for the retries.
    service.script.then(429, "slow down");
    service.script.then(503, "");
    let (status, answer) = relay.post(&registration, &challenge()).await;
    assert_eq!((status, answer["result"].as_str()), (202, Some("retrying")));
    relay.wait_for_deliveries("webpush", "delivered", 1).await;
    assert_eq!(service.script.received().len(), 4);

    service.script.then(400, "bad request");
    let (status, answer) = relay.post(&registration, &challenge()).await;
    assert_eq!((status, answer["result"].as_str()), (502, Some("failed")));
    relay.wait_for_deliveries("webpush", "failed", 1).await;

    let metrics = relay
        .http
        .get(format!("http://{}/metrics", relay.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for line in [
        "pocket_relay_deliveries_total{channel=\"webpush\",outcome=\"gone\"} 1",
        "pocket_relay_deliveries_total{channel=\"webpush\",outcome=\"delivered\"} 1",
        "pocket_relay_requests_total{result=\"accepted\"} 3",
    ] {
        assert!(metrics.contains(line), "{line} in\n{metrics}");
    }
}

#[tokio::test]
async fn requests_without_the_secret_or_out_of_bounds_are_refused_and_nothing_is_sent() {
    let (service, relay, phone) = web_push_relay(true).await;
    let registration = web_push_registration(&phone, service.url("/push/x"));
    let good = json!({"registration": registration, "message": challenge()}).to_string();

    for secret in [None, Some("wrong"), Some(&SECRET[..SECRET.len() - 1])] {
        let (status, answer) = relay.post_as(secret, good.clone().into_bytes()).await;
        assert_eq!(
            (status, answer["result"].as_str()),
            (401, Some("unauthorized"))
        );
    }
    let mut huge = json!({"registration": registration, "message": challenge()});
    huge["message"]["question"] = "x".repeat(20_000).into();
    let (status, _) = relay
        .post_as(Some(SECRET), huge.to_string().into_bytes())
        .await;
    assert_eq!(status, 413);
    let (status, answer) = relay.post_as(Some(SECRET), b"{not json".to_vec()).await;
    assert_eq!(
        (status, answer["result"].as_str()),
        (400, Some("bad_request"))
    );
    let (status, answer) = relay
        .post(&registration, &json!({"question": "no nonce"}))
        .await;
    assert_eq!(
        (status, answer["reason"].as_str()),
        (400, Some("the message is not a push challenge"))
    );
    let (status, answer) = relay
        .post("pocket:1:webpush:AAAA:BBBB:https://x/", &challenge())
        .await;
    assert_eq!(status, 400, "{answer}");
    let (status, answer) = relay
        .post(
            &format!("pocket:1:apns:production:{}", "ab".repeat(32)),
            &challenge(),
        )
        .await;
    assert_eq!(
        (status, answer["reason"].as_str()),
        (422, Some("this relay has no apns configured"))
    );
    // Another app's Firebase token: this relay cannot reach that phone, and says so.
    let (status, answer) = relay
        .post("cXyZ123:APA91bHq-someone-elses-token", &challenge())
        .await;
    assert_eq!(
        (status, answer["reason"].as_str()),
        (
            422,
            Some("the registration is not one this relay can deliver to")
        )
    );
    let (status, answer) = relay.post("no firebase token", &challenge()).await;
    assert_eq!(
        (status, answer["result"].as_str()),
        (200, Some("poll_only"))
    );
    assert!(service.script.received().is_empty());

    let health: Value = relay
        .http
        .get(format!("http://{}/health", relay.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health, json!({"status": "ok", "channels": ["webpush"]}));
}

#[tokio::test]
async fn an_endpoint_inside_the_relays_network_is_never_reached() {
    let (service, relay, phone) = web_push_relay(false).await;
    for endpoint in [
        service.url("/push/x"),
        format!("http://localhost:{}/push/x", service.address.port())
            .parse()
            .unwrap(),
    ] {
        let (status, answer) = relay
            .post(&web_push_registration(&phone, endpoint), &challenge())
            .await;
        assert_eq!(
            (status, answer["result"].as_str()),
            (502, Some("failed")),
            "{answer}"
        );
        assert!(
            answer["reason"]
                .as_str()
                .unwrap()
                .contains("private network"),
            "{answer}"
        );
    }
    assert!(service.script.received().is_empty());
}

#[tokio::test]
async fn apns_gets_an_alert_with_the_challenge_beside_it_under_a_provider_token() {
    let key = p256::ecdsa::SigningKey::random(&mut rand_core::OsRng);
    let apple = stand_ins::apns(*key.verifying_key(), "KEYID12345", "TEAM123456").await;
    let config = ApnsConfig {
        key,
        key_id: "KEYID12345".into(),
        team_id: "TEAM123456".into(),
        topic: "org.pocket.test".into(),
        production_url: apple.url("/"),
        development_url: apple.url("/"),
    };
    let deliverer = Deliverer {
        webpush: None,
        apns: Some(pocket_relay::apns::Apns::new(config).unwrap()),
        fcm: None,
    };
    let relay = start(deliverer).await;
    let device = "0a1b".repeat(16);
    let registration = format!("pocket:1:apns:production:{device}");

    let (status, answer) = relay.post(&registration, &challenge()).await;
    assert_eq!((status, &answer), (200, &json!({"result": "delivered"})));
    assert_eq!(apple.script.refused(), Vec::<String>::new());
    let [received] = apple.script.received().try_into().unwrap();
    assert_eq!(received.path, format!("/3/device/{device}"));
    let payload: Value = serde_json::from_slice(&received.body).unwrap();
    assert_eq!(payload["aps"]["alert"]["title"], "privacyIDEA");
    assert_eq!(
        payload["aps"]["alert"]["body"],
        "Log in to the VPN from 192.0.2.7?"
    );
    assert_eq!(payload["aps"]["category"], "POCKET_LOGIN_REQUEST");
    assert_eq!(payload["pocket"], challenge());

    // An uninstalled app's token.
    apple.script.then(400, r#"{"reason":"BadDeviceToken"}"#);
    let (status, answer) = relay.post(&registration, &challenge()).await;
    assert_eq!(
        (status, answer["result"].as_str()),
        (410, Some("gone")),
        "{answer}"
    );
}

#[tokio::test]
async fn fcm_gets_a_data_message_under_a_token_bought_with_the_service_account() {
    let key = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, 2048).unwrap();
    let google = stand_ins::fcm(
        key.to_public_key(),
        "relay@pocket-test.iam.gserviceaccount.com",
    )
    .await;
    let config = FcmConfig {
        project_id: "pocket-test".into(),
        client_email: "relay@pocket-test.iam.gserviceaccount.com".into(),
        key,
        token_uri: google.url("/token"),
        api_url: google.url("/"),
    };
    let deliverer = Deliverer {
        webpush: None,
        apns: None,
        fcm: Some(pocket_relay::fcm::Fcm::new(config).unwrap()),
    };
    let relay = start(deliverer).await;
    let registration = "pocket:1:fcm:cXyZ123:APA91bHq-token_0";

    let (status, answer) = relay.post(registration, &challenge()).await;
    assert_eq!((status, &answer), (200, &json!({"result": "delivered"})));
    assert_eq!(google.script.refused(), Vec::<String>::new());
    let [received] = google.script.received().try_into().unwrap();
    assert_eq!(received.path, "/v1/projects/pocket-test");
    let body: Value = serde_json::from_slice(&received.body).unwrap();
    assert_eq!(body["message"]["token"], "cXyZ123:APA91bHq-token_0");
    assert_eq!(body["message"]["data"], challenge());

    google.script.then(
        404,
        r#"{"error": {"status": "NOT_FOUND", "details": [{"errorCode": "UNREGISTERED"}]}}"#,
    );
    let (status, answer) = relay.post(registration, &challenge()).await;
    assert_eq!(
        (status, answer["result"].as_str()),
        (410, Some("gone")),
        "{answer}"
    );
}
