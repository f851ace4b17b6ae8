//! The whole story with the real app window as the phone: a user in Chromium switches the
//! reference service to Pocket, the app scans the QR code off the screen, and a login is
//! accepted in the app by picking the number the browser shows; the browser is then logged in.

use anyhow::{Context, Result, ensure};
use pocket_tests::browser::Browser;
use pocket_tests::reference::ReferenceService;
use pocket_tests::{AppDriver, Desktop, serial, shots};

#[tokio::test]
async fn pair_by_scanning_the_screen_then_accept_a_login_in_the_app() -> Result<()> {
    let _serial = serial().await;
    let desktop = Desktop::start().await?;
    let service = ReferenceService::start(&[])?;
    let (email, password) = (&service.demo_email, &service.demo_password);
    let driver = AppDriver::start(&desktop).await?;
    let app = driver.launch().await?;
    // The browser to the right of where the app window opens, both on the same screen.
    let browser = Browser::start_on(&desktop, (820, 0), (460, 1000)).await?;

    browser.log_in(&service.base, email, password).await?;
    browser.click("[data-testid=security-link]").await?;
    browser.click("[data-testid=pair]").await?;
    let link = browser.text("[data-testid=enrollment-link]").await?;
    // The README's picture: with the service's own 2-minute QR code.
    browser
        .screenshot(&shots::dir()?.join("web-2-switch.png"))
        .await?;
    let serial = pocket_core::push::parse_enrollment(&link)?.serial;

    // One pairing code on the screen, on this machine's own service: set up at once.
    app.scan_screen().await?;
    app.wait_for_push_token(&serial)
        .await
        .context("the scanned pairing was not set up")?;
    browser.wait_visible("[data-when=paired]").await?;
    // The pairing offers the code account too; the user adds it.
    app.click("[data-testid=paired-add]").await?;
    app.paired_notice().await?;
    let accounts = app.accounts().await?;
    ensure!(
        accounts
            .iter()
            .any(|a| a.issuer == "Pocket reference" && a.name == *email),
        "no code account among {accounts:?}"
    );

    browser.go(&service.base).await?;
    browser.log_out().await?;
    browser.log_in(&service.base, email, password).await?;
    browser.wait_for_path("/login/wait").await?;
    let number = browser.text("[data-testid=number]").await?;
    let question = app.wait_for_push_prompt().await?;
    ensure!(question.contains("Log in"), "{question}");
    app.screenshot(&shots::dir()?.join("app-number-prompt.png"))
        .await?;
    ensure!(app.pick_push_number(&number).await? == "accepted");
    browser.wait_for_path("/").await?;
    let signed_in = browser.text("[data-testid=signed-in]").await?;
    ensure!(signed_in.contains(email.as_str()), "{signed_in}");

    browser.quit().await?;
    app.quit().await?;
    Ok(())
}
