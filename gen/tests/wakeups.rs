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

/// The service as its own relay: a phone that gave a Web Push channel is woken for every
/// login, and the security page's test request says how its wake-up went out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reference_service_wakes_a_phone_that_gave_a_web_push_channel() {
    use axum::http::StatusCode;
    use pocket_core::clock::now_unix;
    use pocket_core::flows::{
        enroll, notification_for_wakeup, receive_plaintext, receive_wakeup, set_wake_channel,
        web_push_channel, web_push_keys,
    };
    use pocket_core::push::{Answer, PushClient};
    use pocket_core::vault::exclusive;
    use pocket_gen::service::app;
    use pocket_tests::deadline::{Look, eventually};

    use crate::common::web::{Browser, csrf_of, status_url_of};
    use crate::common::{answer_now, phone_vault, start_with};

    const EMAIL: &str = "alice@example.com";
    const PASSWORD: &str = "a long enough password";
    let service = start_with(|service| service.with_wake_ups().unwrap()).await;
    service.svc.users.add(EMAIL, PASSWORD).unwrap();
    let router = app(service.svc.clone());
    let push_service = pocket_tests::push_services::web_push().await;

    // Paired, then given a channel at the stand-in push service.
    let mut user = Browser::new(&router);
    user.log_in(EMAIL, PASSWORD).await;
    let csrf = csrf_of(&user.get("/security").await.body);
    let pairing = user.post("/security/pair", &[("csrf", &csrf)]).await.body;
    let link = pairing
        .split("data-testid=\"enrollment-link\">")
        .nth(1)
        .and_then(|rest| rest.split("</code>").next())
        .unwrap()
        .replace("&amp;", "&");
    let phone_dir = tempfile::tempdir().unwrap();
    let vault = phone_vault(&phone_dir);
    let client = PushClient::new().unwrap();
    let token = enroll(&vault, &client, &link, false, now_unix())
        .await
        .unwrap()
        .token;
    let channel =
        web_push_channel(&mut exclusive(&vault), push_service.url("/push/alice")).unwrap();
    let unreached = set_wake_channel(&vault, &client, &channel, &now_unix)
        .await
        .unwrap();
    assert!(unreached.is_empty(), "{unreached:?}");
    let taken = |count: usize| {
        let push_service = &push_service;
        async move {
            eventually(
                "the push service to take the wake-up",
                Duration::from_secs(10),
                || async {
                    let received = push_service.script.received();
                    Ok(Look::found(
                        (received.len() >= count).then(|| received[count - 1].body.clone()),
                        || format!("{} taken", received.len()),
                    ))
                },
            )
            .await
            .unwrap()
        }
    };

    // The security page's test request: delivered, and it reads on the phone.
    let security = user.get("/security").await.body;
    assert!(
        security.contains("data-testid=\"test-request\""),
        "{security}"
    );
    let sent = user
        .post("/security/test-request", &[("csrf", &csrf_of(&security))])
        .await;
    assert_eq!(sent.status, StatusCode::OK);
    assert!(
        sent.body.contains("Sent, and handed to your phone"),
        "{}",
        sent.body
    );
    let body = taken(1).await;
    let woken = receive_wakeup(&vault, &body, now_unix()).unwrap();
    assert_eq!(
        woken.request.question,
        "A test from the security page: nothing logs in, whatever you answer."
    );
    answer_now(
        &vault,
        &client,
        &token.id,
        &woken.request.nonce,
        Answer::Accept,
    )
    .await;

    // A real login wakes the phone as well, and its answer signs the browser in.
    let mut browser = Browser::new(&router);
    browser.log_in(EMAIL, PASSWORD).await;
    let status = status_url_of(&browser.get("/login/wait").await.body);
    let body = taken(2).await;
    // A phone whose app is closed: its push library decrypts, and the database alone says what
    // to show (or nothing, for a forged or a seen request).
    let db = phone_dir.path().join("phone.sqlite");
    let plaintext = web_push_keys(&mut exclusive(&vault))
        .unwrap()
        .decrypt(&body)
        .unwrap();
    let shown = notification_for_wakeup(&db, &plaintext, now_unix()).unwrap();
    assert_eq!(
        shown,
        Some((
            "Pocket reference service".to_string(),
            "Log in to the Pocket reference service?".to_string()
        ))
    );
    let mut forged: serde_json::Value = serde_json::from_slice(&plaintext).unwrap();
    forged["question"] = "Log in from somewhere else?".into();
    let forged = serde_json::to_vec(&forged).unwrap();
    assert_eq!(
        notification_for_wakeup(&db, &forged, now_unix()).unwrap(),
        None
    );
    assert_eq!(
        notification_for_wakeup(&db, b"not json", now_unix()).unwrap(),
        None
    );
    // What Android's push library hands over (it decrypted): read the same way, once.
    let woken = receive_plaintext(&vault, &plaintext, now_unix()).unwrap();
    assert!(matches!(
        receive_plaintext(&vault, &plaintext, now_unix()),
        Err(pocket_core::Error::ServerReply(why)) if why.contains("arrived before")
    ));
    assert!(matches!(
        receive_wakeup(&vault, &body, now_unix()),
        Err(pocket_core::Error::ServerReply(why)) if why.contains("arrived before")
    ));
    assert_eq!(
        notification_for_wakeup(&db, &plaintext, now_unix()).unwrap(),
        None,
        "seen"
    );
    answer_now(
        &vault,
        &client,
        &token.id,
        &woken.request.nonce,
        Answer::Accept,
    )
    .await;
    assert_eq!(browser.get(&status).await.body, r#"{"state":"accepted"}"#);
    assert!(
        push_service.script.refused().is_empty(),
        "{:?}",
        push_service.script.refused()
    );

    // Back to polling only: the page says the phone is not woken, and nothing goes out.
    set_wake_channel(
        &vault,
        &client,
        &pocket_core::push::WakeChannel::PollOnly,
        &now_unix,
    )
    .await
    .unwrap();
    let security = user.get("/security").await.body;
    let sent = user
        .post("/security/test-request", &[("csrf", &csrf_of(&security))])
        .await;
    assert!(
        sent.body.contains("Your phone is not woken"),
        "{}",
        sent.body
    );
    assert_eq!(push_service.script.received().len(), 2);
}
