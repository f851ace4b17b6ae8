//! Reordering the accounts in the real window: a long press opens a row's menu and its Move
//! starts reordering; a row dragged by its handle with the mouse and with a finger, moved with
//! the arrow keys on the handle (each move said aloud), Escape ends it with the focus back on
//! the row; the edit form's Move down; and the order as left still there after a restart.

use anyhow::{Context, Result, ensure};
use pocket_tests::app_keyboard::{ARROW_UP, ESCAPE};
use pocket_tests::app_reorder::Pointer;
use pocket_tests::{AppDriver, Desktop, serial};

const VAULT: &str = r#"{"version": 1, "header": {"slots": null, "params": null}, "db": {"version": 3, "entries": [
  {"type": "totp", "uuid": "1", "name": "alice@example.com", "issuer": "GitHub", "icon": null,
   "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA1", "digits": 6, "period": 30}},
  {"type": "totp", "uuid": "2", "name": "alice", "issuer": "GitLab", "icon": null,
   "info": {"secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "algo": "SHA1", "digits": 6, "period": 30}},
  {"type": "steam", "uuid": "3", "name": "alice", "issuer": "Steam", "icon": null,
   "info": {"secret": "MFRGGZDFMZTWQ2LK", "algo": "SHA1", "digits": 5, "period": 30}},
  {"type": "totp", "uuid": "4", "name": "alice.with.a.long.address@example.com", "issuer": "Dropbox", "icon": null,
   "info": {"secret": "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF", "algo": "SHA256", "digits": 8, "period": 30}}
], "groups": []}}"#;

#[tokio::test]
async fn drag_by_mouse_and_finger_arrow_keys_and_the_order_survives_a_restart() -> Result<()> {
    let _serial = serial().await;
    let desktop = Desktop::start().await?;
    let driver = AppDriver::start(&desktop).await?;
    let app = driver.launch().await?;
    let vault = desktop.home().join("four.json");
    std::fs::write(&vault, VAULT)?;
    app.open_transfer().await?;
    app.import_file(&desktop, &vault, None).await?;
    ensure!(app.import_report().await?.added == 4, "all four in");
    app.close_transfer().await?;
    let rows = app.accounts_with_codes(4).await?;
    let id = |issuer: &str| {
        rows.iter()
            .find(|r| r.issuer == issuer)
            .map(|r| r.id.clone())
            .with_context(|| format!("no {issuer}"))
    };
    let (github, gitlab, steam, dropbox) =
        (id("GitHub")?, id("GitLab")?, id("Steam")?, id("Dropbox")?);
    app.wait_for_order(&[&github, &gitlab, &steam, &dropbox])
        .await?;

    // A finger held on Dropbox opens its menu; Move starts reordering there.
    app.long_press(&dropbox, Pointer::Finger).await?;
    app.wait_for("[role=menu]").await?;
    app.choose_in_menu("move").await?;
    app.wait_for("[data-testid=reorder-bar]").await?;
    // (The window is not active yet, so `:focus` cannot match: the page's own record.)
    let focused = app
        .run_script(&format!(
            "return document.activeElement.matches(\"[data-account-id='{dropbox}'] [data-drag-handle]\");"
        ))
        .await?;
    ensure!(
        focused == serde_json::Value::Bool(true),
        "the focus is on the handle of the row chosen"
    );

    // The mouse takes Dropbox from the bottom to the top.
    app.drag_past(&dropbox, &github, Pointer::Mouse).await?;
    app.wait_for_order(&[&dropbox, &github, &gitlab, &steam])
        .await?;

    // A finger takes GitHub from second to last.
    app.drag_past(&github, &steam, Pointer::Finger).await?;
    app.wait_for_order(&[&dropbox, &gitlab, &steam, &github])
        .await?;

    // The keyboard: on GitLab's handle, Arrow up moves it one place; the focus stays on it.
    desktop.focus_window("Pocket").await?;
    let gitlab_handle = format!("[data-account-id='{gitlab}'] [data-drag-handle]");
    app.tab_to(&gitlab_handle).await?;
    app.press(ARROW_UP).await?;

    app.wait_for_order(&[&gitlab, &dropbox, &steam, &github])
        .await?;
    ensure!(
        app.exists(&format!("{gitlab_handle}:focus")).await?,
        "the focus left the handle as its row moved"
    );
    app.wait_for_toast("GitLab moved to position 1 of 4")
        .await?;

    // Escape ends reordering, and the focus is on GitLab's row again.
    app.press(ESCAPE).await?;
    app.wait_gone("[data-testid=reorder-bar]").await?;
    ensure!(
        app.exists(&format!("[data-account-id='{gitlab}'] button.main:focus"))
            .await?,
        "the focus went back to the row moved"
    );

    // The edit form's Move down, the other keyboard way (Edit in the row's menu).
    app.row_menu(&steam, "edit").await?;
    app.click("[data-testid=move-down]").await?;
    let expected = [&*gitlab, &dropbox, &github, &steam];
    app.wait_for_order(&expected).await?;
    app.click("[data-testid=edit-cancel]").await?;

    // Every move was saved as it happened.
    app.quit().await?;
    let app = driver.launch().await?;
    app.accounts_with_codes(4).await?;
    app.wait_for_order(&expected).await?;
    app.quit().await
}
