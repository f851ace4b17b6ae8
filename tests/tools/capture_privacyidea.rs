//! Captures privacyIDEA 3.14's replies on loopback as they come off the wire, for pocket-core's
//! golden fixtures (src-tauri/core/tests/fixtures/privacyidea-3.14/): a rollout, polls with
//! and without number matching, and the refusals of a forged answer and a stale poll. The
//! fixtures are committed; run this again (`make fixtures`) to renew them.

use std::path::PathBuf;

use anyhow::{Context, Result};
use pocket_core::push::{MIN_KEY_BITS, SigningKey, parse_enrollment, wire};
use pocket_tests::privacyidea::PrivacyIdea;
use serde_json::Value;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../src-tauri/core/tests/fixtures/privacyidea-3.14")
}

/// The reply's JSON, pretty, with the server's own timestamps and versions as they were.
async fn keep(name: &str, reply: reqwest::Response) -> Result<Value> {
    let status = reply.status();
    let body: Value = reply.json().await?;
    let record = serde_json::json!({ "http_status": status.as_u16(), "body": body });
    std::fs::write(
        fixtures().join(format!("{name}.json")),
        serde_json::to_string_pretty(&record)? + "\n",
    )?;
    println!("{name}: HTTP {status}");
    Ok(body)
}

#[tokio::main]
async fn main() -> Result<()> {
    std::fs::create_dir_all(fixtures())?;
    let pi = PrivacyIdea::start().await?;
    let http = pocket_tests::http::client()?;
    let link = pi.enroll_push().await?;
    let enrollment = parse_enrollment(&link)?;
    let phone = SigningKey::generate(MIN_KEY_BITS)?;
    std::fs::write(fixtures().join("enrollment-link.txt"), format!("{link}\n"))?;

    let rollout = http
        .post(enrollment.url.clone())
        .form(&[
            (
                wire::ENROLLMENT_CREDENTIAL,
                enrollment.enrollment_credential.as_str(),
            ),
            (wire::SERIAL, &enrollment.serial),
            (wire::FIREBASE_TOKEN, wire::NO_FIREBASE_TOKEN),
            (wire::PUBLIC_KEY, &phone.public_key_base64()?),
        ])
        .send()
        .await?;
    keep("rollout", rollout).await?;

    let poll = |name: &'static str, at: u64| {
        let (http, url, serial, phone) =
            (&http, enrollment.url.clone(), &enrollment.serial, &phone);
        async move {
            let timestamp = pocket_core::clock::iso8601(at);
            let signature = phone.sign(&wire::poll_message(serial, &timestamp));
            let reply = http
                .get(url)
                .query(&[
                    (wire::SERIAL, serial.as_str()),
                    (wire::TIMESTAMP, &timestamp),
                    (wire::SIGNATURE, &signature),
                ])
                .send()
                .await?;
            keep(name, reply).await
        }
    };
    let now = || pocket_core::clock::now_unix();

    pi.trigger(&enrollment.serial).await?;
    let plain = poll("poll", now()).await?;
    let nonce = plain["result"]["value"][0]["nonce"]
        .as_str()
        .context("no challenge in the poll")?
        .to_string();

    // An answer signed by another key.
    let stranger = SigningKey::generate(MIN_KEY_BITS)?;
    let forged = wire::AnswerText::Accept;
    let signature = stranger.sign(&forged.signed(&nonce, &enrollment.serial));
    let reply = http
        .post(enrollment.url.clone())
        .form(&[
            (wire::SERIAL, enrollment.serial.as_str()),
            (wire::NONCE, &nonce),
            (wire::SIGNATURE, &signature),
        ])
        .send()
        .await?;
    keep("answer-forged", reply).await?;

    // A poll whose time is two minutes off.
    poll("poll-stale", now() - 120).await?;

    // Number matching.
    pi.set_policy(
        "pocket-presence",
        "authentication",
        "push_require_presence=1, push_presence_options=NUMERIC, push_presence_num_options=3",
    )
    .await?;
    pi.trigger(&enrollment.serial).await?;
    poll("poll-presence", now()).await?;
    Ok(())
}
