//! `pocket-gen device`, the headless phone, against a real privacyIDEA.

use anyhow::{Result, ensure};
use pocket_tests::gen_device::GenDevice;
use pocket_tests::privacyidea::PrivacyIdea;
use pocket_tests::serial;

#[tokio::test]
async fn the_headless_phone_enrolls_polls_and_answers() -> Result<()> {
    let _serial = serial().await;
    let pi = PrivacyIdea::start().await?;
    let phone = GenDevice::new()?;
    let enrolled: serde_json::Value =
        serde_json::from_str(&phone.must(&["enroll", &pi.enroll_push().await?])?)?;
    let serial = enrolled["serial"].as_str().unwrap_or_default().to_string();

    let (transaction, _) = pi.trigger(&serial).await?;
    let polled = phone.must(&["poll", "--wait", "10"])?;
    let request: serde_json::Value = serde_json::from_str(polled.lines().next().unwrap_or("{}"))?;
    assert_eq!(request["question"], "Log in to the Pocket test service?");
    assert_eq!(phone.must(&["answer", "--accept"])?, "accepted");
    assert_eq!(
        pi.check(&serial, &transaction).await?.authentication,
        "ACCEPT"
    );

    let (transaction, _) = pi.trigger(&serial).await?;
    phone.must(&["poll", "--wait", "10"])?;
    assert_eq!(
        phone.must(&["answer", "--decline", "--reason", "unknown_trigger"])?,
        "declined"
    );
    assert_eq!(
        pi.check(&serial, &transaction).await?.authentication,
        "REJECT"
    );

    // Nothing left to answer: a clear error, not a guess.
    let nothing = phone.fails(&["answer", "--accept"])?;
    ensure!(nothing.contains("no open login request"), "{nothing}");
    Ok(())
}

/// `pocket-gen device clock` run two minutes behind (faketime) measures privacyIDEA two
/// minutes ahead, from the time in its replies, to within the uncertainty it prints.
#[tokio::test]
async fn the_clock_check_measures_a_machine_two_minutes_behind() -> Result<()> {
    let _serial = serial().await;
    let pi = PrivacyIdea::start().await?;
    let phone = GenDevice::new()?;
    phone.must(&["enroll", &pi.enroll_push().await?])?;
    let behind = phone.clock_off(-120).must(&["clock"])?;
    let lines: Vec<serde_json::Value> = behind
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
    let right: serde_json::Value = serde_json::from_str(&phone.must(&["clock"])?)?;
    assert!(
        right["offset_seconds"].as_f64().unwrap_or(99.0).abs() < 2.0,
        "{right}"
    );
    Ok(())
}
