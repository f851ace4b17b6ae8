//! A real Chromium (headless, driven by chromedriver over WebDriver) for the reference
//! service's pages, with a page object in the user's terms.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use serde_json::json;

use super::deadline::Look;
use super::desktop::Desktop;
use super::process::{Guarded, free_port, listening};
use super::webdriver::{Driver, Limits, Node};

const WAIT: Duration = Duration::from_secs(15);

pub struct Browser {
    driver: Driver,
    _chromedriver: Option<Guarded>,
}

impl Browser {
    /// A fresh headless Chromium profile, `width`×`height`, asking for `language` pages.
    pub async fn start(width: u32, height: u32, language: &str) -> Result<Browser> {
        Browser::start_with(width, height, language, Vec::new()).await
    }

    /// The same, with more of Chromium's switches (a fake camera, say).
    pub async fn start_with(
        width: u32,
        height: u32,
        language: &str,
        switches: Vec<String>,
    ) -> Result<Browser> {
        let command = std::process::Command::new("chromedriver");
        let mut args = vec![
            "--headless=new".to_string(),
            format!("--window-size={width},{height}"),
        ];
        args.extend(switches);
        Browser::launch(command, args, language, None).await
    }

    /// The WebDriver session, for what the page object does not say.
    pub fn driver(&self) -> &Driver {
        &self.driver
    }

    /// A visible Chromium window on `desktop`'s display at `x`,`y`, as a user would have one
    /// beside the app (which can then scan it off the screen).
    pub async fn start_on(
        desktop: &Desktop,
        place: (i32, i32),
        size: (u32, u32),
    ) -> Result<Browser> {
        let command = desktop.command("chromedriver");
        let args = vec![
            format!("--window-position={},{}", place.0, place.1),
            format!("--window-size={},{}", size.0, size.1),
            // Keep the session's keyring for Pocket alone.
            "--password-store=basic".to_string(),
        ];
        Browser::launch(command, args, "en", Some(desktop.display().to_string())).await
    }

    /// The page object over a WebDriver session already open in a browser.
    pub fn over(driver: Driver) -> Browser {
        Browser {
            driver,
            _chromedriver: None,
        }
    }

    async fn launch(
        mut command: std::process::Command,
        window_args: Vec<String>,
        language: &str,
        display: Option<String>,
    ) -> Result<Browser> {
        let port = free_port()?;
        command
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let chromedriver = Guarded::spawn("chromedriver", &mut command)?;
        listening("chromedriver", port, WAIT).await?;
        let mut args = vec![
            // Root in a container: Chromium's sandbox cannot start there.
            "--no-sandbox".to_string(),
            "--disable-gpu".to_string(),
            "--disable-dev-shm-usage".to_string(),
            "--no-first-run".to_string(),
            format!("--lang={language}"),
        ];
        args.extend(window_args);
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": "/usr/bin/chromium",
                "args": args,
                "prefs": { "intl.accept_languages": language },
            }),
        );
        let driver = Driver::connect(
            &format!("http://127.0.0.1:{port}"),
            capabilities,
            Limits::default(),
            display,
        )
        .await
        .context("cannot open a WebDriver session in Chromium")?;
        Ok(Browser {
            driver,
            _chromedriver: Some(chromedriver),
        })
    }

    pub async fn quit(self) -> Result<()> {
        self.driver.close().await
    }

    pub async fn go(&self, url: &str) -> Result<()> {
        self.driver.goto(url).await
    }

    pub async fn path(&self) -> Result<String> {
        Ok(self.driver.current_url().await?.path().to_string())
    }

    pub async fn wait_for(&self, css: &str) -> Result<Node> {
        self.driver.wait_for(css).await
    }

    /// Waits until something matching `css` is visible (not `hidden`).
    pub async fn wait_visible(&self, css: &str) -> Result<Node> {
        self.wait_visible_within(css, WAIT).await
    }

    pub async fn wait_visible_within(&self, css: &str, limit: Duration) -> Result<Node> {
        self.driver
            .eventually(&format!("`{css}` to be shown"), limit, || async {
                let Some(found) = self.driver.find(css).await? else {
                    return Ok(Look::NotYet("nothing matches".into()));
                };
                Ok(if found.is_displayed().await? {
                    Look::Done(found)
                } else {
                    Look::NotYet("it is hidden".into())
                })
            })
            .await
    }

    pub async fn text(&self, css: &str) -> Result<String> {
        self.wait_for(css).await?.text().await
    }

    pub async fn exists(&self, css: &str) -> Result<bool> {
        Ok(self.driver.find(css).await?.is_some())
    }

    pub async fn click(&self, css: &str) -> Result<()> {
        self.wait_for(css).await?.click().await
    }

    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let field = self.wait_for(css).await?;
        field.clear().await?;
        field.send_keys(text).await?;
        Ok(())
    }

    /// Waits until the browser is on `path`.
    pub async fn wait_for_path(&self, path: &str) -> Result<()> {
        self.driver
            .eventually(&format!("the browser to be on {path}"), WAIT, || async {
                let now = self.path().await?;
                Ok(Look::when(now == path, || format!("on {now}")))
            })
            .await
    }

    /// The login form: e-mail, password, submit.
    pub async fn log_in(&self, base: &str, email: &str, password: &str) -> Result<()> {
        self.go(&format!("{base}login")).await?;
        self.type_into("#email", email).await?;
        self.type_into("#password", password).await?;
        self.click("form button[type=submit]").await
    }

    pub async fn log_out(&self) -> Result<()> {
        self.click("form[action='/logout'] button").await?;
        self.wait_for_path("/login").await
    }

    /// Changes a form's hidden CSRF field, as a forged cross-site post would have it wrong.
    pub async fn spoil_csrf(&self) -> Result<()> {
        self.driver
            .execute(
                "document.querySelectorAll('input[name=csrf]').forEach(i => i.value = 'forged');",
                vec![],
            )
            .await?;
        Ok(())
    }

    pub async fn screenshot(&self, path: &Path) -> Result<()> {
        std::fs::write(path, self.driver.screenshot().await?)?;
        Ok(())
    }
}
