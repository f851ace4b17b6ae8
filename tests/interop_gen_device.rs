//! `pocket-gen device`, the headless phone, against a real privacyIDEA.

use std::process::Command;

use anyhow::{Result, ensure};
use pocket_tests::app::workspace_binary;
use pocket_tests::privacyidea::PrivacyIdea;
use pocket_tests::serial;

fn device(state: &std::path::Path, args: &[&str]) -> Result<String> {
    let out = Command::new(workspace_binary("pocket-gen")?)
        .arg("device")
        .arg("--state")
        .arg(state)
        .args(args)
        .output()?;
    ensure!(
        out.status.success(),
        "pocket-gen device {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8(out.stdout)?)
}

#[tokio::test]
async fn the_headless_phone_enrolls_polls_and_answers() -> Result<()> {
    let _serial = serial().await;
    let pi = PrivacyIdea::start().await?;
    let state = tempfile::tempdir()?;
    let enrolled: serde_json::Value = serde_json::from_str(&device(
        state.path(),
        &["enroll", &pi.enroll_push().await?],
    )?)?;
    let serial = enrolled["serial"].as_str().unwrap_or_default().to_string();

    let (transaction, _) = pi.trigger(&serial).await?;
    let polled = device(state.path(), &["poll", "--wait", "10"])?;
    let request: serde_json::Value = serde_json::from_str(polled.lines().next().unwrap_or("{}"))?;
    assert_eq!(request["question"], "Log in to the Pocket test service?");
    assert_eq!(
        device(state.path(), &["answer", "--accept"])?.trim(),
        "accepted"
    );
    assert_eq!(
        pi.check(&serial, &transaction).await?.authentication,
        "ACCEPT"
    );

    let (transaction, _) = pi.trigger(&serial).await?;
    device(state.path(), &["poll", "--wait", "10"])?;
    assert_eq!(
        device(
            state.path(),
            &["answer", "--decline", "--reason", "unknown_trigger"]
        )?
        .trim(),
        "declined"
    );
    assert_eq!(
        pi.check(&serial, &transaction).await?.authentication,
        "REJECT"
    );

    // Nothing left to answer: a clear error, not a guess.
    let nothing = Command::new(workspace_binary("pocket-gen")?)
        .args(["device", "--state"])
        .arg(state.path())
        .args(["answer", "--accept"])
        .output()?;
    ensure!(
        !nothing.status.success()
            && String::from_utf8_lossy(&nothing.stderr).contains("no open login request")
    );
    Ok(())
}

/// `pocket-gen device clock` run two minutes behind (faketime) measures privacyIDEA two
/// minutes ahead, from the time in its replies, to within the uncertainty it prints.
#[tokio::test]
async fn the_clock_check_measures_a_machine_two_minutes_behind() -> Result<()> {
    let _serial = serial().await;
    let pi = PrivacyIdea::start().await?;
    let state = tempfile::tempdir()?;
    device(state.path(), &["enroll", &pi.enroll_push().await?])?;
    let out = Command::new("faketime")
        .arg("-f")
        .arg("-120s")
        .arg(workspace_binary("pocket-gen")?)
        .arg("device")
        .arg("--state")
        .arg(state.path())
        .arg("clock")
        .output()?;
    ensure!(
        out.status.success(),
        "clock: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)?
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    assert_eq!(lines.len(), 1, "{lines:?}");
    let line = &lines[0];
    assert_eq!(line["server"], pi.base.trim_end_matches('/'));
    let offset = line["offset_seconds"].as_f64().unwrap_or_default();
    let uncertainty = line["uncertainty_seconds"].as_f64().unwrap_or(f64::MAX);
    assert!((offset - 120.0).abs() < 5.0, "{line}");
    assert!(uncertainty < 2.0, "{line}");

    // On the true clock the same server is right.
    let right: serde_json::Value = serde_json::from_str(device(state.path(), &["clock"])?.trim())?;
    assert!(
        right["offset_seconds"].as_f64().unwrap_or(99.0).abs() < 2.0,
        "{right}"
    );
    Ok(())
}
