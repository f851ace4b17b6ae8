//! Every screen as Orca reads it (the real window's AT-SPI tree), from the first run on, and
//! as TalkBack's engine does (Chromium's tree over the built UI): each control has a role and
//! a real name; the focus lands where the user expects after each change of screen and each
//! dialog (a new screen on its title, a menu on its first item, a dialog on its safe choice,
//! back home on the control that left it); an error is tied to its field (the field is
//! invalid and the error is its description); scan results and an import report take the
//! focus, so they are read as they appear. Home, scan and a login request have their own
//! checks in `e2e_screen_reader`.

use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use pocket_tests::atspi::AxNode;
use pocket_tests::bridge_replies::{DISPLAY_CODE, TOKEN_ID, TOKEN_SERIAL};
use pocket_tests::browser::Browser;
use pocket_tests::camera_bridge::CameraBridge;
use pocket_tests::chromium_tree::chromium_tree;
use pocket_tests::gen_device::pocket_gen;
use pocket_tests::process::run;
use pocket_tests::screen_reader::{
    GITHUB, accessible_desktop, add_two_accounts, focused, tree_focused_on, tree_showing, tree_when,
};
use pocket_tests::{App, AppDriver, Desktop, serial};

const PASSCODE: &str = "246802";
/// A row's menu button as AT-SPI has it: WebKitGTK publishes a button that opens a menu
/// (aria-haspopup) as a pop-up button, which is AT-SPI's "combo box" (Chromium: "button").
const MENU_BUTTON: &str = "combo box: More for GitHub (alice)";
/// How long Chromium's tree may take to follow the page.
const CHROMIUM_FOLLOWS: Duration = Duration::from_secs(10);

/// The field named `name` is marked invalid and described by an error saying `error`.
fn tied(tree: &AxNode, name: &str, error: &str) -> bool {
    tree.walk()
        .iter()
        .any(|n| n.name == name && n.has("invalid") && n.description.contains(error))
}

/// Shows `screen` and checks its tree: every control named, the focus on `focus`.
async fn screen_reads(app: &App, desktop: &Desktop, screen: &str, focus: &str) -> Result<AxNode> {
    app.show(screen).await?;
    let tree = tree_focused_on(app, desktop, focus)
        .await
        .with_context(|| format!("the focus on {screen}"))?;
    tree.ensure_all_named(screen)?;
    Ok(tree)
}

/// Leaves a screen by its back button: the focus goes back to the control that opened it.
async fn back_to(app: &App, desktop: &Desktop, screen: &str, focus: &str) -> Result<()> {
    app.click(&format!("[data-testid={screen}] [data-testid=back]"))
        .await?;
    tree_focused_on(app, desktop, focus)
        .await
        .with_context(|| format!("back from {screen}"))?;
    Ok(())
}

