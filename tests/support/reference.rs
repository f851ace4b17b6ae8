//! The reference login service as users run it: `pocket-gen serve` in a process of its own on
//! a free loopback port with a fresh database, and a scripted browser session for benchmarks
//! and load tests (the Chromium tests use a real browser instead).

use std::time::Duration;

use anyhow::{Context, Result, bail};
use reqwest::redirect::Policy;
use serde_json::Value;

use super::app::workspace_binary;
use super::process::{Guarded, piped};

pub struct ReferenceService {
    /// Where browsers go, such as `http://127.0.0.1:40123/`.
    pub base: String,
    /// Where it listens; the same as `base` unless it was started with `--public-url`.
    pub listening: std::net::SocketAddr,
    pub demo_email: String,
    pub demo_password: String,
    process: Guarded,
    _dir: tempfile::TempDir,
}

impl ReferenceService {
    /// Starts `pocket-gen serve` with `options` (such as `--no-number-matching`).
    pub fn start(options: &[&str]) -> Result<ReferenceService> {
        let dir = tempfile::tempdir()?;
        let db = dir.path().join("service.sqlite");
        let mut command = std::process::Command::new(workspace_binary("pocket-gen")?);
        command
            .args(["serve", "--listen", "127.0.0.1:0", "--db"])
            .arg(&db)
            .args(options);
        let mut process = Guarded::spawn("pocket-gen serve", piped(&mut command))?;
        let lines = process.lines(2, Duration::from_secs(30))?;
        // "New database …: log in as EMAIL with password PASSWORD"
        let credentials = lines[0]
            .split_once("log in as ")
            .and_then(|(_, rest)| rest.split_once(" with password "))
            .with_context(|| format!("no demo user in {:?}", lines[0]))?;
        // "Pocket reference service: http://127.0.0.1:PORT/login (listening on 127.0.0.1:PORT; …"
        let base = lines[1]
            .split_whitespace()
            .find(|word| word.starts_with("http://") || word.starts_with("https://"))
            .and_then(|url| url.strip_suffix("login"))
            .with_context(|| format!("no address in {:?}", lines[1]))?
            .to_string();
        let listening = lines[1]
            .split_once("listening on ")
            .and_then(|(_, rest)| rest.split(';').next())
            .and_then(|address| address.parse().ok())
            .with_context(|| format!("no listening address in {:?}", lines[1]))?;
        Ok(ReferenceService {
            base,
            listening,
            demo_email: credentials.0.to_string(),
            demo_password: credentials.1.to_string(),
            process,
            _dir: dir,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path.trim_start_matches('/'))
    }

    pub fn db_path(&self) -> std::path::PathBuf {
        self._dir.path().join("service.sqlite")
    }

    /// The service process's peak resident memory so far (VmHWM), in KiB.
    pub fn peak_memory_kib(&self) -> Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.process.id()))?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kib| kib.parse().ok())
            .context("no VmHWM in /proc")
    }
}

/// A browser as a script: one cookie jar, no redirects followed, the CSRF token read from
/// the forms.
pub struct WebSession {
    http: reqwest::Client,
    base: String,
    /// The waiting page's status address (with its login secret), once a login waits.
    status_url: std::sync::Mutex<Option<String>>,
    /// The number the waiting page asks the user to pick in Pocket, when it shows one.
    waiting_number: std::sync::Mutex<Option<String>>,
}

impl WebSession {
    pub fn new(service: &ReferenceService) -> Result<WebSession> {
        WebSession::at(&service.base)
    }

    /// A session with the service at `base`.
    pub fn at(base: &str) -> Result<WebSession> {
        WebSession::with(base, |builder| builder)
    }

    /// A session whose HTTP client `adjust` changes (a CA to trust, a name to resolve).
    pub fn with(
        base: &str,
        adjust: impl FnOnce(reqwest::ClientBuilder) -> reqwest::ClientBuilder,
    ) -> Result<WebSession> {
        let builder = super::http::builder()
            .cookie_store(true)
            .redirect(Policy::none());
        Ok(WebSession {
            http: adjust(builder).build()?,
            base: base.to_string(),
            status_url: std::sync::Mutex::new(None),
            waiting_number: std::sync::Mutex::new(None),
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path.trim_start_matches('/'))
    }

    async fn csrf(&self, page: &str) -> Result<String> {
        let html = self.http.get(self.url(page)).send().await?.text().await?;
        Ok(between(&html, "name=\"csrf\" value=\"", "\"")?.to_string())
    }

    /// Submits the login form; returns where the service sends the browser next.
    pub async fn log_in(&self, email: &str, password: &str) -> Result<String> {
        let csrf = self.csrf("/login").await?;
        self.submit_login(email, password, &csrf).await
    }

    /// The login page's CSRF token, for timing the submission alone.
    pub async fn open_login(&self) -> Result<String> {
        self.csrf("/login").await
    }

    pub async fn submit_login(&self, email: &str, password: &str, csrf: &str) -> Result<String> {
        let reply = self
            .http
            .post(self.url("/login"))
            .form(&[("email", email), ("password", password), ("csrf", csrf)])
            .send()
            .await?;
        if !reply.status().is_redirection() {
            bail!("the login was refused: HTTP {}", reply.status());
        }
        let next = reply
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or_default()
            .to_string();
        if next == "/login/wait" {
            // Only the page the browser was sent to knows how to ask for the login's state.
            let page = self.http.get(self.url(&next)).send().await?.text().await?;
            let status = between(&page, "data-status-url=\"", "\"")?.replace("&amp;", "&");
            *self.status_url.lock().unwrap_or_else(|e| e.into_inner()) = Some(status);
            *self
                .waiting_number
                .lock()
                .unwrap_or_else(|e| e.into_inner()) =
                between(&page, "data-testid=\"number\">", "<")
                    .ok()
                    .map(str::to_string);
        }
        Ok(next)
    }

    /// "Switch to Pocket" on the security page; returns the enrollment link it shows.
    pub async fn start_pairing(&self) -> Result<String> {
        let csrf = self.csrf("/security").await?;
        let html = self
            .http
            .post(self.url("/security/pair"))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await?
            .text()
            .await?;
        let link = between(&html, "data-testid=\"enrollment-link\">", "<")?;
        Ok(link.replace("&amp;", "&"))
    }

    /// The number the last waiting page showed for number matching.
    pub fn waiting_number(&self) -> Option<String> {
        self.waiting_number
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The waiting page's view of the login: waiting, accepted, rejected or expired.
    pub async fn login_state(&self) -> Result<String> {
        let status = self
            .status_url
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .context("no login is waiting")?;
        let reply: Value = self
            .http
            .get(self.url(&status))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        reply["state"]
            .as_str()
            .map(str::to_string)
            .context("no state in the status reply")
    }
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Result<&'a str> {
    let from = text
        .find(start)
        .with_context(|| format!("{start:?} is not on the page"))?
        + start.len();
    Ok(text[from..].split(end).next().unwrap_or_default())
}
