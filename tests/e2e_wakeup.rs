//! A login wakes Pocket through the whole path, on loopback: privacyIDEA 3.14 with an HTTP
//! gateway that allows push → pocket-relay → a stand-in UnifiedPush server (VAPID checked) →
//! a distributor on the session bus → Pocket in the real window, which shows the request and
//! accepts it. Pocket polls only every ten minutes here, so nothing but the wake-up can bring
//! the request in time. A distributor that appears later does not take over; one the user
//! picks does, and privacyIDEA learns its endpoint from Pocket's signed update.

use std::time::{Duration, Instant};

use anyhow::{Result, ensure};
use pocket_tests::deadline::Look;
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
    // Another program claims a distributor's name later (first by name): Pocket stays.
    let newcomer = Distributor::start(desktop.bus_address(), "aaa").await?;
    app.wait_for_count("[data-testid=login-requests-distributor] option", 2)
        .await?;
    let delivery = "[data-testid=login-requests-delivery]";
    ensure!(
        app.wait_for_attr(delivery, "data-distributor", |_| true)
            .await?
            == "pockettest",
        "the newcomer took over"
    );
    ensure!(
        newcomer.registered().is_empty(),
        "{:?}",
        newcomer.registered()
    );
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

    // The user picks the other distributor: Pocket registers there, leaves the first, and
    // privacyIDEA learns the new endpoint; the next login comes through it.
    app.open_settings().await?;
    app.choose("login-requests-distributor", "aaa").await?;
    app.wait_for_attr(delivery, "data-distributor", |name| name == "aaa")
        .await?;
    app.wait_for_attr(delivery, "data-delivery", |delivery| delivery == "instant")
        .await?;
    app.close_settings().await?;
    let endpoint = newcomer.push_service.url("/push/1").to_string();
    app.eventually(
        "privacyIDEA to keep the new endpoint",
        Duration::from_secs(20),
        || async {
            let kept = pi.registration(&serial).await?;
            Ok(Look::when(kept.ends_with(&endpoint), || kept))
        },
    )
    .await?;
    ensure!(
        distributor.registered().is_empty(),
        "{:?}",
        distributor.registered()
    );
    let (transaction, _) = pi.trigger(&serial).await?;
    app.wait_for_push_prompt().await?;
    assert_eq!(app.answer_push(false).await?, "declined");
    assert!(!pi.poll_transaction(&transaction).await?);
    ensure!(newcomer.handed_on() == 1, "{}", newcomer.handed_on());
    ensure!(distributor.handed_on() == 1, "{}", distributor.handed_on());
    let logged = relay.log();
    ensure!(logged.contains("webpush delivery: delivered"), "{logged}");
    ensure!(
        !logged.contains("Log in to the Pocket test service"),
        "{logged}"
    );
    app.quit().await?;
    Ok(())
}
