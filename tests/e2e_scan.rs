//! QR enrollment in the real app window: a code shown on the screen, and image files.

use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result};
use pocket_tests::app::unix_now;
use pocket_tests::deadline::Look;
use pocket_tests::gen_device::pocket_gen;
use pocket_tests::process::run;
use pocket_tests::tools::oathtool_totp;
use pocket_tests::{AppDriver, Desktop, serial};

/// Makes a TOTP account with `pocket-gen totp`, its QR code in `png`; returns its URI.
fn generated_account(issuer: &str, account: &str, png: &std::path::Path) -> Result<String> {
    let out = pocket_gen(&[
        "totp".as_ref(),
        "--issuer".as_ref(),
        issuer.as_ref(),
        "--account".as_ref(),
        account.as_ref(),
        "--png".as_ref(),
        png.as_os_str(),
    ])?
    .checked()?;
    let uri = out
        .stdout_text()
        .lines()
        .next()
        .context("no URI printed")?
        .to_string();
    Ok(uri)
}

fn secret_of(uri: &str) -> Result<String> {
    let query = uri.split_once('?').context("no query")?.1;
    let secret = query
        .split('&')
        .find_map(|p| p.strip_prefix("secret="))
        .context("no secret")?;
    Ok(secret.to_string())
}

#[tokio::test]
async fn scan_screen_adds_the_account_shown_in_another_window() -> Result<()> {
    let _serial = serial().await;
    let desktop = Desktop::start().await?;
    let png = desktop.home().join("enroll.png");
    let uri = generated_account("QA Screen", "scan@example.com", &png)?;

    // The QR code in a window of its own, beside where the app opens, as a browser would show it.
    let _viewer = desktop.show_image(&png, "enrollment").await?;

    let driver = AppDriver::start(&desktop).await?;
    let app = driver.launch().await?;
    app.scan_screen().await?;

    let row = app.single_account_with_code().await?;
    assert_eq!(
        (row.issuer.as_str(), row.name.as_str()),
        ("QA Screen", "scan@example.com")
    );
    let secret = secret_of(&uri)?;
    app.eventually(
        "oathtool's code on screen",
        Duration::from_secs(5),
        || async {
            let now = unix_now();
            let shown = app.single_account_with_code().await?.code;
            let expected = oathtool_totp(&secret, now)?;
            Ok(Look::when(
                shown.as_deref() == Some(expected.as_str()),
                || format!("{shown:?} where oathtool computes {expected}"),
            ))
        },
    )
    .await?;
    app.quit().await?;
    Ok(())
}

#[tokio::test]
async fn open_image_offers_every_code_in_it() -> Result<()> {
    let _serial = serial().await;
    let desktop = Desktop::start().await?;
    let (first, second, both) = (
        desktop.home().join("first.png"),
        desktop.home().join("second.png"),
        desktop.home().join("both.png"),
    );
    generated_account("QA Image", "first@example.com", &first)?;
    generated_account("QA Image", "second@example.com", &second)?;
    // Side by side in one picture, as an export page might show them.
    run(
        Command::new("convert")
            .arg(&first)
            .arg(&second)
            .arg("+append")
            .arg(&both),
        Duration::from_secs(30),
    )?
    .checked()
    .context("ImageMagick could not join the images")?;

    let driver = AppDriver::start(&desktop).await?;
    let app = driver.launch().await?;

    // One code: added at once.
    app.open_image(&first).await?;
    let row = app.single_account_with_code().await?;
    assert_eq!(row.name, "first@example.com");

    // Two codes: both offered, the one already added as such; "Add" adds the new one.
    app.open_image(&both).await?;
    assert_eq!(app.scan_result_kinds().await?, ["duplicate", "account"]);
    app.add_first_scanned().await?;
    app.leave_add_screen().await?;
    let mut names: Vec<String> = app
        .accounts_with_codes(2)
        .await?
        .into_iter()
        .map(|r| r.name)
        .collect();
    names.sort();
    assert_eq!(names, ["first@example.com", "second@example.com"]);
    app.quit().await?;
    Ok(())
}
