//! The app lock in the real window: a passcode set in Settings, Pocket locked at the next
//! start with nothing on screen and every command refused, wrong passcodes slowed, the idle
//! lock, an export behind the passcode again once unlocked, and a login request that arrives
//! while locked.

use std::time::{Duration, Instant};

use anyhow::{Result, ensure};
use pocket_tests::privacyidea::PrivacyIdea;
use pocket_tests::{AppDriver, Desktop, serial, shots};
use serde_json::json;

const PASSCODE: &str = "24681357";
const ACME: &str =
    "otpauth://totp/ACME%20Corp:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Corp";

#[tokio::test]
async fn a_passcode_locks_pocket_at_start_and_when_idle_and_wrong_ones_are_slowed() -> Result<()> {
    let _serial = serial().await;
    let desktop = Desktop::start().await?;
    let driver = AppDriver::start(&desktop).await?;
    let app = driver.launch().await?;
    app.add_account_uri(ACME).await?;
    app.wait_for("[data-testid=add-account]").await?;
    app.single_account_with_code().await?;

    // After the first account Pocket offers a lock; it leads to Settings.
    app.click("[data-testid=lock-offer-set]").await?;
    app.wait_for("[data-testid=lock-settings]").await?;
    app.set_passcode(PASSCODE).await?;
    // On by default once a lock is set.
    let confirm = app.wait_for("[data-testid=lock-confirm]").await?;
    ensure!(confirm.prop("checked").await?.as_deref() == Some("true"));
    app.wait_for_no_toast().await?;
    for theme in ["light", "dark"] {
        app.choose_theme(theme).await?;
        app.screenshot(&shots::dir()?.join(format!("settings-{theme}.png")))
            .await?;
    }
    app.choose_theme("light").await?;
    app.choose("lock-idle", "30").await?;
    app.close_settings().await?;
    app.quit().await?;

    // The next start is locked: no name, no code in the window, and the commands refuse.
    let app = driver.launch().await?;
    app.wait_for_lock_screen().await?;
    let text = app.visible_text().await?;
    ensure!(!text.contains("ACME") && !text.contains("alice"), "{text}");
    ensure!(app.accounts().await?.is_empty());
    for command in [
        "list_accounts",
        "account_codes",
        "open_push_requests",
        "push_history",
    ] {
        let refused = app.invoke(command, json!({})).await?;
        ensure!(
            refused.as_ref().err().map(|e| e["code"].clone()) == Some(json!("locked")),
            "{command}: {refused:?}"
        );
    }
    for theme in ["light", "dark"] {
        set_theme_while_locked(&app, theme).await?;
        app.screenshot(&shots::dir()?.join(format!("lock-{theme}.png")))
            .await?;
        app.ensure_accessible(&format!("the lock screen in the {theme} theme"))
            .await?;
    }
    set_theme_while_locked(&app, "light").await?;

    // Three wrong passcodes are typos; the fourth makes the next try wait, even the right one.
    for _ in 0..3 {
        app.unlock_with("99999999").await?;
        app.wait_for_form_error("wrong_passcode").await?;
    }
    app.ensure_accessible("the lock screen saying the passcode was wrong")
        .await?;
    app.unlock_with("99999999").await?;
    let wait = app.lock_wait_seconds().await?;
    ensure!((1..=5).contains(&wait), "waits {wait} s");
    app.ensure_accessible("the lock screen making the next try wait")
        .await?;
    let braked = app
        .invoke("unlock", json!({"passcode": PASSCODE, "reason": "test"}))
        .await?;
    ensure!(
        braked.as_ref().err().map(|e| e["code"].clone()) == Some(json!("unlock_throttled")),
        "{braked:?}"
    );
    ensure!(app.accounts().await?.is_empty());
    tokio::time::sleep(Duration::from_secs(wait + 1)).await;
    app.unlock_with(PASSCODE).await?;
    app.single_account_with_code().await?;

    // Left alone for the idle time (30 s), Pocket locks and empties the list.
    let unlocked_at = Instant::now();
    app.wait_for_lock_screen_within(Duration::from_secs(45))
        .await?;
    let idle = unlocked_at.elapsed();
    ensure!(idle >= Duration::from_secs(29), "locked after {idle:?}");
    ensure!(app.accounts().await?.is_empty());
    app.unlock_with(PASSCODE).await?;
    app.single_account_with_code().await?;

    // Unlocked, exporting every secret still takes the passcode, in a dialog over the
    // screen; cancelling it shows nothing.
    app.open_transfer().await?;
    app.click("[data-testid=google-export-show]").await?;
    app.wait_for("[data-testid=unlock-step]").await?;
    app.ensure_accessible("the unlock step before an export")
        .await?;
    app.screenshot(&shots::dir()?.join("unlock-step.png"))
        .await?;
    app.click("[data-testid=unlock-step-cancel]").await?;
    app.wait_gone("[data-testid=unlock-step]").await?;
    ensure!(
        !app.exists("[data-testid=google-export-code]").await?,
        "codes shown after a cancelled unlock step"
    );
    app.click("[data-testid=google-export-show]").await?;
    app.type_into("unlock-step-passcode", PASSCODE).await?;
    app.click("[data-testid=unlock-step-continue]").await?;
    app.wait_for("[data-testid=google-export-code]").await?;
    app.click("[data-testid=google-export-done]").await?;
    app.close_transfer().await?;
    app.quit().await?;
    Ok(())
}

