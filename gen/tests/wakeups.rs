//! `pocket-gen device wakeup`: the headless phone takes a Web Push channel, the reference
//! service keeps it from the phone's signed update, and a message encrypted to the phone's
//! keys brings the login request it carries, once, and nothing else.

use std::process::Command;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use pocket_core::push::WakeChannel;
use pocket_core::push::webpush::encrypt;
use pocket_tests::process::{Finished, run};
use serde_json::Value;

use crate::common::start;

const COMMAND_LIMIT: Duration = Duration::from_secs(60);

/// `pocket-gen device --state STATE ARGS`, off the runtime's threads (the service runs there).
async fn device(state: &std::path::Path, args: &[&str]) -> Finished {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pocket-gen"));
    command.arg("device").arg("--state").arg(state).args(args);
    tokio::task::spawn_blocking(move || run(&mut command, COMMAND_LIMIT).unwrap())
        .await
        .unwrap()
}

fn json_line(finished: &Finished) -> Value {
    assert!(
        finished.success(),
        "{}",
        String::from_utf8_lossy(&finished.stderr)
    );
    serde_json::from_slice(&finished.stdout).unwrap()
}

fn refused(finished: &Finished) -> String {
    assert!(
        !finished.success(),
        "{}",
        String::from_utf8_lossy(&finished.stdout)
    );
    String::from_utf8_lossy(&finished.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wake_up_message_brings_its_login_request_once_and_nothing_else() {
    let service = start().await;
    let state = tempfile::tempdir().unwrap();
    let state = state.path();
    let (serial, uri) = service.svc.push.enroll("alice@example.com").unwrap();
    json_line(&device(state, &["enroll", &uri]).await);
    assert_eq!(
        service.svc.push.wake_channel(&serial).unwrap(),
        WakeChannel::PollOnly
    );

    // The channel: keys made, the registration sent to the service, signed.
    let channel = json_line(
        &device(
            state,
            &[
                "wakeup",
                "unifiedpush",
                "--endpoint",
                "https://push.example.net/up/AbC?x=1",
            ],
        )
        .await,
    );
    let registration = channel["registration"].as_str().unwrap();
    assert!(
        registration.starts_with("pocket:1:webpush:"),
        "{registration}"
    );
    assert_eq!(channel["endpoint"], "https://push.example.net/up/AbC?x=1");
    assert_eq!(channel["unreached"], serde_json::json!([]));
    let p256dh = URL_SAFE_NO_PAD
        .decode(channel["p256dh"].as_str().unwrap())
        .unwrap();
    let auth = URL_SAFE_NO_PAD
        .decode(channel["auth"].as_str().unwrap())
        .unwrap();
    assert_eq!((p256dh.len(), auth.len()), (65, 16));
    assert_eq!(
        service.svc.push.wake_channel(&serial).unwrap(),
        WakeChannel::parse(registration).unwrap()
    );

    // A login; its challenge as privacyIDEA hands it to the gateway, encrypted to the phone.
    let login = service
        .svc
        .push
        .trigger(&serial, "Pocket reference", "Log in from 127.0.0.1?", false)
        .unwrap();
    let challenge = service
        .svc
        .push
        .wake_up_message(&login.transaction_id)
        .unwrap();
    let plaintext = serde_json::to_vec(&challenge).unwrap();
    let files = tempfile::tempdir().unwrap();
    let write = |name: &str, body: &[u8]| {
        let path = files.path().join(name);
        std::fs::write(&path, body).unwrap();
        path.to_str().unwrap().to_string()
    };
    let message = encrypt(&p256dh, &auth, &plaintext).unwrap();
    let good = write("message.bin", &message);
    let request = json_line(&device(state, &["wakeup", "receive", &good]).await);
    assert_eq!(request["serial"], serial.as_str());
    assert_eq!(request["nonce"], challenge.nonce.as_str());
    assert_eq!(request["title"], "Pocket reference");
    assert_eq!(request["question"], "Log in from 127.0.0.1?");

    // The same message again: a replay.
    let again = refused(&device(state, &["wakeup", "receive", &good]).await);
    assert!(
        again.contains("this login request arrived before"),
        "{again}"
    );
    // Changed on the way: its integrity check fails.
    let mut tampered = message.clone();
    *tampered.last_mut().unwrap() ^= 1;
    let tampered = refused(
        &device(
            state,
            &["wakeup", "receive", &write("tampered.bin", &tampered)],
        )
        .await,
    );
    assert!(tampered.contains("fails its integrity check"), "{tampered}");
    // Encrypted rightly, but its text is not what the server signed.
    let mut forged = challenge.clone();
    forged.question = "Log in from 10.6.6.6?".into();
    forged.nonce = "OTHERNONCE".into();
    let forged = encrypt(&p256dh, &auth, &serde_json::to_vec(&forged).unwrap()).unwrap();
    let forged =
        refused(&device(state, &["wakeup", "receive", &write("forged.bin", &forged)]).await);
    assert!(forged.contains("not signed by its server"), "{forged}");
    // For a token this phone does not have.
    let mut foreign = challenge.clone();
    foreign.serial = "PKT-OTHER".into();
    let foreign = encrypt(&p256dh, &auth, &serde_json::to_vec(&foreign).unwrap()).unwrap();
    let foreign = refused(
        &device(
            state,
            &["wakeup", "receive", &write("foreign.bin", &foreign)],
        )
        .await,
    );
    assert!(
        foreign.contains("there is no push token PKT-OTHER"),
        "{foreign}"
    );
    // Not a login request at all.
    let noise = encrypt(&p256dh, &auth, b"{\"hello\": 1}").unwrap();
    let noise = refused(&device(state, &["wakeup", "receive", &write("noise.bin", &noise)]).await);
    assert!(noise.contains("holds no login request"), "{noise}");
    // Larger than any push service carries: refused unread.
    let huge = refused(
        &device(
            state,
            &["wakeup", "receive", &write("huge.bin", &[0; 5000])],
        )
        .await,
    );
    assert!(
        huge.contains("larger than a push message (4096 bytes)"),
        "{huge}"
    );

    // A new endpoint keeps the keys; the service learns the new one. Then back to polling.
    let moved = json_line(
        &device(
            state,
            &[
                "wakeup",
                "unifiedpush",
                "--endpoint",
                "https://push.example.net/up/New",
            ],
        )
        .await,
    );
    assert_eq!(moved["p256dh"], channel["p256dh"]);
    assert_eq!(
        service.svc.push.wake_channel(&serial).unwrap(),
        WakeChannel::parse(moved["registration"].as_str().unwrap()).unwrap()
    );
    json_line(&device(state, &["wakeup", "poll-only"]).await);
    assert_eq!(
        service.svc.push.wake_channel(&serial).unwrap(),
        WakeChannel::PollOnly
    );
}
