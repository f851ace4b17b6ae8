//! Every screen fits phones, a tablet and a desktop window, at normal and at double text size,
//! with the data real users have: long names and addresses, an 8-digit code, Steam, HOTP, a
//! push token with its code account, a company's container group, and a number-matching
//! request. The window really takes each size (checked), nothing reaches past the viewport or
//! is cut off, and each screenshot is exactly the viewport. On a 390×844 phone seven accounts
//! show whole, and no name or address breaks inside a word. axe-core finds nothing serious on
//! any screen in either theme. The pictures land in target/screenshots/; the README's gallery
//! (390×844, light and dark) in docs/screenshots/ with `make screenshots`.

use anyhow::{Context, Result, ensure};
use pocket_tests::app::screenshot_dir;
use pocket_tests::deadline::Look;
use pocket_tests::privacyidea::PrivacyIdea;
use pocket_tests::reference::{ReferenceService, WebSession};
use pocket_tests::{App, AppDriver, Desktop, serial, shots};

const ACCOUNTS: [&str; 5] = [
    "otpauth://totp/GitHub:a.rather.long.username.for.testing@users.noreply.github.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
    "otpauth://totp/Contoso%20Corporation%20Single%20Sign-On:firstname.middlename.lastname@subsidiary.contoso-corporation.example?secret=KRSXG5CTMVRXEZLU&issuer=Contoso%20Corporation%20Single%20Sign-On",
    "otpauth://totp/Microsoft:someone.with.a.long.address@outlook.example?secret=GEZDGNBVGY3TQOJQ&issuer=Microsoft&digits=8",
    "otpauth://totp/Steam:gamer_name_2026?secret=MFRGGZDFMZTWQ2LK&issuer=Steam&encoder=steam",
    "otpauth://hotp/Example%20Savings%20Bank:customer-0012345678?secret=ONSWG4TFOQYTEMY2&issuer=Example%20Savings%20Bank&counter=0",
];

const SIZES: [(u32, u32); 4] = [(360, 780), (390, 844), (768, 1024), (800, 600)];
const TEXT_SIZES: [u32; 2] = [100, 200];
const SCREENS: [&str; 11] = [
    "home", "menu", "reorder", "scan", "link", "key", "delete", "edit", "transfer", "history",
    "settings",
];
/// The README's gallery: one phone size, both themes.
const GALLERY: (u32, u32) = (390, 844);
/// Light last, so the other pictures are in the light theme.
const THEMES: [&str; 2] = ["dark", "light"];

/// At the gallery's size, in each theme: axe-core on every screen, and its picture.
async fn audit_and_picture(app: &App, screens: &[&str]) -> Result<()> {
    let (width, height) = GALLERY;
    app.resize(width, height).await?;
    app.set_text_size(100).await?;
    for theme in THEMES {
        if screens == ["prompt"] {
            // The prompt lies over Settings: the theme goes on the page as Settings puts it.
            app.force_theme(theme).await?;
        } else {
            app.back_home().await?;
            app.open_settings().await?;
            app.choose_theme(theme).await?;
        }
        for screen in screens {
            if *screen != "prompt" {
                app.show(screen).await?;
            }
            app.ensure_accessible(&format!("{screen} in the {theme} theme"))
                .await?;
            app.screenshot_of_viewport(
                &shots::dir()?.join(format!("{screen}-{width}x{height}-{theme}.png")),
            )
            .await?;
        }
    }
    Ok(())
}

