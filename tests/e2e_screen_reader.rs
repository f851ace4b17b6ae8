//! What a screen reader reads. On Linux Orca reads the AT-SPI tree that GTK and WebKitGTK
//! publish, read here on the test desktop's own bus; TalkBack reads Chromium's tree through
//! Android's webview, read here from Chromium over the built UI. On the home screen (both
//! engines) and the scan screen every control has a role and a real name; an account is one
//! button named service, account and its code digit by digit, with the time left as its
//! description; nothing read aloud by itself (a live region) changes while the screen sits
//! idle. A login request is an alert dialog named with its kind and service, its question
//! as the description, and number buttons that say "Pick 42"; its time left is a live
//! region that does not change every second; the answer's outcome takes the focus on its Done
//! button, and History starts on its title. The reading transcripts, digits masked, match
//! `tests/fixtures/screen-reader/` (written again with POCKET_UPDATE_TRANSCRIPTS=1) and are
//! what the README shows.

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use pocket_tests::atspi::{accessibility_tree, masked};
use pocket_tests::browser::Browser;
use pocket_tests::camera_bridge::CameraBridge;
use pocket_tests::chromium_tree::chromium_tree;
use pocket_tests::reference::{ReferenceService, WebSession};
use pocket_tests::screen_reader::{
    accessible_desktop, app_with_two_accounts, live_words, reads_as_expected,
    reads_as_expected_text, tree_focused_on, tree_showing,
};
use pocket_tests::{AppDriver, serial, shots};

#[tokio::test]
async fn home_and_scan_read_as_one_item_per_account_and_nothing_ticks() -> Result<()> {
    let _serial = serial().await;
    let desktop = accessible_desktop().await?;
    let driver = AppDriver::start(&desktop).await?;
    let app = app_with_two_accounts(&driver).await?;

    // Home: one button per account, its code as digits, the time left its description. Read
    // early in a period, before the next code shows in the last ten seconds.
    app.wait_for_seconds_left_above(15).await?;
    let tree = tree_showing(&app, &desktop, "GitHub, alice, ").await?;
    tree.ensure_all_named("home")?;
    let github = tree
        .walk()
        .into_iter()
        .find(|n| n.name.starts_with("GitHub, alice, "))
        .context("no GitHub item")?
        .clone();
    let code = github.name.trim_start_matches("GitHub, alice, ");
    let digits: Vec<&str> = code.split(", ").collect();
    ensure!(
        digits.len() == 2
            && digits.iter().all(|g| g
                .split(' ')
                .all(|d| d.len() == 1 && d.chars().all(|c| c.is_ascii_digit()))),
        "the code is not read digit by digit: {:?}",
        github.name
    );
    ensure!(
        github.role.contains("button") && github.description.contains("seconds left"),
        "{github:?}"
    );
    let document = tree.document()?;
    reads_as_expected("home", document)?;

    // Idle for three seconds: no live region changes (the countdowns are drawn only).
    let before = live_words(&tree);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let after = live_words(&accessibility_tree(&desktop)?);
    ensure!(
        before == after,
        "live regions changed while idle:\n{before:?}\n{after:?}"
    );

    // The scan screen.
    app.show("scan").await?;
    let tree = tree_showing(&app, &desktop, "Scan").await?;
    tree.ensure_all_named("scan")?;
    reads_as_expected("scan", tree.document()?)?;
    app.quit().await
}

#[tokio::test]
async fn a_login_request_is_an_alert_with_its_question_and_says_what_each_number_does() -> Result<()>
{
    let _serial = serial().await;
    let desktop = accessible_desktop().await?;
    let service = ReferenceService::start(&[])?;
    let driver = AppDriver::start(&desktop).await?;
    let app = driver.launch().await?;
    app.resize(390, 844).await?;
    let (email, password) = (&service.demo_email, &service.demo_password);
    let web = WebSession::new(&service)?;
    web.log_in(email, password).await?;
    let link = web.start_pairing().await?;
    let serial = pocket_core::push::parse_enrollment(&link)?.serial;
    app.add_account_uri(&link).await?;
    app.wait_for_push_token(&serial).await?;

    let login = WebSession::new(&service)?;
    login.log_in(email, password).await?;
    app.wait_for_push_prompt().await?;
    let choices = app.push_choices().await?;
    let tree = tree_showing(&app, &desktop, "Login request").await?;
    let dialog = tree
        .walk()
        .into_iter()
        .find(|n| n.name.starts_with("Login request"))
        .context("no login request in the tree")?
        .clone();
    ensure!(
        dialog.role == "alert" || dialog.role.contains("dialog"),
        "the request is a {:?}, not an alert dialog",
        dialog.role
    );
    ensure!(
        dialog
            .description
            .contains("Log in to the Pocket reference service?"),
        "{dialog:?}"
    );
    for number in &choices {
        let pick = format!("Pick {number}");
        ensure!(
            dialog
                .walk()
                .iter()
                .any(|n| n.role.contains("button") && n.name == pick),
            "no button {pick:?}"
        );
    }
    tree.ensure_all_named("login request")?;
    // The serial is new each run: read as "SERIAL".
    let whole = format!(
        "{}: {} ({})\n{}",
        dialog.role,
        dialog.name,
        dialog.description,
        dialog.transcript()
    );
    let transcript = masked(&whole).replace(&masked(&serial), "SERIAL");
    reads_as_expected_text("login-request", &transcript)?;

    // Three seconds on: the seconds on screen went on, what is read by itself did not.
    let before = live_words(&tree);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let after = live_words(&accessibility_tree(&desktop)?);
    ensure!(
        before == after,
        "live regions changed:\n{before:?}\n{after:?}"
    );

    // The answer: the outcome is a dialog of its own with its Done button focused; then
    // History starts on its title and goes back to the button that opened it.
    let number = login
        .waiting_number()
        .context("the login page showed no number")?;
    app.pick_push_number(&number).await?;
    let outcome = tree_focused_on(&app, &desktop, "push button: Done").await?;
    outcome.ensure_all_named("the outcome")?;
    app.dismiss_push_outcome().await?;
    app.click("[data-testid=open-history]").await?;
    let history = tree_focused_on(&app, &desktop, "heading: History").await?;
    history.ensure_all_named("history")?;
    app.click("[data-testid=history-screen] [data-testid=back]")
        .await?;
    tree_focused_on(&app, &desktop, "push button: History").await?;
    app.quit().await
}

