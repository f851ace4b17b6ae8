//! What the screen-reader tests share: a desktop whose toolkit publishes its tree, waiting
//! for the tree to show something, what is focused and what a live region says, and the
//! transcripts kept in `tests/fixtures/screen-reader/` (written again with
//! POCKET_UPDATE_TRANSCRIPTS=1).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, ensure};

use super::app::{App, AppDriver};
use super::atspi::{AxNode, accessibility_tree, masked};
use super::deadline::Look;
use super::desktop::{Desktop, DesktopOptions};

/// The accounts the screen-reader tests hold: a six-digit one and an eight-digit one.
pub const GITHUB: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
pub const BANK: &str = "otpauth://totp/Example%20Bank:alice%40example.com?secret=GEZDGNBVGY3TQOJQ&issuer=Example%20Bank&digits=8";

/// How long the tree may take to follow what the page shows.
const TREE_FOLLOWS: Duration = Duration::from_secs(20);

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/screen-reader")
        .join(format!("{name}.txt"))
}

/// The screen's transcript, digits masked, is the expected one (or becomes it).
pub fn reads_as_expected(name: &str, document: &AxNode) -> Result<()> {
    reads_as_expected_text(name, &masked(&document.transcript()))
}

pub fn reads_as_expected_text(name: &str, transcript: &str) -> Result<()> {
    let transcript = format!("{transcript}\n");
    let path = fixture(name);
    if std::env::var_os("POCKET_UPDATE_TRANSCRIPTS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().context("a folder")?)?;
        std::fs::write(&path, &transcript)?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(&path)
        .with_context(|| format!("{}: POCKET_UPDATE_TRANSCRIPTS=1 writes it", path.display()))?;
    ensure!(
        transcript == expected,
        "{name} reads differently from {}:\n{transcript}",
        path.display()
    );
    Ok(())
}

/// The live regions' words: what a reader would say by itself when they change.
pub fn live_words(tree: &AxNode) -> Vec<String> {
    tree.walk()
        .into_iter()
        .filter(|n| n.live.is_some())
        .map(|n| format!("{} {:?} {:?}", n.role, n.name, n.text))
        .collect()
}

/// The focused node as a reader announces it, "role: name".
pub fn focused(tree: &AxNode) -> Option<String> {
    tree.walk()
        .into_iter()
        .rev()
        .find(|n| n.has("focused"))
        .map(|n| format!("{}: {}", n.role, n.name))
}

/// The tree once `wanted` holds of it (what the page shows may reach the tree later).
pub async fn tree_when(
    app: &App,
    desktop: &Desktop,
    what: &str,
    wanted: impl Fn(&AxNode) -> bool,
) -> Result<AxNode> {
    app.eventually(
        &format!("the AT-SPI tree to show {what}"),
        TREE_FOLLOWS,
        || async {
            let tree = accessibility_tree(desktop)?;
            Ok(if wanted(&tree) {
                Look::Done(tree)
            } else {
                let focus = focused(&tree).unwrap_or_default();
                Look::NotYet(format!(
                    "focused {focus:?} in\n{}",
                    masked(&tree.transcript())
                ))
            })
        },
    )
    .await
}

/// The tree once some node's name holds `expected`.
pub async fn tree_showing(app: &App, desktop: &Desktop, expected: &str) -> Result<AxNode> {
    tree_when(app, desktop, &format!("{expected:?}"), |tree| {
        tree.walk().iter().any(|n| n.name.contains(expected))
    })
    .await
}

/// The tree once the focus is on `expected` ("role: name").
pub async fn tree_focused_on(app: &App, desktop: &Desktop, expected: &str) -> Result<AxNode> {
    tree_when(
        app,
        desktop,
        &format!("the focus on {expected:?}"),
        |tree| focused(tree).as_deref() == Some(expected),
    )
    .await
}

/// A desktop whose toolkit publishes its accessibility tree.
pub async fn accessible_desktop() -> Result<Desktop> {
    Desktop::start_with(DesktopOptions {
        accessible: true,
        ..DesktopOptions::default()
    })
    .await
}

/// The app at a phone's size holding GITHUB and BANK with their codes, the lock's offer put
/// off and its toasts gone: the home screen as the readers' tests start from.
pub async fn app_with_two_accounts(driver: &AppDriver) -> Result<App> {
    let app = driver.launch().await?;
    app.resize(390, 844).await?;
    add_two_accounts(&app).await?;
    Ok(app)
}

/// Adds GITHUB and BANK, puts the lock's offer off and waits for the toasts to go.
pub async fn add_two_accounts(app: &App) -> Result<()> {
    for uri in [GITHUB, BANK] {
        app.add_account_uri(uri).await?;
        app.wait_for("[data-testid=add-account]").await?;
    }
    app.accounts_with_codes(2).await?;
    app.click("[data-testid=lock-offer-later]").await?;
    app.wait_gone("[data-testid=lock-offer]").await?;
    app.wait_for_no_toast().await?;
    Ok(())
}