#[tokio::test]
async fn every_screen_fits_phones_tablets_and_desktops_at_both_text_sizes() -> Result<()> {
    let _serial = serial().await;
    let desktop = Desktop::start().await?;
    let service = ReferenceService::start(&[])?;
    let driver = AppDriver::start(&desktop).await?;
    let app = driver.launch().await?;

    // First run: one big area to scan with, and nothing serious for axe in either theme.
    ensure!(
        app.is_empty_state_shown().await?,
        "a fresh Pocket has no accounts"
    );
    audit_and_picture(&app, &["first-run"]).await?;
    app.click("[data-testid=tap-to-scan]").await?;
    app.wait_for("[data-testid=scan-panel] [data-testid=scan-screen]")
        .await?;
    app.back_home().await?;

    for uri in ACCOUNTS {
        app.add_account_uri(uri).await?;
        app.wait_for("[data-testid=add-account]").await?;
    }
    let web = WebSession::new(&service)?;
    web.log_in(&service.demo_email, &service.demo_password)
        .await?;
    app.add_account_uri(&web.start_pairing().await?).await?;
    app.wait_for("[data-testid=push-token]").await?;
    // The pairing's server offers a code account; once the user adds it, Pocket shows its
    // code and says to keep it.
    app.wait_for("[data-testid=paired-offer]").await?;
    app.click("[data-testid=paired-add]").await?;
    // Its code is the list's code for that account (read again if a period turned between).
    let limit = std::time::Duration::from_secs(5);
    let paired = app
        .eventually("the notice to show the account's code", limit, || async {
            let paired = app.paired_notice().await?;
            let rows = app.accounts().await?;
            let code_account = rows
                .iter()
                .find(|row| row.id == paired.account_id)
                .context("the paired code account is in the list")?;
            Ok(
                if paired.code.is_some() && paired.code == code_account.code {
                    Look::Done(paired)
                } else {
                    Look::NotYet(format!("{paired:?} vs {code_account:?}"))
                },
            )
        })
        .await?;
    ensure!(
        paired.keep == "Keep this account: you need its code when no login request arrives.",
        "{paired:?}"
    );
    audit_and_picture(&app, &["paired"]).await?;
    app.click("[data-testid=paired-done]").await?;
    app.wait_gone("[data-testid=paired]").await?;
    // A company's container, with a TOTP account in its group.
    let pi = PrivacyIdea::start().await?;
    pi.container_policy("container_client_rollover").await?;
    let container = pi.init_container().await?;
    let (totp, _) = pi.enroll_otp("totp").await?;
    pi.add_to_container(&container, &totp).await?;
    app.add_account_uri(&pi.registration_link(&container, None).await?)
        .await?;
    app.wait_for("[data-testid=container] [data-testid=account]")
        .await?;
    // Five accounts, the code account that came with the pairing, the container's one.
    let rows = app.accounts().await?;
    ensure!(rows.len() == 7, "seven accounts: {rows:?}");
    // The lock is offered once, above the list; a user who said "Not now" has the list at the
    // top, which is what these pictures are of (e2e_lock takes the offer).
    app.click("[data-testid=lock-offer-later]").await?;
    app.wait_gone("[data-testid=lock-offer]").await?;
    let dir = screenshot_dir()?;

    // Dense enough for thumbs: at the gallery's size seven accounts show whole; at either text
    // size no name or address breaks inside a word, and the end of the list clears the Add
    // button.
    app.resize(GALLERY.0, GALLERY.1).await?;
    app.show("home").await?;
    for text in TEXT_SIZES {
        app.set_text_size(text).await?;
        let broken = app.names_broken_mid_word().await?;
        ensure!(
            broken.is_empty(),
            "text {text}%: broken inside a word: {broken:?}"
        );
        let under = app.last_row_under_add_button().await?;
        ensure!(
            under <= 0.0,
            "text {text}%: the last row is {under} px under Add"
        );
    }
    app.set_text_size(100).await?;
    // Back at 100%, the engine may take a few frames under load to lay the rows out again:
    // one run measured six while the picture it took next showed seven.
    let limit = std::time::Duration::from_secs(10);
    let shown = app
        .eventually("seven accounts to show whole", limit, || async {
            let shown = app.accounts_wholly_shown().await?;
            Ok(if shown.len() >= 7 {
                Look::Done(shown)
            } else {
                Look::NotYet(format!("{shown:?}"))
            })
        })
        .await;
    if let Err(error) = shown {
        let picture = dir.join("home-density.png");
        app.screenshot_of_viewport(&picture).await?;
        anyhow::bail!("{error:#} at {GALLERY:?}: see {}", picture.display());
    }

    let walk = |screens: &'static [&'static str]| {
        let (app, dir) = (&app, &dir);
        async move {
            for (width, height) in SIZES {
                app.resize(width, height).await?;
                for screen in screens {
                    if *screen != "prompt" {
                        app.show(screen).await?;
                    }
                    for text in TEXT_SIZES {
                        app.set_text_size(text).await?;
                        let what = format!("{screen} at {width}×{height}, text {text}%");
                        // A picture only of what does not fit: the gallery has the rest.
                        if let Err(misfit) = app.ensure_fits(&what).await {
                            let picture =
                                dir.join(format!("{screen}-{width}x{height}-text{text}.png"));
                            app.screenshot_of_viewport(&picture).await?;
                            return Err(misfit.context(format!("see {}", picture.display())));
                        }
                    }
                }
            }
            anyhow::Ok(())
        }
    };
    walk(&SCREENS).await?;
    audit_and_picture(&app, &SCREENS).await?;

    // A login with number matching: the prompt, over everything, at every size.
    app.back_home().await?;
    let login = WebSession::new(&service)?;
    login
        .log_in(&service.demo_email, &service.demo_password)
        .await?;
    app.wait_for_push_prompt().await?;
    let choices = app.push_choices().await?;
    ensure!(
        choices.len() == 3,
        "three numbers to pick from: {choices:?}"
    );
    walk(&["prompt"]).await?;
    audit_and_picture(&app, &["prompt"]).await?;
    app.quit().await?;
    Ok(())
}
