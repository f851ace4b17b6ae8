//! The screens fit a 390×844 phone and an 800×600 desktop window: nothing runs off the side.
//! Screenshots of each land in target/screenshots/ for people to look at.

use anyhow::{Result, ensure};
use pocket_tests::app::screenshot_dir;
use pocket_tests::{AppDriver, Desktop, serial};

const DEMO: &str = "otpauth://totp/Example%20Service:someone.with.a.long.address@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example%20Service";

#[tokio::test]
async fn every_screen_fits_a_phone_and_a_small_desktop_window() -> Result<()> {
    let _serial = serial().await;
    let desktop = Desktop::start()?;
    let driver = AppDriver::start(&desktop)?;
    let app = driver.launch().await?;
    app.add_account_uri(DEMO).await?;
    app.single_account_with_code().await?;
    let dir = screenshot_dir()?;

    for (width, height) in [(390, 844), (800, 600)] {
        app.resize(width, height).await?;
        for screen in ["home", "scan", "link", "key", "delete", "edit", "transfer"] {
            app.show(screen).await?;
            let (content, viewport) = app.widths().await?;
            app.screenshot(&dir.join(format!("{screen}-{width}x{height}.png")))
                .await?;
            ensure!(
                content <= viewport,
                "{screen} at {width}×{height}: {content}px wide in {viewport}px"
            );
        }
    }
    app.quit().await?;
    Ok(())
}
