//! A privacyIDEA smartphone container in the real app window: its registration code scanned
//! from the screen, the managed group with its tokens, and a login accepted through the push
//! token that came by sync.

use anyhow::{Context, Result, ensure};
use pocket_tests::gen_device::gen_qr_png;
use pocket_tests::privacyidea::PrivacyIdea;
use pocket_tests::shots;
use pocket_tests::{AppDriver, Desktop, serial};

#[tokio::test]
async fn a_registered_container_shows_its_group_and_takes_a_login() -> Result<()> {
    let _serial = serial().await;
    let pi = PrivacyIdea::start().await?;
    pi.container_policy("").await?;
    let container = pi.init_container().await?;
    let (totp, _) = pi.enroll_otp("totp").await?;
    let push_link = pi.enroll_push().await?;
    let push = pocket_core::push::parse_enrollment(&push_link)?.serial;
    pi.add_to_container(&container, &totp).await?;
    pi.add_to_container(&container, &push).await?;

    // The registration code on the screen, as the company's page shows it; Scan screen.
    let desktop = Desktop::start().await?;
    let png = desktop.home().join("register.png");
    gen_qr_png(&pi.registration_link(&container, None).await?, &png)?;
    let _viewer = desktop.show_image(&png, "registration").await?;
    let driver = AppDriver::start(&desktop).await?;
    let app = driver.launch().await?;
    app.scan_screen().await?;

    // The group: "Managed by privacyIDEA", with the TOTP account and the push token in it.
    let group = format!("[data-testid=container][data-serial={container}]");
    app.wait_for(&format!(
        "{group} [data-testid=push-token][data-serial={push}]"
    ))
    .await?;
    let heading = app.wait_for(&format!("{group} h2")).await?.text().await?;
    ensure!(heading == "Managed by privacyIDEA", "{heading}");
    let rows = app.accounts_with_codes(1).await?;
    let row = rows.first().context("no account row")?;
    ensure!(row.name == totp, "{rows:?}");
    ensure!(
        app.exists(&format!("{group} [data-testid=account]"))
            .await?,
        "the account is not in the group"
    );
    // Its code is the server's.
    let code = row.code.clone().context("no code shown")?;
    ensure!(
        pi.validate(&totp, &code).await?,
        "the code on screen was refused"
    );
    app.screenshot(&shots::dir()?.join("container-group.png"))
        .await?;

    // A login to the push token that came by sync: one tap lets it through.
    let (transaction, _) = pi.trigger(&push).await?;
    app.wait_for_push_prompt().await?;
    assert_eq!(app.answer_push(true).await?, "accepted");
    assert_eq!(
        pi.check(&push, &transaction).await?.authentication,
        "ACCEPT"
    );
    app.quit().await?;
    Ok(())
}