/// The theme of the lock screen follows Settings; while locked the test sets it the way the
/// app applies it at start.
async fn set_theme_while_locked(app: &pocket_tests::App, theme: &str) -> Result<()> {
    app.run_script(&format!(
        "document.documentElement.dataset.theme = '{theme}';"
    ))
    .await?;
    Ok(())
}

#[tokio::test]
async fn a_login_request_while_locked_shows_no_details_and_accept_asks_again() -> Result<()> {
    let _serial = serial().await;
    let pi = PrivacyIdea::start().await?;
    let desktop = Desktop::start().await?;
    let driver = AppDriver::start(&desktop).await?;
    let app = driver.launch().await?;
    let uri = pi.enroll_push().await?;
    let serial = pocket_core::push::parse_enrollment(&uri)?.serial;
    app.add_account_uri(&uri).await?;
    app.wait_for_push_token(&serial).await?;
    // Adding returns to the home screen.
    app.wait_for("[data-testid=add-account]").await?;
    app.open_settings().await?;
    app.set_passcode(PASSCODE).await?;
    app.close_settings().await?;
    app.click("[data-testid=lock-now]").await?;
    app.wait_for_lock_screen().await?;

    let (transaction, _) = pi.trigger(&serial).await?;
    app.wait_for_within(
        "[data-testid=lock-request-waiting]",
        Duration::from_secs(30),
    )
    .await?;
    let text = app.visible_text().await?;
    ensure!(
        text.contains("A login request is waiting: unlock to answer")
            && !text.contains("Pocket test service")
            && !text.contains(&serial),
        "{text}"
    );
    ensure!(!app.exists("[data-testid=push-prompt]").await?);
    app.screenshot(&shots::dir()?.join("lock-request-waiting.png"))
        .await?;

    // Unlocked, the request shows; Accept waits for the passcode again.
    app.unlock_with(PASSCODE).await?;
    ensure!(app.wait_for_push_prompt().await? == "Log in to the Pocket test service?");
    let accept = app.wait_for("[data-testid=push-accept]").await?;
    ensure!(!accept.is_enabled().await?, "Accept before the passcode");
    let unasked = app
        .invoke(
            "answer_push",
            json!({"tokenId": "x", "nonce": "y", "answer": {"kind": "accept"}, "passcode": null, "reason": "r"}),
        )
        .await?;
    // Refused for the missing passcode, before the answer is even looked at.
    ensure!(
        unasked.as_ref().err().map(|e| e["code"].clone()) == Some(json!("wrong_passcode")),
        "{unasked:?}"
    );
    app.type_into("push-passcode", "00000000").await?;
    app.click("[data-testid=push-accept]").await?;
    app.wait_for_form_error("wrong_passcode").await?;
    ensure!(app.exists("[data-testid=push-prompt]").await?);
    app.type_into("push-passcode", PASSCODE).await?;
    app.click("[data-testid=push-accept]").await?;
    app.wait_for("[data-testid=push-outcome]").await?;
    ensure!(pi.poll_transaction(&transaction).await?);
    ensure!(pi.check(&serial, &transaction).await?.authentication == "ACCEPT");
    app.quit().await?;
    Ok(())
}
