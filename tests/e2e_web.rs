//! The reference service's whole web flow in a real Chromium, with `pocket-gen device` as the
//! phone: log in, switch to Pocket (an expired QR code refused, "Show a new code" working),
//! log out and in again; accept → logged in, reject → not, a typed code once and not twice;
//! a forged form refused. Leaves the pictures the README shows.

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use pocket_tests::browser::Browser;
use pocket_tests::gen_device::GenDevice;
use pocket_tests::reference::ReferenceService;
use pocket_tests::{serial, shots};

/// Short, so that the test sees a QR code expire; long enough to pair within.
const QR_SECONDS: u64 = 15;

/// Waits on `phone` for the login request; returns its number options.
fn request(phone: &GenDevice) -> Result<Vec<String>> {
    let line = phone.must(&["poll", "--wait", "15"])?;
    let request: serde_json::Value =
        serde_json::from_str(line.lines().next().context("no login request arrived")?)?;
    Ok(request["presence_options"]
        .as_array()
        .map(|options| {
            options
                .iter()
                .filter_map(|o| o.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default())
}

#[tokio::test]
async fn the_whole_web_flow_in_chromium_with_a_headless_phone() -> Result<()> {
    let _serial = serial().await;
    let service = ReferenceService::start(&["--enrollment-ttl", &QR_SECONDS.to_string()])?;
    let base = service.base.clone();
    let (email, password) = (&service.demo_email, &service.demo_password);
    let browser = Browser::start(420, 900, "en").await?;
    let phone = GenDevice::new()?;
    let shots = shots::dir()?;

    // A forged form (wrong CSRF token) is refused with a clear message.
    browser.go(&service.url("/login")).await?;
    browser.type_into("#email", email).await?;
    browser.type_into("#password", password).await?;
    browser.spoil_csrf().await?;
    browser.click("form button[type=submit]").await?;
    let refused = browser.text(".error").await?;
    ensure!(refused.contains("This form has expired"), "{refused}");

    // Log in with the password alone; switch to Pocket.
    browser.go(&service.url("/login")).await?;
    browser.type_into("#email", email).await?;
    browser.screenshot(&shots.join("web-1-login.png")).await?;
    browser.log_in(&base, email, password).await?;
    browser.wait_for("[data-testid=signed-in]").await?;
    browser.click("[data-testid=security-link]").await?;
    browser.click("[data-testid=pair]").await?;
    let stale_link = browser.text("[data-testid=enrollment-link]").await?;

    // Nobody scans it in time: the page says so by itself and the service refuses it.
    browser
        .wait_visible_within("[data-when=expired]", Duration::from_secs(QR_SECONDS + 10))
        .await
        .context("the QR code did not expire on the page")?;
    let refused = phone.outcome(&["enroll", &stale_link])?;
    ensure!(
        matches!(&refused, Err(error)
            if error.lines().next() == Some("Error: the server refused: the rollout is not valid")),
        "an expired QR code was taken: {refused:?}"
    );

    // "Show a new code", scanned in time: the page turns into a check mark by itself.
    browser.click("[data-testid=pair]").await?;
    let link = browser.text("[data-testid=enrollment-link]").await?;
    ensure!(link != stale_link, "the new code is the old one");
    let enrolled: serde_json::Value = serde_json::from_str(&phone.must(&["enroll", &link])?)?;
    ensure!(
        enrolled["code_account"].is_string(),
        "no code account: {enrolled}"
    );
    browser.wait_visible("[data-when=paired]").await?;
    browser.screenshot(&shots.join("web-3-paired.png")).await?;

    // Log out, log in again: the page shows the number to pick; picking it logs in.
    browser.go(&base).await?;
    browser.log_out().await?;
    browser.log_in(&base, email, password).await?;
    browser.wait_for_path("/login/wait").await?;
    let number = browser.text("[data-testid=number]").await?;
    browser.screenshot(&shots.join("web-4-waiting.png")).await?;
    let options = request(&phone)?;
    ensure!(
        options.contains(&number),
        "{number} is not among {options:?}"
    );
    ensure!(phone.must(&["answer", "--choice", &number])? == "accepted");
    browser.wait_for_path("/").await?;
    let signed_in = browser.text("[data-testid=signed-in]").await?;
    ensure!(signed_in.contains(email.as_str()), "{signed_in}");
    browser
        .screenshot(&shots.join("web-5-signed-in.png"))
        .await?;

    // Reject: the page says so, and the browser is not logged in.
    browser.log_out().await?;
    browser.log_in(&base, email, password).await?;
    browser.wait_for_path("/login/wait").await?;
    request(&phone)?;
    ensure!(phone.must(&["answer", "--decline", "--reason", "unknown_trigger"])? == "declined");
    let rejected = browser
        .wait_visible("[data-when=rejected]")
        .await?
        .text()
        .await?;
    ensure!(rejected.contains("rejected"), "{rejected}");
    browser.go(&base).await?;
    browser.wait_for_path("/login").await?;

    // No notification: the typed code logs in once; the same code again does not.
    let code = phone.must(&["code"])?;
    for attempt in 0..2 {
        browser.log_in(&base, email, password).await?;
        browser.wait_for_path("/login/wait").await?;
        browser.click("[data-testid=no-notification]").await?;
        browser.type_into("#code", &code).await?;
        browser.click("form button[type=submit]").await?;
        if attempt == 0 {
            browser.wait_for_path("/").await?;
            browser.wait_for("[data-testid=signed-in]").await?;
            browser.log_out().await?;
        } else {
            let error = browser.text(".error").await?;
            ensure!(error.contains("used already"), "{error}");
            browser.go(&base).await?;
            browser.wait_for_path("/login").await?;
        }
    }
    browser.quit().await?;
    Ok(())
}
