//! A login wakes Pocket through the whole path, on loopback: privacyIDEA 3.14 with an HTTP
//! gateway that allows push → pocket-relay → a stand-in UnifiedPush server (VAPID checked) →
//! a distributor on the session bus → Pocket in the real window, which shows the request and
//! accepts it. Pocket polls only every ten minutes here, so nothing but the wake-up can bring
//! the request in time.

use std::time::{Duration, Instant};

use anyhow::{Result, ensure};
use pocket_tests::distributor::Distributor;
use pocket_tests::privacyidea::PrivacyIdea;
use pocket_tests::relay::{Relay, SECRET};
use pocket_tests::{AppDriver, Desktop, serial, shots};

/// Much longer than any wait below: a request that shows came through the wake-up.
const POLL_SECONDS: &str = "600";

#[tokio::test]
async fn a_login_wakes_pocket_through_privacyidea_the_relay_and_a_distributor() -> Result<()> {
    let _serial = serial().await;
    let pi = PrivacyIdea::start().await?;
    let relay = Relay::start().await?;
    pi.use_relay(&relay.gateway(), SECRET).await?;
    let desktop = Desktop::start().await?;
    let distributor = Distributor::start(desktop.bus_address(), "pockettest").await?;
    let driver =
        AppDriver::start_with_env(&desktop, &[("POCKET_POLL_SECONDS", POLL_SECONDS)]).await?;
    let app = driver.launch().await?;

    // Pocket found the distributor by itself and took its endpoint.
    app.open_settings().await?;
    app.wait_for_attr(
        "[data-testid=login-requests-delivery]",
        "data-delivery",
        |delivery| delivery == "instant",
    )
    .await?;
    let registered = distributor.registered();
    ensure!(
        registered.len() == 1 && registered[0].service == "app.pocketauth.pocket",
        "{registered:?}"
    );
    app.run_script(
        "document.querySelector('[data-testid=login-requests-settings]').scrollIntoView({block: 'start'})",
    )
    .await?;
    app.screenshot(&shots::dir()?.join("settings-login-requests.png"))
        .await?;
    app.close_settings().await?;

    // Enrolled with the channel: privacyIDEA keeps Pocket's Web Push registration.
    let uri = pi.enroll_push().await?;
    let serial = pocket_core::push::parse_enrollment(&uri)?.serial;
    app.add_account_uri(&uri).await?;
    app.wait_for_push_token(&serial).await?;
    let kept = pi.registration(&serial).await?;
    ensure!(kept.starts_with("pocket:1:webpush:"), "{kept}");

    let started = Instant::now();
    let (transaction, _) = pi.trigger(&serial).await?;
    assert_eq!(
        app.wait_for_push_prompt().await?,
        "Log in to the Pocket test service?"
    );
    let woken_in = started.elapsed();
    ensure!(
        woken_in < Duration::from_secs(30),
        "the request took {woken_in:?}"
    );
    ensure!(distributor.handed_on() == 1, "{}", distributor.handed_on());
    ensure!(
        distributor.push_service.script.refused().is_empty(),
        "{:?}",
        distributor.push_service.script.refused()
    );
    app.screenshot(&shots::dir()?.join("woken-prompt.png"))
        .await?;
    assert_eq!(app.answer_push(true).await?, "accepted");
    assert!(pi.poll_transaction(&transaction).await?);
    let logged = relay.log();
    ensure!(logged.contains("webpush delivery: delivered"), "{logged}");
    ensure!(
        !logged.contains("Log in to the Pocket test service"),
        "{logged}"
    );
    app.quit().await?;
    Ok(())
}
