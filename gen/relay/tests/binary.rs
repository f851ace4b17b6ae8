//! The `pocket-relay` binary as an operator runs it: `--check-config` on good and broken
//! configurations, and a running relay whose log never holds a challenge's text.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use p256::pkcs8::{EncodePrivateKey, LineEnding};
use pocket_core::push::{WakeChannel, WebPushKeys};
use pocket_tests::deadline::{Look, eventually};
use pocket_tests::process::{Finished, Guarded, free_port, listening, run};
use serde_json::json;

use crate::stand_ins;

const LIMIT: Duration = Duration::from_secs(30);
const SECRET: &str = "0123456789abcdef0123456789abcdef";

fn relay(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pocket-relay"));
    command.args(args);
    command
}

/// A configuration folder: the secret, a VAPID key and `config.toml` with `extra` appended.
fn folder(listen: &str, webpush: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("secret", &format!("{SECRET}\n"));
    let key = p256::SecretKey::random(&mut rand_core::OsRng);
    write("vapid.pem", &key.to_pkcs8_pem(LineEnding::LF).unwrap());
    write(
        "config.toml",
        &format!("listen = \"{listen}\"\ngateway_secret_file = \"secret\"\n{webpush}"),
    );
    dir
}

const WEB_PUSH: &str =
    "[webpush]\nvapid_key_file = \"vapid.pem\"\nsubject = \"mailto:ops@example.com\"\n";

fn check(dir: &Path) -> Finished {
    run(
        relay(&["--check-config", "--config"]).arg(dir.join("config.toml")),
        LIMIT,
    )
    .unwrap()
}

#[test]
fn check_config_says_what_the_relay_would_serve_or_what_is_wrong() {
    let good = folder("127.0.0.1:8095", WEB_PUSH);
    let finished = check(good.path());
    assert!(finished.success(), "{}", finished.stderr_text());
    let out = finished.stdout_text();
    assert!(out.contains("listen: 127.0.0.1:8095"), "{out}");
    assert!(out.contains("webpush: VAPID public key B"), "{out}");
    assert!(out.contains("the configuration is good"), "{out}");

    let broken = |dir: &tempfile::TempDir, wanted: &str| {
        let finished = check(dir.path());
        assert!(!finished.success(), "{}", finished.stdout_text());
        let err = finished.stderr_text();
        assert!(err.contains(wanted), "{wanted} in {err}");
    };
    let short = folder("127.0.0.1:8095", WEB_PUSH);
    std::fs::write(short.path().join("secret"), "short").unwrap();
    broken(&short, "the gateway secret has fewer than 32 characters");
    let no_key = folder("127.0.0.1:8095", WEB_PUSH);
    std::fs::write(
        no_key.path().join("vapid.pem"),
        "-----BEGIN PRIVATE KEY-----\nAAAA\n",
    )
    .unwrap();
    broken(
        &no_key,
        "the VAPID key cannot be read: not a P-256 private key in PEM",
    );
    broken(&folder("127.0.0.1:8095", ""), "no channel is configured");
    broken(
        &folder(
            "127.0.0.1:8095",
            &format!("{WEB_PUSH}allow_everything = true\n"),
        ),
        "unknown field `allow_everything`",
    );
    broken(
        &folder(
            "127.0.0.1:8095",
            "[webpush]\nvapid_key_file = \"vapid.pem\"\nsubject = \"ops\"\n",
        ),
        "the Web Push subject is not a mailto: or https:// address",
    );
    let missing = folder("127.0.0.1:8095", WEB_PUSH);
    std::fs::remove_file(missing.path().join("secret")).unwrap();
    broken(&missing, "secret: No such file or directory");
    let huge = folder("127.0.0.1:8095", WEB_PUSH);
    std::fs::write(huge.path().join("vapid.pem"), vec![b'A'; 100_000]).unwrap();
    broken(&huge, "larger than 65536 bytes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_relay_delivers_and_its_log_never_holds_a_challenge() {
    let service = stand_ins::web_push().await;
    let port = free_port().unwrap();
    let dir = folder(
        &format!("127.0.0.1:{port}"),
        &format!("{WEB_PUSH}allow_private_endpoints = true\n"),
    );
    let log = dir.path().join("relay.log");
    let mut command = relay(&["--config"]);
    command
        .arg(dir.path().join("config.toml"))
        .env("RUST_LOG", "debug")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap());
    let mut running = Guarded::spawn("pocket-relay", &mut command).unwrap();
    listening("pocket-relay", port, LIMIT).await.unwrap();

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
        .post(format!("http://127.0.0.1:{port}/gateway"))
        .header("X-Pocket-Relay-Secret", SECRET)
        .json(&json!({"registration": registration, "message": message}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    assert_eq!(service.script.received().len(), 1);
    // The outcome is logged once the delivery's task ends, just after the answer.
    eventually("the delivery in the log", LIMIT, || async {
        let logged = std::fs::read_to_string(&log)?;
        Ok(Look::when(
            logged.contains("webpush delivery: delivered"),
            || logged,
        ))
    })
    .await
    .unwrap();
    running.stop();

    let logged = std::fs::read_to_string(&log).unwrap();
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