/// Chromium's tree of the built UI (what TalkBack reads through Android's webview), with the
/// same checks: named controls, an account as one button, the code digit by digit, nothing
/// live changing while idle.
#[tokio::test]
async fn chromium_reads_the_home_screen_the_same_way() -> Result<()> {
    let _serial = serial().await;
    let bridge = CameraBridge::start().await?;
    bridge
        .calls
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .shown = vec![
        ("GitHub".into(), "alice".into(), "492039".into()),
        (
            "Example Bank".into(),
            "alice@example.com".into(),
            "12345678".into(),
        ),
    ];
    let browser = Browser::start(390, 844, "en").await?;
    browser.go(&bridge.url).await?;
    browser
        .wait_for("[data-testid=account] [data-testid=code]")
        .await?;
    let tree = chromium_tree(browser.driver()).await?;
    tree.ensure_all_named("home in Chromium")?;
    let github = tree
        .walk()
        .into_iter()
        .find(|n| n.name == "GitHub, alice, 4 9 2, 0 3 9")
        .with_context(|| format!("no GitHub button in\n{}", tree.transcript()))?
        .clone();
    ensure!(
        github.role == "button" && github.description.contains("seconds left"),
        "{github:?}"
    );
    reads_as_expected("home-chromium", tree.document()?)?;

    let before = live_words(&tree);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let after = live_words(&chromium_tree(browser.driver()).await?);
    ensure!(
        before == after,
        "live regions changed while idle:\n{before:?}\n{after:?}"
    );

    // Forced colours (a high-contrast theme): the menu buttons keep an edge and the ring a
    // system colour; the README's pictures, of home and of a login request.
    browser
        .driver()
        .chromium_devtools(
            "Emulation.setEmulatedMedia",
            serde_json::json!({ "features": [{ "name": "forced-colors", "value": "active" }] }),
        )
        .await?;
    let seen = browser
        .driver()
        .execute(
            "const menu = getComputedStyle(document.querySelector('[data-testid=row-menu]'));
             const ring = getComputedStyle(document.querySelector('[data-testid=countdown] circle.left'));
             return [matchMedia('(forced-colors: active)').matches, menu.borderTopStyle, ring.stroke];",
            vec![],
        )
        .await?;
    ensure!(
        seen[0] == true
            && seen[1] == "solid"
            && seen[2]
                .as_str()
                .is_some_and(|s| !s.contains("rgba(0, 0, 0, 0)")),
        "in forced colours: {seen}"
    );
    browser
        .screenshot(&shots::dir()?.join("home-forced-colours.png"))
        .await?;

    // A login request, as Chromium reads it: an alert dialog with its question, and the
    // numbers saying what they do.
    bridge
        .calls
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .request = Some(serde_json::json!({
        "tokenId": "t1", "nonce": "n1", "issuer": "Example Bank", "label": "alice@example.com",
        "serial": "PIPU0001", "title": "Example Bank", "question": "Log in to Example Bank?",
        "presenceOptions": ["17", "42", "83"], "takesDeclineReason": false,
        "expiresAtMs": pocket_core::clock::now_millis() + 120_000, "unlockRequired": false,
    }));
    browser.go(&bridge.url).await?;
    browser.wait_for("[data-testid=push-prompt]").await?;
    let tree = chromium_tree(browser.driver()).await?;
    let dialog = tree
        .walk()
        .into_iter()
        .find(|n| n.role == "alertdialog")
        .with_context(|| format!("no alert dialog in\n{}", tree.transcript()))?
        .clone();
    ensure!(
        dialog.name == "Login request Example Bank"
            && dialog.description.starts_with("Log in to Example Bank?"),
        "{dialog:?}"
    );
    for number in ["17", "42", "83"] {
        let pick = format!("Pick {number}");
        ensure!(
            dialog
                .walk()
                .iter()
                .any(|n| n.role == "button" && n.name == pick),
            "no button {pick:?} in\n{}",
            dialog.transcript()
        );
    }
    tree.ensure_all_named("login request in Chromium")?;
    browser
        .screenshot(&shots::dir()?.join("prompt-forced-colours.png"))
        .await?;
    browser.quit().await
}