#[tokio::test]
async fn every_screen_names_its_controls_and_the_focus_follows_the_user() -> Result<()> {
    let _serial = serial().await;
    let desktop = accessible_desktop().await?;
    let driver = AppDriver::start(&desktop).await?;
    let app = driver.launch().await?;
    app.resize(390, 844).await?;
    // The first run: an empty list with its ways to add an account.
    let first = tree_showing(&app, &desktop, "No accounts yet").await?;
    first.ensure_all_named("the first run")?;
    add_two_accounts(&app).await?;

    // The row menu and its dialogs: the menu opens on its first item; Delete's dialog on
    // its safe choice, and back on the menu button when cancelled; Edit on its first field.
    screen_reads(&app, &desktop, "menu", "menu item: Edit").await?;
    let delete = screen_reads(&app, &desktop, "delete", "push button: Cancel").await?;
    ensure!(
        delete
            .walk()
            .iter()
            .any(|n| (n.role == "alert" || n.role.contains("dialog")) && n.name.contains("Delete")),
        "no delete dialog in\n{}",
        delete.transcript()
    );
    app.click("[data-testid=confirm-cancel]").await?;
    tree_focused_on(&app, &desktop, MENU_BUTTON)
        .await
        .context("cancelling the delete")?;
    screen_reads(&app, &desktop, "edit", "entry: Service").await?;
    // Both names blank.
    app.type_into("edit-issuer", " ").await?;
    app.type_into("edit-name", " ").await?;
    app.click("[data-testid=edit-save]").await?;
    tree_when(&app, &desktop, "the edit error on its field", |tree| {
        tied(tree, "Account", "name")
    })
    .await?;
    app.click("[data-testid=edit-cancel]").await?;
    tree_focused_on(&app, &desktop, MENU_BUTTON)
        .await
        .context("cancelling the edit")?;
    screen_reads(
        &app,
        &desktop,
        "reorder",
        "push button: Move GitHub (alice)",
    )
    .await?;

    // The screens: each starts on its title and goes back to the control that opened it.
    for (screen, title, opener) in [
        ("settings", "Settings", "Settings"),
        ("transfer", "Import and export", "Import / export"),
    ] {
        let tree = screen_reads(&app, &desktop, screen, &format!("heading: {title}")).await?;
        if screen == "settings" {
            // A field is named by its label alone, not also by its value ("Language As the
            // system"), which WebKitGTK gives a field its label wraps.
            ensure!(
                tree.walk()
                    .iter()
                    .any(|n| n.role == "combo box" && n.name == "Language"),
                "the language field's name:\n{}",
                tree.transcript()
            );
        }
        back_to(
            &app,
            &desktop,
            &format!("{screen}-screen"),
            &format!("push button: {opener}"),
        )
        .await?;
    }
    for (tab, name) in [("key", "Enter setup key"), ("link", "Paste link")] {
        screen_reads(&app, &desktop, tab, &format!("page tab: {name}")).await?;
    }
    // A link that is not one: the error is the field's.
    app.type_into("uri-input", "otpauth://nonsense").await?;
    app.click("[data-testid=submit-uri]").await?;
    app.wait_for("[data-testid=form-error]").await?;
    tree_when(&app, &desktop, "the link error on its field", |tree| {
        tied(tree, "otpauth:// link", "")
    })
    .await?;
    back_to(&app, &desktop, "add-screen", "push button: Add account").await?;

    // Scan results: two codes in one picture, one already here; the results take the focus.
    let (known, new, both) = (
        desktop.home().join("known.png"),
        desktop.home().join("new.png"),
        desktop.home().join("both.png"),
    );
    pocket_gen(&["qr", GITHUB, "--png", &known.display().to_string()])?.checked()?;
    pocket_gen(&[
        "totp",
        "--issuer",
        "Forum",
        "--account",
        "bob",
        "--png",
        &new.display().to_string(),
    ])?
    .checked()?;
    run(
        std::process::Command::new("convert")
            .args([&known, &new])
            .arg("+append")
            .arg(&both),
        Duration::from_secs(30),
    )?
    .checked()
    .context("ImageMagick could not join the pictures")?;
    app.open_image(&both).await?;
    let results = tree_focused_on(&app, &desktop, "heading: QR codes found: 2")
        .await
        .context("scan results")?;
    results.ensure_all_named("scan results")?;
    app.leave_add_screen().await?;

    // An import's report takes the focus; its lines are read with it.
    let list = desktop.home().join("links.txt");
    std::fs::write(&list, format!("{GITHUB}\nnot a link\n"))?;
    app.open_transfer().await?;
    app.import_file(&desktop, &list, None).await?;
    let report = tree_when(&app, &desktop, "the import report focused", |tree| {
        focused(tree).is_some_and(|f| f.ends_with(": Accounts added: 0"))
    })
    .await?;
    report.ensure_all_named("import report")?;
    // Google Authenticator's transfer codes: pictures named by what they are.
    app.click("[data-testid=google-export-show]").await?;
    let codes = tree_showing(&app, &desktop, "Transfer code 1 of 1").await?;
    codes.ensure_all_named("transfer codes")?;
    app.back_home().await?;

    // The lock screen opens on its passcode field; a wrong passcode is that field's error.
    app.open_settings().await?;
    app.set_passcode(PASSCODE).await?;
    app.back_home().await?;
    app.click("[data-testid=lock-now]").await?;
    app.wait_for_lock_screen().await?;
    let lock = tree_focused_on(&app, &desktop, "password text: Passcode")
        .await
        .context("the lock screen")?;
    lock.ensure_all_named("lock screen")?;
    app.type_into("lock-passcode", "111111").await?;
    app.click("[data-testid=lock-unlock]").await?;
    tree_when(&app, &desktop, "the wrong passcode on its field", |tree| {
        tied(tree, "Passcode", "")
    })
    .await?;
    app.unlock_with(PASSCODE).await?;
    app.quit().await
}

