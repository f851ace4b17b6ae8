//! A clock two minutes behind, in the real window: Pocket run under faketime against a real
//! privacyIDEA on loopback measures the offset from the server's replies and shows the
//! banner with the right figure. "Use the measured time for codes" does not move codes that
//! far on one server's word; once a time server (on loopback, telling the true time) agrees,
//! its codes are accepted by /validate/check while the device's own clock's are not.

use std::time::Duration;

use anyhow::{Result, ensure};
use pocket_tests::deadline::Look;
use pocket_tests::privacyidea::PrivacyIdea;
use pocket_tests::time_server::TimeServer;
use pocket_tests::{AppDriver, Desktop, serial, shots};

#[tokio::test]
async fn a_clock_two_minutes_behind_shows_the_banner_and_measured_time_fixes_the_codes()
-> Result<()> {
    let _serial = serial().await;
    let pi = PrivacyIdea::start().await?;
    let desktop = Desktop::start().await?;
    let driver = AppDriver::start(&desktop).await?;
    let scripts = tempfile::tempdir()?;
    let app = driver.launch_with_clock_off(-120, scripts.path()).await?;

    // A push token: the poller's every reply carries privacyIDEA's time.
    let uri = pi.enroll_push().await?;
    let push_serial = pocket_core::push::parse_enrollment(&uri)?.serial;
    app.add_account_uri(&uri).await?;
    app.wait_for_push_token(&push_serial).await?;
    // A code account that privacyIDEA accepts only 30 s either side of its time.
    let (totp_serial, link) = pi.enroll_totp_within(30).await?;
    app.add_account_uri(&link).await?;
    // Adding returns to the home screen.
    app.wait_for("[data-testid=add-account]").await?;

    let offset_ms = app.clock_banner_offset_ms().await?;
    ensure!(
        (offset_ms - 120_000).abs() <= 5_000,
        "measured {offset_ms} ms"
    );
    let banner = app
        .wait_for("[data-testid=clock-banner]")
        .await?
        .text()
        .await?;
    ensure!(
        banner.contains("Your clock is 2 min") && banner.contains("behind"),
        "{banner}"
    );
    app.wait_for_no_toast().await?;
    app.screenshot(&shots::dir()?.join("clock-banner-light.png"))
        .await?;

    // The device's clock: a code two minutes old, refused.
    let stale = app.single_account_with_code().await?;
    ensure!(
        !pi.validate(&totp_serial, stale.code.as_deref().unwrap_or_default())
            .await?,
        "a code two minutes old was accepted"
    );

    app.open_settings().await?;
    app.choose_theme("dark").await?;
    app.click("[data-testid=clock-measured-time]").await?;
    app.wait_for("[data-testid=clock-measured-time]:checked")
        .await?;
    app.close_settings().await?;
    // One server alone does not move codes by two minutes: the banner says what it takes.
    app.wait_for("[data-testid=clock-banner-state][data-state=NeedsSecondSource]")
        .await?;
    let still = app.single_account_with_code().await?;
    ensure!(
        !pi.validate(&totp_serial, still.code.as_deref().unwrap_or_default())
            .await?,
        "one server's word moved the codes by two minutes"
    );

    // A time server that agrees: Settings → Clock → NTP, pointed at it, then Check now.
    let time_server = TimeServer::start().await?;
    app.open_settings().await?;
    app.click("[data-testid=clock-ntp]").await?;
    app.type_into(
        "clock-ntp-server",
        &format!("{}\u{E004}", time_server.address),
    )
    .await?;
    app.eventually(
        "the time server to be saved",
        Duration::from_secs(10),
        || async {
            let settings = app.invoke("get_settings", serde_json::json!({})).await?;
            let saved = settings
                .as_ref()
                .ok()
                .and_then(|s| s["ntpServer"].as_str().map(String::from));
            Ok(Look::when(
                saved.as_deref() == Some(time_server.address.as_str()),
                || format!("saved {saved:?}"),
            ))
        },
    )
    .await?;
    app.click("[data-testid=clock-check]").await?;
    app.close_settings().await?;
    app.wait_for("[data-testid=clock-banner-state][data-state=Corrected]")
        .await?;
    app.wait_for_no_toast().await?;
    app.screenshot(&shots::dir()?.join("clock-banner-dark.png"))
        .await?;
    // Codes now follow the measured time: a fresh one is accepted.
    let fresh = app
        .eventually(
            "the code to follow the measured time",
            Duration::from_secs(15),
            || async {
                let row = app.single_account_with_code().await?;
                Ok(if row.code != stale.code {
                    Look::Done(row)
                } else {
                    Look::NotYet(format!("still {:?}", row.code))
                })
            },
        )
        .await?;
    ensure!(
        pi.validate(&totp_serial, fresh.code.as_deref().unwrap_or_default())
            .await?,
        "the measured time's code was refused"
    );
    app.quit().await?;
    Ok(())
}
