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

/// A PNG file whose header claims `width`×`height` pixels and holds almost none of them, as a
/// crafted picture would.
fn claimed_size_png(width: u32, height: u32, path: &std::path::Path) -> Result<()> {
    const WRITER: &str = r#"
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
width, height, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
with open(path, "wb") as out:
    out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
              + chunk(b"IDAT", zlib.compress(bytes(64))) + chunk(b"IEND", b""))
"#;
    run(
        Command::new("python3")
            .args(["-c", WRITER, &width.to_string(), &height.to_string()])
            .arg(path),
        Duration::from_secs(30),
    )?
    .checked()?;
    Ok(())
}

#[tokio::test]
async fn paste_reads_a_copied_picture_and_refuses_a_huge_one_from_its_header() -> Result<()> {
    let _serial = serial().await;
    let desktop = Desktop::start().await?;
    let (code, huge) = (
        desktop.home().join("code.png"),
        desktop.home().join("huge.png"),
    );
    generated_account("QA Paste", "paste@example.com", &code)?;
    // 40,000 × 40,000 pixels would take 6 GiB decoded; the file is a few dozen bytes.
    claimed_size_png(40_000, 40_000, &huge)?;

    let driver = AppDriver::start(&desktop).await?;
    let app = driver.launch().await?;

    let copied = desktop.copy_picture(&code).await?;
    app.scan_clipboard().await?;
    let row = app.single_account_with_code().await?;
    assert_eq!(row.name, "paste@example.com");
    drop(copied);

    // Refused by Pocket's own size check: the picture's bytes reach Pocket undecoded.
    let _copied = desktop.copy_picture(&huge).await?;
    app.scan_clipboard().await?;
    assert_eq!(
        app.scan_error().await?,
        "This picture is too large to scan."
    );
    app.quit().await?;
    Ok(())
}
