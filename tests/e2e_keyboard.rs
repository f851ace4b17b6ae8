//! Pocket with the keyboard alone: from the first-run screen a pairing link is added, a code
//! is copied, a login request is answered by number matching and the code account deleted,
//! with only Tab, Enter and typing, each control showing its focus ring.

use anyhow::{Context, Result, ensure};
use pocket_tests::app_keyboard::{ARROW_UP, ENTER};
use pocket_tests::deadline::Look;
use pocket_tests::reference::{ReferenceService, WebSession};
use pocket_tests::{AppDriver, Desktop, serial};

#[tokio::test]
async fn add_copy_answer_and_delete_with_the_keyboard_alone() -> Result<()> {
    let _serial = serial().await;
    let desktop = Desktop::start().await?;
    let service = ReferenceService::start(&[])?;
    let driver = AppDriver::start(&desktop).await?;
    let app = driver.launch().await?;
    ensure!(app.is_empty_state_shown().await?, "a fresh Pocket");
    desktop.focus_window("Pocket").await?;
    let web = WebSession::new(&service)?;
    web.log_in(&service.demo_email, &service.demo_password)
        .await?;
    let link = web.start_pairing().await?;

    // Add: the first run's other ways, the link tab, the link typed in.
    app.tab_to("[data-testid=add-other-way]").await?;
    app.press(ENTER).await?;
    app.wait_for("[data-testid=add-screen]").await?;
    app.tab_to("[data-testid=tab-link]").await?;
    app.press(ENTER).await?;
    app.tab_to("[data-testid=uri-input]").await?;
    app.press(&link).await?;
    app.tab_to("[data-testid=submit-uri]").await?;
    app.press(ENTER).await?;
    app.wait_for("[data-testid=push-token]").await?;
    app.tab_to("[data-testid=paired-add]").await?;
    app.press(ENTER).await?;
    let paired = app.paired_notice().await?;
    app.tab_to("[data-testid=paired-done]").await?;
    app.press(ENTER).await?;
    app.wait_gone("[data-testid=paired]").await?;

    // Copy the code account's code; the clipboard holds it.
    let row = format!("[data-account-id='{}']", paired.account_id);
    let code_button = format!("{row} [data-testid=code]");
    app.tab_to(&format!("{row} [data-testid=copy]")).await?;
    let before = app.wait_for(&code_button).await?.attr("data-code").await?;
    app.press(ENTER).await?;
    app.wait_for("[data-testid=toast]").await?;
    let copied = desktop.clipboard_text()?;
    // The code shown before the key, or, when a period turned meanwhile, the one the screen
    // shows next (it redraws a moment after the turn).
    if before.as_deref() != Some(copied.as_str()) {
        let limit = std::time::Duration::from_secs(5);
        app.eventually("the screen to show the code copied", limit, || async {
            let shown = app.wait_for(&code_button).await?.attr("data-code").await?;
            Ok(Look::when(
                shown.as_deref() == Some(copied.as_str()),
                || format!("{shown:?} shown, {copied:?} copied, {before:?} before"),
            ))
        })
        .await?;
    }

    // A login: the prompt takes focus; Tab goes to the number the web page shows.
    let login = WebSession::new(&service)?;
    login
        .log_in(&service.demo_email, &service.demo_password)
        .await?;
    let number = login
        .waiting_number()
        .context("the waiting page shows a number")?;
    app.wait_for_push_prompt().await?;
    app.tab_to(&format!(
        "[data-testid=push-choice][data-option='{number}']"
    ))
    .await?;
    app.press(ENTER).await?;
    let outcome = app.wait_for("[data-testid=push-outcome]").await?;
    ensure!(outcome.attr("data-outcome").await?.as_deref() == Some("accepted"));
    let limit = std::time::Duration::from_secs(10);
    app.eventually("the web login to go through", limit, || async {
        let state = login.login_state().await?;
        Ok(Look::when(state == "accepted", || state))
    })
    .await?;
    app.tab_to("[data-testid=push-done]").await?;
    app.press(ENTER).await?;
    app.wait_gone("[data-testid=push-outcome]").await?;

    // Delete the code account: its menu button opens the menu on its first item; Arrow up
    // wraps to the last, Delete; then the dialog's Delete.
    app.tab_to(&format!("{row} [data-testid=row-menu]")).await?;
    app.press(ENTER).await?;
    app.wait_for("[role=menu] [data-testid=menu-edit]:focus")
        .await?;
    app.press(ARROW_UP).await?;
    app.wait_for("[role=menu] [data-testid=menu-delete]:focus")
        .await?;
    app.press(ENTER).await?;
    app.wait_for("[data-testid=confirm-delete]").await?;
    app.tab_to("[data-testid=confirm-delete-button]").await?;
    app.press(ENTER).await?;
    app.wait_gone(&row).await?;
    ensure!(app.accounts().await?.is_empty(), "the code account is gone");
    app.quit().await?;
    Ok(())
}
