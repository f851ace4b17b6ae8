//! The page object's backup chores: Settings → Backups, the home screen's banner, restoring,
//! and the Google transfer codes of the export screen.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};

use super::app::App;
use super::deadline::Look;
use super::desktop::Desktop;

const WAIT: Duration = Duration::from_secs(20);
/// More transfer codes than any test's accounts fill.
const MOST_CODES: usize = 50;

impl App {
    pub async fn open_settings(&self) -> Result<()> {
        self.click("[data-testid=open-settings]").await?;
        // The sections appear together once the statuses are read; the theme is the first.
        self.wait_for("[data-testid=settings-screen] [data-testid=settings-theme]")
            .await?;
        Ok(())
    }

    pub async fn close_settings(&self) -> Result<()> {
        self.click("[data-testid=settings-screen] [data-testid=back]")
            .await?;
        self.wait_for("[data-testid=add-account]").await?;
        Ok(())
    }

    /// Chooses `folder` for backups in the system's folder dialog; waits until Settings
    /// shows it.
    pub async fn choose_backup_folder(&self, desktop: &Desktop, folder: &Path) -> Result<()> {
        self.click_for_dialog(
            desktop,
            "[data-testid=backup-choose-folder]",
            "Where Pocket keeps its backups",
        )
        .await?;
        desktop
            .answer_folder_dialog("Where Pocket keeps its backups", folder)
            .await?;
        let want = folder.display().to_string();
        self.wait_for_attr("[data-testid=backup-folder]", "data-path", |p| p == want)
            .await
            .map(|_| ())
    }

    /// Sets (or changes) the backup password; waits until Settings says one is set.
    pub async fn set_backup_password(&self, password: &str) -> Result<()> {
        self.click("[data-testid=backup-password-open]").await?;
        for field in ["backup-password", "backup-repeat"] {
            let input = self.wait_for(&format!("[data-testid={field}]")).await?;
            input.clear().await?;
            input.send_keys(password).await?;
        }
        self.click("[data-testid=backup-password-save]").await?;
        self.wait_for("[data-testid=backup-password-open]").await?;
        self.wait_for_attr(
            "[data-testid=backup-password-state]",
            "data-has-password",
            |v| v == "true",
        )
        .await
        .map(|_| ())
    }

    /// Turns automatic backups on; returns once the first one is recorded (its time, Unix ms).
    pub async fn turn_backups_on(&self) -> Result<u64> {
        self.click("[data-testid=backup-enabled]").await?;
        self.last_backup_after(0).await
    }

    /// Waits until Settings shows a backup newer than `after_ms`; returns its time.
    pub async fn last_backup_after(&self, after_ms: u64) -> Result<u64> {
        let shown = self
            .wait_for_attr("[data-testid=backup-last]", "data-ok-at", |v| {
                v.parse::<u64>().is_ok_and(|at| at > after_ms)
            })
            .await?;
        Ok(shown.parse()?)
    }

    /// The error code the home screen's backup banner shows, once it shows one.
    pub async fn backup_banner(&self) -> Result<String> {
        self.wait_for("[data-testid=backup-banner]")
            .await?
            .attr("data-error-code")
            .await?
            .context("a banner without its error")
    }

    /// Restores the backup at `path` from Settings, with `password`: returns the accounts
    /// the preview listed, then imports them.
    pub async fn restore(
        &self,
        desktop: &Desktop,
        path: &Path,
        password: &str,
    ) -> Result<Vec<String>> {
        self.click_for_dialog(
            desktop,
            "[data-testid=restore-choose]",
            "Restore from a backup",
        )
        .await?;
        desktop
            .answer_file_dialog("Restore from a backup", path)
            .await?;
        let field = self.wait_for("[data-testid=restore-password]").await?;
        field.send_keys(password).await?;
        self.click("[data-testid=restore-preview]").await?;
        self.wait_for("[data-testid=restore-preview-list]").await?;
        let mut listed = Vec::new();
        for item in self
            .driver
            .find_all("[data-testid=restore-account]")
            .await?
        {
            listed.push(item.text().await?);
        }
        self.click("[data-testid=restore-submit]").await?;
        Ok(listed)
    }

    /// Shows the Google transfer codes on the export screen; returns each code's picture
    /// (a PNG of the window, as the screen shows it), the "n of N" captions, and the
    /// accounts listed as not in the codes.
    pub async fn google_transfer_codes(&self) -> Result<GoogleCodesShown> {
        self.click("[data-testid=google-export-show]").await?;
        let mut shown = GoogleCodesShown::default();
        loop {
            anyhow::ensure!(
                shown.pictures.len() < MOST_CODES,
                "Next was still enabled after {MOST_CODES} codes"
            );
            let index = shown.pictures.len().to_string();
            // The picture on screen is the one after the last: "Next" re-renders it.
            self.wait_for_attr("[data-testid=google-export-code]", "data-index", |i| {
                i == index
            })
            .await?;
            self.wait_until_images_load().await?;
            // The whole window, as a camera pointed at it would see it.
            let picture = self.driver.screenshot().await?;
            shown.pictures.push(picture);
            shown.captions.push(
                self.wait_for("[data-testid=google-export-position]")
                    .await?
                    .text()
                    .await?,
            );
            let next = self.wait_for("[data-testid=google-export-next]").await?;
            if next.attr("disabled").await?.is_some() {
                break;
            }
            next.click().await?;
        }
        for item in self
            .driver
            .find_all("[data-testid=google-export-skipped]")
            .await?
        {
            shown.skipped.push(item.text().await?);
        }
        Ok(shown)
    }

    /// Waits until every picture on the screen is decoded and laid out.
    pub async fn wait_until_images_load(&self) -> Result<()> {
        self.eventually("the pictures to load", WAIT, || async {
            let loaded = self
                .run_script(
                    "return [...document.images].every(i => i.complete && i.naturalWidth > 0);",
                )
                .await?;
            Ok(Look::when(loaded.as_bool() == Some(true), || {
                "some are still loading".into()
            }))
        })
        .await
    }

    /// Waits until `css` has `attribute` and `accept` takes its value; returns the value.
    pub async fn wait_for_attr(
        &self,
        css: &str,
        attribute: &str,
        accept: impl Fn(&str) -> bool,
    ) -> Result<String> {
        let what = format!("`{css}` [{attribute}] to take a wanted value");
        self.eventually(&what, WAIT, || async {
            let value = match self.driver.find(css).await? {
                Some(element) => element.attr(attribute).await?,
                None => None,
            };
            Ok(match value {
                Some(value) if accept(&value) => Look::Done(value),
                other => Look::NotYet(format!("{other:?}")),
            })
        })
        .await
    }
}

/// The Google transfer codes as the export screen showed them.
#[derive(Debug, Default)]
pub struct GoogleCodesShown {
    pub pictures: Vec<Vec<u8>>,
    pub captions: Vec<String>,
    pub skipped: Vec<String>,
}