/// The Chromium tree (TalkBack's engine) once `wanted` holds of it.
async fn chromium_when(
    browser: &Browser,
    what: &str,
    wanted: impl Fn(&AxNode) -> bool,
) -> Result<AxNode> {
    let started = std::time::Instant::now();
    loop {
        let tree = chromium_tree(browser.driver()).await?;
        if wanted(&tree) {
            return Ok(tree);
        }
        if started.elapsed() > CHROMIUM_FOLLOWS {
            bail!(
                "Chromium's tree never showed {what}: focused {:?} in\n{}",
                focused(&tree),
                tree.transcript()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Clicks `css`, then checks Chromium's tree: every control named, the focus on `focus`.
async fn chromium_reads(browser: &Browser, css: &str, what: &str, focus: &str) -> Result<()> {
    browser.click(css).await?;
    let tree = chromium_when(
        browser,
        &format!("the focus on {focus:?} ({what})"),
        |tree| focused(tree).as_deref() == Some(focus),
    )
    .await?;
    tree.ensure_all_named(&format!("{what} in Chromium"))
}

/// The same screens in Chromium's tree, over the built UI with the bridge answering as Pocket:
/// named controls, the focus where the user expects, errors tied to their fields, the import
/// report focused, and the code to type after an approval read digit by digit.
#[tokio::test]
async fn chromium_reads_every_screen_the_same_way() -> Result<()> {
    let _serial = serial().await;
    let bridge = CameraBridge::start().await?;
    {
        let mut calls = bridge.calls();
        calls.shown = vec![
            ("GitHub".into(), "alice".into(), "492039".into()),
            (
                "Example Bank".into(),
                "alice@example.com".into(),
                "12345678".into(),
            ),
        ];
        calls.push_token = true;
    }
    let browser = Browser::start(390, 844, "en").await?;
    browser.go(&bridge.url).await?;
    browser
        .wait_for("[data-testid=account] [data-testid=code]")
        .await?;

    for (opener, screen, title, name) in [
        ("open-settings", "settings-screen", "Settings", "Settings"),
        (
            "open-transfer",
            "transfer-screen",
            "Import and export",
            "Import / export",
        ),
        ("open-history", "history-screen", "History", "History"),
    ] {
        let opener = format!("[data-testid={opener}]");
        chromium_reads(&browser, &opener, screen, &format!("heading: {title}")).await?;
        if screen == "transfer-screen" {
            browser.click("[data-testid=import-choose]").await?;
            browser.wait_for("[data-testid=import-picked]").await?;
            chromium_reads(
                &browser,
                "[data-testid=import-submit]",
                "import report",
                "status: Accounts added: 1",
            )
            .await?;
        }
        let back = format!("[data-testid={screen}] [data-testid=back]");
        chromium_reads(&browser, &back, "home", &format!("button: {name}")).await?;
    }

    let more = "[data-testid=account] [data-testid=row-menu]";
    chromium_reads(&browser, more, "row menu", "menuitem: Edit").await?;
    chromium_reads(
        &browser,
        "[data-testid=menu-edit]",
        "edit",
        "textbox: Service",
    )
    .await?;
    browser.type_into("[data-testid=edit-issuer]", " ").await?;
    browser.type_into("[data-testid=edit-name]", " ").await?;
    browser.click("[data-testid=edit-save]").await?;
    chromium_when(&browser, "the edit error on its field", |tree| {
        tied(tree, "Account", "")
    })
    .await?;
    let menu_button = "button: More for GitHub (alice)";
    chromium_reads(&browser, "[data-testid=edit-cancel]", "home", menu_button).await?;
    chromium_reads(&browser, more, "row menu", "menuitem: Edit").await?;
    chromium_reads(
        &browser,
        "[data-testid=menu-delete]",
        "delete",
        "button: Cancel",
    )
    .await?;
    chromium_reads(
        &browser,
        "[data-testid=confirm-cancel]",
        "home",
        menu_button,
    )
    .await?;
    chromium_reads(&browser, more, "row menu", "menuitem: Edit").await?;
    let handle = "button: Move GitHub (alice)";
    chromium_reads(&browser, "[data-testid=menu-move]", "reorder", handle).await?;
    browser.click("[data-testid=reorder-done]").await?;

    chromium_reads(
        &browser,
        "[data-testid=add-account]",
        "add",
        "heading: Add account",
    )
    .await?;
    for (tab, name) in [
        ("scan", "Scan QR code"),
        ("key", "Enter setup key"),
        ("link", "Paste link"),
    ] {
        let css = format!("[data-testid=tab-{tab}]");
        chromium_reads(&browser, &css, tab, &format!("tab: {name}")).await?;
    }
    // A link that is not one: the error is the field's. Two links: the results take the focus.
    browser
        .type_into("[data-testid=uri-input]", "otpauth://nonsense")
        .await?;
    browser.click("[data-testid=submit-uri]").await?;
    chromium_when(&browser, "the link error on its field", |tree| {
        tied(tree, "otpauth:// link", "")
    })
    .await?;
    let two = format!("{GITHUB}\notpauth://totp/Forum:bob?secret=MFRGGZDFMZTWQ2LK&issuer=Forum");
    browser.type_into("[data-testid=uri-input]", &two).await?;
    chromium_reads(
        &browser,
        "[data-testid=submit-uri]",
        "scan results",
        "heading: QR codes found: 2",
    )
    .await?;

    // The lock screen: its passcode field focused, a wrong passcode that field's error.
    bridge.calls().locked = true;
    browser.go(&bridge.url).await?;
    browser.wait_for("[data-testid=lock-passcode]").await?;
    let tree = chromium_when(&browser, "the passcode field focused", |tree| {
        focused(tree).is_some_and(|f| f.ends_with(": Passcode"))
    })
    .await?;
    tree.ensure_all_named("lock screen in Chromium")?;
    browser
        .type_into("[data-testid=lock-passcode]", "1111")
        .await?;
    browser.click("[data-testid=lock-unlock]").await?;
    chromium_when(&browser, "the wrong passcode on its field", |tree| {
        tied(tree, "Passcode", "")
    })
    .await?;

    // An approval that shows a code to type: the outcome says it digit by digit.
    {
        let mut calls = bridge.calls();
        calls.locked = false;
        calls.request = Some(serde_json::json!({
            "tokenId": TOKEN_ID, "nonce": "n1", "issuer": "Example Bank",
            "label": "alice@example.com", "serial": TOKEN_SERIAL, "title": "Example Bank",
            "question": "Log in to Example Bank?", "presenceOptions": [],
            "takesDeclineReason": false,
            "expiresAtMs": pocket_core::clock::now_millis() + 120_000, "unlockRequired": false,
        }));
    }
    browser.go(&bridge.url).await?;
    browser.wait_for("[data-testid=push-prompt]").await?;
    browser.click("[data-testid=push-accept]").await?;
    let spoken: String = DISPLAY_CODE
        .chars()
        .map(String::from)
        .collect::<Vec<_>>()
        .join(" ");
    let tree = chromium_when(&browser, "the outcome with its code", |tree| {
        tree.walk()
            .iter()
            .any(|n| n.role == "alertdialog" && n.description.ends_with(&spoken))
    })
    .await?;
    tree.ensure_all_named("an approval's outcome in Chromium")?;
    ensure!(
        focused(&tree).as_deref() == Some("button: Done"),
        "the outcome's focus: {:?}",
        focused(&tree)
    );
    browser.quit().await
}
