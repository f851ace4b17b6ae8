//! The app lock, Settings and the clock banner as a user meets them in the real window.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use super::app::App;

const WAIT: Duration = Duration::from_secs(15);

impl App {
    /// Types into the field `testid`, replacing what it held.
    pub async fn type_into(&self, testid: &str, text: &str) -> Result<()> {
        let field = self.wait_for(&format!("[data-testid={testid}]")).await?;
        field.clear().await?;
        field.send_keys(text).await?;
        Ok(())
    }

    /// Settings → Lock: sets `passcode` as the lock (Settings is open).
    pub async fn set_passcode(&self, passcode: &str) -> Result<()> {
        self.type_into("lock-new", passcode).await?;
        self.type_into("lock-repeat", passcode).await?;
        self.click("[data-testid=lock-save]").await?;
        self.wait_for("[data-testid=lock-state][data-lock=passcode]")
            .await?;
        Ok(())
    }

    /// Picks `value` in the `<select>` `testid`, as a user would.
    pub async fn choose(&self, testid: &str, value: &str) -> Result<()> {
        let script = r#"
            const select = document.querySelector(`[data-testid=${arguments[0]}]`);
            select.value = arguments[1];
            select.dispatchEvent(new Event('change', { bubbles: true }));
            return select.value;"#;
        let chosen = self
            .client
            .execute(script, vec![json!(testid), json!(value)])
            .await?;
        if chosen != json!(value) {
            bail!("{testid} has no choice {value}");
        }
        Ok(())
    }

    pub async fn wait_for_lock_screen(&self) -> Result<()> {
        self.wait_for("[data-testid=lock-screen]").await?;
        Ok(())
    }

    /// Types the passcode on the lock screen, presses Unlock, and waits for the answer: the
    /// field empties when the passcode was checked (wrong), the screen goes when it opened.
    pub async fn unlock_with(&self, passcode: &str) -> Result<()> {
        self.type_into("lock-passcode", passcode).await?;
        self.wait_for("[data-testid=lock-unlock]:enabled").await?;
        self.click("[data-testid=lock-unlock]").await?;
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let answered = self
                .client
                .execute(
                    "const field = document.querySelector('[data-testid=lock-passcode]');
                     return !field || (field.value === '' && !field.disabled);",
                    vec![],
                )
                .await?;
            if answered == json!(true) {
                return Ok(());
            }
            if std::time::Instant::now() > deadline {
                bail!("the passcode was not answered");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The page's visible text: what a person looking at the window could read.
    pub async fn visible_text(&self) -> Result<String> {
        let text = self
            .client
            .execute("return document.body.innerText;", vec![])
            .await?;
        Ok(text.as_str().unwrap_or_default().to_string())
    }

    /// Calls a command as the webview would, bypassing the UI; `Err` holds its error.
    pub async fn invoke(&self, command: &str, args: Value) -> Result<Result<Value, Value>> {
        let script = r#"
            const done = arguments[arguments.length - 1];
            window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then(
                (value) => done({ ok: value ?? null }),
                (error) => done({ err: error }),
            );"#;
        let reply = self
            .client
            .execute_async(script, vec![json!(command), args])
            .await?;
        match (reply.get("ok"), reply.get("err")) {
            (Some(value), _) => Ok(Ok(value.clone())),
            (_, Some(error)) => Ok(Err(error.clone())),
            _ => bail!("{command}: no answer"),
        }
    }

    /// The seconds the lock screen says to wait before the next try, once it says so.
    pub async fn lock_wait_seconds(&self) -> Result<u64> {
        let shown = self.wait_for("[data-testid=lock-wait]").await?;
        shown
            .attr("data-seconds")
            .await?
            .and_then(|s| s.parse().ok())
            .context("the wait has no seconds")
    }

    /// The clock banner's measured offset in milliseconds, once it shows.
    pub async fn clock_banner_offset_ms(&self) -> Result<i64> {
        let deadline = std::time::Instant::now() + WAIT * 2;
        loop {
            if self.exists("[data-testid=clock-banner]").await? {
                let banner = self.wait_for("[data-testid=clock-banner]").await?;
                return banner
                    .attr("data-offset-ms")
                    .await?
                    .and_then(|s| s.parse().ok())
                    .context("the banner has no offset");
            }
            if std::time::Instant::now() > deadline {
                bail!("no clock banner");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Sets the window's theme through Settings (Settings is open).
    pub async fn choose_theme(&self, theme: &str) -> Result<()> {
        self.choose("settings-theme", theme).await?;
        self.wait_for_theme(theme).await
    }

    /// Puts the theme on the page the way Settings applies it (the `data-theme` attribute),
    /// for a screen that lies over Settings.
    pub async fn force_theme(&self, theme: &str) -> Result<()> {
        self.client
            .execute(
                "document.documentElement.dataset.theme = arguments[0];",
                vec![json!(theme)],
            )
            .await?;
        self.wait_for_theme(theme).await
    }

    async fn wait_for_theme(&self, theme: &str) -> Result<()> {
        let deadline = std::time::Instant::now() + WAIT;
        let want = if theme == "dark" { "dark" } else { "light" };
        loop {
            let now = self
                .client
                .execute("return document.documentElement.dataset.theme;", vec![])
                .await?;
            if now == json!(want) {
                return Ok(());
            }
            if std::time::Instant::now() > deadline {
                bail!("the theme stayed {now}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl App {
    pub async fn wait_for_lock_screen_within(&self, most: Duration) -> Result<()> {
        self.wait_for_within("[data-testid=lock-screen]", most)
            .await
    }

    pub async fn wait_for_within(&self, css: &str, most: Duration) -> Result<()> {
        self.client
            .wait()
            .at_most(most)
            .for_element(fantoccini::Locator::Css(css))
            .await
            .with_context(|| format!("nothing matched {css} within {most:?}"))?;
        Ok(())
    }
}

impl App {
    /// Waits until no toast covers the window (they go by themselves), for a clean picture.
    pub async fn wait_for_no_toast(&self) -> Result<()> {
        let deadline = std::time::Instant::now() + WAIT;
        while self.exists("[data-testid=toast]").await? {
            if std::time::Instant::now() > deadline {
                bail!("a toast stayed on screen");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }
}
