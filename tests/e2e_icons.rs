//! Icons other apps kept, in the real window: an Aegis vault's picture and a 2FAS label come
//! in with their accounts and show in the list (the picture decoded by WebKit under Pocket's
//! content policy), an account without one shows the issuer's bundled icon, all of it stays
//! after a restart, and Pocket's export carries the picture out again.

use anyhow::{Context, Result, ensure};
use pocket_core::otp::AccountIcon;
use pocket_core::transfer::read_aegis;
use pocket_tests::deadline::Look;
use pocket_tests::{AppDriver, Desktop, serial};
use serde_json::Value;

/// A 2×2 PNG, made for this test.
const PNG_BASE64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGO4YGAARAwQCgAjzgTBL1P/5wAAAABJRU5ErkJggg==";

fn aegis_vault() -> String {
    format!(
        r#"{{"version": 1, "header": {{"slots": null, "params": null}}, "db": {{"version": 3, "entries": [
  {{"type": "totp", "uuid": "1", "name": "alice", "issuer": "Intranet", "icon": "{PNG_BASE64}", "icon_mime": "image/png",
   "info": {{"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA1", "digits": 6, "period": 30}}}},
  {{"type": "totp", "uuid": "2", "name": "alice", "issuer": "GitHub", "icon": null,
   "info": {{"secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "algo": "SHA1", "digits": 6, "period": 30}}}}
], "groups": []}}}}"#
    )
}

const TWOFAS: &str = r#"{"schemaVersion": 4, "services": [
  {"name": "Lab Server", "secret": "MFRGGZDFMZTWQ2LK",
   "otp": {"account": "alice", "digits": 6, "period": 30, "algorithm": "SHA1", "tokenType": "TOTP"},
   "icon": {"selected": "Label", "label": {"text": "LS", "backgroundColor": "Turquoise"},
            "iconCollection": {"id": "a5b3fb65-4ec5-43e6-8ec1-49e24ca9e7ad"}}}
]}"#;

/// Each row's icon as the page shows it: `[issuer, what, detail]`.
const READ_ICONS: &str = r#"
    return [...document.querySelectorAll('[data-testid=account]')].map((row) => {
        const icon = row.querySelector('[data-testid=service-icon]');
        const issuer = row.querySelector('[data-testid=issuer]').textContent.trim();
        if (icon.dataset.imported === 'image')
            return [issuer, 'image', icon.complete ? String(icon.naturalWidth) : 'loading'];
        if (icon.dataset.imported === 'label') return [issuer, 'label', icon.dataset.letter];
        return [issuer, 'bundled', icon.dataset.icon ?? icon.dataset.letter];
    });
"#;

/// Waits until the rows show `expected` (a picture is read once its row is on screen, and
/// the issuer's icon stands in until then); fails with what they show at the end.
async fn wait_for_icons(app: &pocket_tests::App, expected: &[[String; 3]]) -> Result<()> {
    let limit = std::time::Duration::from_secs(10);
    app.eventually("the rows to show their icons", limit, || async {
        let shown: Vec<[String; 3]> = serde_json::from_value(app.run_script(READ_ICONS).await?)?;
        Ok(Look::when(shown == expected, || format!("{shown:?}")))
    })
    .await
}

#[tokio::test]
async fn imported_icons_show_stay_and_leave_with_the_export() -> Result<()> {
    let _serial = serial().await;
    let desktop = Desktop::start().await?;
    let driver = AppDriver::start(&desktop).await?;
    let app = driver.launch().await?;
    let aegis = desktop.home().join("aegis.json");
    std::fs::write(&aegis, aegis_vault())?;
    let twofas = desktop.home().join("backup.2fas");
    std::fs::write(&twofas, TWOFAS)?;
    app.open_transfer().await?;
    app.import_file(&desktop, &aegis, None).await?;
    ensure!(app.import_report().await?.added == 2);
    app.import_file(&desktop, &twofas, None).await?;
    ensure!(app.import_report().await?.added == 1);
    app.close_transfer().await?;

    let expected = [
        ["Intranet", "image", "2"],
        ["GitHub", "bundled", "github"],
        ["Lab Server", "label", "LS"],
    ]
    .map(|row| row.map(String::from))
    .to_vec();
    wait_for_icons(&app, &expected).await?;
    app.quit().await?;

    let app = driver.launch().await?;
    app.accounts_with_codes(3).await?;
    wait_for_icons(&app, &expected)
        .await
        .context("after a restart")?;

    // Out again: the picture and the label are in Pocket's export.
    app.open_transfer().await?;
    let target = desktop.home().join("out.json");
    let path = app
        .export_aegis(&desktop, "take the icons", &target)
        .await?;
    let exported = read_aegis(&std::fs::read_to_string(&path)?, Some("take the icons"))?;
    let icon_of = |issuer: &str| {
        exported
            .accounts
            .iter()
            .find(|a| a.issuer == issuer)
            .map(|a| a.icon.clone())
            .with_context(|| format!("{issuer} not exported"))
    };
    ensure!(
        matches!(icon_of("Intranet")?, Some(AccountIcon::Image { bytes, .. }) if bytes.len() > 40),
        "the picture did not leave with the export"
    );
    ensure!(
        matches!(icon_of("Lab Server")?, Some(AccountIcon::Label { text, .. }) if text == "LS")
    );
    ensure!(icon_of("GitHub")?.is_none());
    let raw: Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
    ensure!(raw["db"].is_string(), "the export is encrypted");
    app.quit().await
}
