//! A real Chromium (headless, driven by chromedriver over WebDriver) for the reference
//! service's pages, with a page object in the user's terms.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use serde_json::json;

use super::desktop::Desktop;
use super::process::{Guarded, free_port, wait_until};

const WAIT: Duration = Duration::from_secs(15);

pub struct Browser {
    client: Client,
    _driver: Guarded,
}

impl Browser {
    /// A fresh headless Chromium profile, `width`×`height`, asking for `language` pages.
    pub async fn start(width: u32, height: u32, language: &str) -> Result<Browser> {
        let command = std::process::Command::new("chromedriver");
        let args = vec![
            "--headless=new".to_string(),
            format!("--window-size={width},{height}"),
        ];
        Browser::launch(command, args, language).await
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
        Browser::launch(command, args, "en").await
    }

    async fn launch(
        mut command: std::process::Command,
        window_args: Vec<String>,
        language: &str,
    ) -> Result<Browser> {
        let port = free_port()?;
        command
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let driver = Guarded::spawn("chromedriver", &mut command)?;
        wait_until("chromedriver to listen", WAIT, || {
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
        })?;
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
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = ClientBuilder::rustls()?
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .context("cannot open a WebDriver session in Chromium")?;
        Ok(Browser {
            client,
            _driver: driver,
        })
    }

    pub async fn quit(self) -> Result<()> {
        self.client.close().await?;
        Ok(())
    }

    pub async fn go(&self, url: &str) -> Result<()> {
        self.client.goto(url).await?;
        Ok(())
    }

    pub async fn path(&self) -> Result<String> {
        Ok(self.client.current_url().await?.path().to_string())
    }

    pub async fn wait_for(&self, css: &str) -> Result<Element> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("nothing matched {css} within {WAIT:?}"))
    }

    /// Waits until something matching `css` is visible (not `hidden`).
    pub async fn wait_visible(&self, css: &str) -> Result<Element> {
        self.wait_visible_within(css, WAIT).await
    }

    pub async fn wait_visible_within(&self, css: &str, timeout: Duration) -> Result<Element> {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await
                && element.is_displayed().await.unwrap_or(false)
            {
                return Ok(element);
            }
            if std::time::Instant::now() > deadline {
                bail!("{css} was not shown within {timeout:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn text(&self, css: &str) -> Result<String> {
        Ok(self.wait_for(css).await?.text().await?)
    }

    pub async fn exists(&self, css: &str) -> Result<bool> {
        Ok(self.client.find(Locator::Css(css)).await.is_ok())
    }

    pub async fn click(&self, css: &str) -> Result<()> {
        self.wait_for(css)
            .await?
            .click()
            .await
            .with_context(|| format!("click {css}"))
    }

    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let field = self.wait_for(css).await?;
        field.clear().await?;
        field.send_keys(text).await?;
        Ok(())
    }

    /// Waits until the browser is on `path`.
    pub async fn wait_for_path(&self, path: &str) -> Result<()> {
        let deadline = std::time::Instant::now() + WAIT;
        while self.path().await? != path {
            if std::time::Instant::now() > deadline {
                bail!("still on {} instead of {path}", self.path().await?);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
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
        self.client
            .execute(
                "document.querySelectorAll('input[name=csrf]').forEach(i => i.value = 'forged');",
                vec![],
            )
            .await?;
        Ok(())
    }

    pub async fn screenshot(&self, path: &Path) -> Result<()> {
        std::fs::write(path, self.client.screenshot().await?)?;
        Ok(())
    }
}
