//! The `pocket-relay` binary as an operator runs it: `--check-config` on good and broken
//! configurations, and a running relay whose log never holds a challenge's text.

use std::time::Duration;

use pocket_core::push::{WakeChannel, WebPushKeys};
use pocket_tests::deadline::{Look, eventually};
use pocket_tests::push_services as stand_ins;
use pocket_tests::relay::{Relay, SECRET, WEB_PUSH, check_config, config_folder};
use serde_json::json;

const LIMIT: Duration = Duration::from_secs(30);

#[test]
fn check_config_says_what_the_relay_would_serve_or_what_is_wrong() {
    let folder = |sections: &str| config_folder("127.0.0.1:8095", sections).unwrap();
    let good = folder(WEB_PUSH);
    let finished = check_config(good.path()).unwrap();
    assert!(finished.success(), "{}", finished.stderr_text());
    let out = finished.stdout_text();
    assert!(out.contains("listen: 127.0.0.1:8095"), "{out}");
    assert!(out.contains("webpush: VAPID public key B"), "{out}");
    assert!(out.contains("the configuration is good"), "{out}");

    let broken = |dir: &tempfile::TempDir, wanted: &str| {
        let finished = check_config(dir.path()).unwrap();
        assert!(!finished.success(), "{}", finished.stdout_text());
        let err = finished.stderr_text();
        assert!(err.contains(wanted), "{wanted} in {err}");
    };
    let short = folder(WEB_PUSH);
    std::fs::write(short.path().join("secret"), "short").unwrap();
    broken(&short, "the gateway secret has fewer than 32 characters");
    let no_key = folder(WEB_PUSH);
    std::fs::write(
        no_key.path().join("vapid.pem"),
        "-----BEGIN PRIVATE KEY-----\nAAAA\n",
    )
    .unwrap();
    broken(
        &no_key,
        "the VAPID key cannot be read: not a P-256 private key in PEM",
    );
    broken(&folder(""), "no channel is configured");
    broken(
        &folder(&format!("{WEB_PUSH}allow_everything = true\n")),
        "unknown field `allow_everything`",
    );
    broken(
        &folder("[webpush]\nvapid_key_file = \"vapid.pem\"\nsubject = \"ops\"\n"),
        "the Web Push subject is not a mailto: or https:// address",
    );
    let missing = folder(WEB_PUSH);
    std::fs::remove_file(missing.path().join("secret")).unwrap();
    broken(&missing, "secret: No such file or directory");
    let huge = folder(WEB_PUSH);
    std::fs::write(huge.path().join("vapid.pem"), vec![b'A'; 100_000]).unwrap();
    broken(&huge, "larger than 65536 bytes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_relay_delivers_and_its_log_never_holds_a_challenge() {
    let service = stand_ins::web_push().await;
    let mut relay = Relay::start().await.unwrap();
    let phone = WebPushKeys::generate().unwrap();
    let registration = WakeChannel::WebPush {
        endpoint: service.url("/push/PHONE-TOPIC-7"),
        p256dh: phone.public_key().to_vec(),
        auth: phone.auth().to_vec(),
    }
    .registration();
    let message = json!({
        "nonce": "NONCEVALUE234567", "serial": "PIPU77", "signature": "SIGNATUREVALUE",
        "question": "QUESTION-TEXT from 198.51.100.4", "title": "TITLE-TEXT",
        "url": "https://mfa.example.com/ttype/push", "sslverify": "1",
    });
    let reply = pocket_tests::http::client()
        .unwrap()
        .post(relay.gateway())
        .header("X-Pocket-Relay-Secret", SECRET)
        .json(&json!({"registration": registration, "message": message}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    assert_eq!(service.script.received().len(), 1);
    // The outcome is logged once the delivery's task ends, just after the answer.
    eventually("the delivery in the log", LIMIT, || async {
        let logged = relay.log();
        Ok(Look::when(
            logged.contains("webpush delivery: delivered"),
            || logged,
        ))
    })
    .await
    .unwrap();
    relay.stop();

    let logged = relay.log();
    for private in [
        "NONCEVALUE",
        "QUESTION-TEXT",
        "TITLE-TEXT",
        "SIGNATUREVALUE",
        "PHONE-TOPIC",
        SECRET,
    ] {
        assert!(!logged.contains(private), "{private} in the log:\n{logged}");
    }
}
