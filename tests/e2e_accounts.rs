//! The account list in the real app window: add by link, codes checked against oathtool, the
//! period rolling over, a restart, and where the secret is (and is not) stored.

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use pocket_tests::app::{App, unix_now};
use pocket_tests::deadline::Look;
use pocket_tests::tools::{
    account_rows, all_file_bytes, contains, keychain_item_count, keychain_lookup, oathtool_totp,
};
use pocket_tests::{AppDriver, Desktop, serial};

/// RFC 6238's SHA1 seed, "12345678901234567890", in base32.
const RFC_SEED: &[u8] = b"12345678901234567890";
const RFC_SEED_BASE32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const RFC_URI: &str = "otpauth://totp/RFC%206238:alice@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=RFC%206238&algorithm=SHA1&digits=6&period=30";
const KEYCHAIN_SERVICE: &str = "Pocket";
const PERIOD: u64 = 30;

/// Reads the code on screen until it can be compared with oathtool inside one period, and
/// returns it with that period's index. Fails if it never matches (right after a roll-over
/// the screen may lag a tick behind; anything longer is wrong).
async fn code_matching_oathtool(app: &App) -> Result<(String, u64)> {
    let (row, shown, period) = app
        .eventually(
            "the code oathtool computes",
            Duration::from_secs(5),
            || async {
                let before = unix_now();
                let row = app.single_account_with_code().await?;
                let after = unix_now();
                let shown = row.code.clone().context("no code")?;
                if before / PERIOD != after / PERIOD {
                    return Ok(Look::NotYet("a period turned while reading".into()));
                }
                let expected = oathtool_totp(RFC_SEED_BASE32, before)?;
                Ok(if shown == expected {
                    Look::Done((row, shown, before / PERIOD))
                } else {
                    Look::NotYet(format!(
                        "Pocket shows {shown}, oathtool computes {expected} at {before}"
                    ))
                })
            },
        )
        .await?;
    let grouped = format!("{} {}", &shown[..3], &shown[3..]);
    ensure!(
        row.shown.as_deref() == Some(grouped.as_str()),
        "shown as {:?}",
        row.shown
    );
    Ok((shown, period))
}

#[tokio::test]
async fn uri_account_shows_oathtool_codes_rolls_over_and_survives_a_restart() -> Result<()> {
    let _serial = serial().await;
    let desktop = Desktop::start().await?;
    let driver = AppDriver::start(&desktop).await?;
    let app = driver.launch().await?;
    ensure!(
        app.is_empty_state_shown().await?,
        "a fresh install should say it has no accounts"
    );

    app.add_account_uri(RFC_URI).await?;
    let row = app.single_account_with_code().await?;
    assert_eq!(
        (row.issuer.as_str(), row.name.as_str()),
        ("RFC 6238", "alice@example.com")
    );
    let (first_code, first_period) = code_matching_oathtool(&app).await?;

    // Wait for the next period: the screen must roll over by itself.
    let next_period_starts = (first_period + 1) * PERIOD;
    let wait = next_period_starts.saturating_sub(unix_now()) + 1;
    tokio::time::sleep(Duration::from_secs(wait)).await;
    let (second_code, second_period) = code_matching_oathtool(&app).await?;
    ensure!(second_period > first_period, "the period did not advance");
    println!("codes {first_code} then {second_code}, both as oathtool computes them");

    // Restart: the account is still there, with the same id and a correct code.
    app.quit().await?;
    let app = driver.launch().await?;
    let after_restart = app.single_account_with_code().await?;
    assert_eq!(after_restart.id, row.id);
    assert_eq!(after_restart.issuer, "RFC 6238");
    code_matching_oathtool(&app).await?;
    app.quit().await?;

    // The secret is in the Secret Service, under the account's id...
    assert_eq!(
        keychain_lookup(&desktop, KEYCHAIN_SERVICE, &row.id)?.as_deref(),
        Some(RFC_SEED_BASE32)
    );
    assert_eq!(keychain_item_count(&desktop, KEYCHAIN_SERVICE)?, 1);
    // ...and nowhere in the app's data files, in any form.
    let data_dir = desktop.app_data_dir();
    assert_eq!(
        account_rows(&data_dir)?,
        [(row.id.clone(), "active".to_string())]
    );
    for (file, bytes) in all_file_bytes(&data_dir)? {
        for form in [
            RFC_SEED_BASE32.as_bytes(),
            RFC_SEED_BASE32.to_lowercase().as_bytes(),
            RFC_SEED,
        ] {
            ensure!(!contains(&bytes, form), "{file} contains the secret");
        }
    }
    Ok(())
}

#[tokio::test]
async fn malformed_uri_shows_a_clear_error_and_stores_nothing() -> Result<()> {
    let _serial = serial().await;
    let desktop = Desktop::start().await?;
    let driver = AppDriver::start(&desktop).await?;
    let app = driver.launch().await?;

    let cases = [
        (
            "otpauth://totp/Bad:bob?secret=NOT*BASE32&issuer=Bad",
            ("invalid_parameter", Some("secret")),
        ),
        (
            "otpauth://totp/Bad:bob?issuer=Bad",
            ("missing_parameter", Some("secret")),
        ),
        ("https://example.com/login", ("not_otpauth_uri", None)),
        (
            "otpauth://totp/Bad:bob?secret=JBSWY3DP&digits=12",
            ("invalid_parameter", Some("digits")),
        ),
    ];
    for (uri, (code, field)) in cases {
        app.add_account_uri(uri).await?;
        let shown = app.wait_for_form_error(code).await?;
        ensure!(
            shown.field.as_deref() == field && !shown.text.is_empty(),
            "for {uri} the app says {shown:?}"
        );
    }

    app.leave_add_screen().await?;
    ensure!(
        app.is_empty_state_shown().await?,
        "the list should still be empty"
    );
    app.quit().await?;
    assert_eq!(account_rows(&desktop.app_data_dir())?, []);
    assert_eq!(keychain_item_count(&desktop, KEYCHAIN_SERVICE)?, 0);
    Ok(())
}
