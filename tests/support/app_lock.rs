//! The app lock, Settings and the clock banner as a user meets them in the real window.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use super::app::App;
use super::deadline::Look;

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
        self.wait_for(&format!("[data-testid={testid}]")).await?;
        let script = r#"
            const select = document.querySelector(`[data-testid=${arguments[0]}]`);
            select.value = arguments[1];
            select.dispatchEvent(new Event('change', { bubbles: true }));
            return select.value;"#;
        let chosen = self
            .driver
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
        self.eventually("the passcode to be answered", WAIT, || async {
            let answered = self
                .run_script(
                    "const field = document.querySelector('[data-testid=lock-passcode]');
                     return !field || (field.value === '' && !field.disabled);",
                )
                .await?;
            Ok(Look::when(answered == json!(true), || {
                "the field still holds it".into()
            }))
        })
        .await
    }

    /// The page's visible text: what a person looking at the window could read.
    pub async fn visible_text(&self) -> Result<String> {
        let text = self.run_script("return document.body.innerText;").await?;
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
            .driver
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
        let banner = self
            .driver
            .wait_for_within("[data-testid=clock-banner]", WAIT * 2)
            .await?;
        banner
            .attr("data-offset-ms")
            .await?
            .and_then(|s| s.parse().ok())
            .context("the banner has no offset")
    }

    /// Sets the window's theme through Settings (Settings is open).
    pub async fn choose_theme(&self, theme: &str) -> Result<()> {
        self.choose("settings-theme", theme).await?;
        self.wait_for_theme(theme).await
    }

    /// Puts the theme on the page the way Settings applies it (the `data-theme` attribute),
    /// for a screen that lies over Settings.
    pub async fn force_theme(&self, theme: &str) -> Result<()> {
        self.driver
            .execute(
                "document.documentElement.dataset.theme = arguments[0];",
                vec![json!(theme)],
            )
            .await?;
        self.wait_for_theme(theme).await
    }

    async fn wait_for_theme(&self, theme: &str) -> Result<()> {
        let want = if theme == "dark" { "dark" } else { "light" };
        self.eventually(&format!("the {want} theme"), WAIT, || async {
            let now = self
                .run_script("return document.documentElement.dataset.theme;")
                .await?;
            Ok(Look::when(now == json!(want), || {
                format!("the theme is {now}")
            }))
        })
        .await
    }
}

impl App {
    pub async fn wait_for_lock_screen_within(&self, most: Duration) -> Result<()> {
        self.wait_for_within("[data-testid=lock-screen]", most)
            .await
    }

    pub async fn wait_for_within(&self, css: &str, most: Duration) -> Result<()> {
        self.driver.wait_for_within(css, most).await?;
        Ok(())
    }
}

impl App {
    /// Waits until the toast says `message`.
    pub async fn wait_for_toast(&self, message: &str) -> Result<()> {
        let limit = Duration::from_secs(5);
        self.eventually(&format!("the toast {message:?}"), limit, || async {
            let shown = self
                .run_script(
                    "return document.querySelector('[data-testid=toast]')?.textContent ?? null;",
                )
                .await?;
            Ok(Look::when(shown.as_str() == Some(message), || {
                shown.to_string()
            }))
        })
        .await
    }

    /// Waits until no toast covers the window (they go by themselves), for a clean picture.
    pub async fn wait_for_no_toast(&self) -> Result<()> {
        self.wait_gone("[data-testid=toast]").await
    }
}
