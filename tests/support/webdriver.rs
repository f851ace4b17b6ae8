//! The one way the harness speaks WebDriver, to the app's window and to Chromium alike:
//! every request has a deadline, and a request or a wait that runs out fails with the step,
//! what it waited for, and a picture of the screen. (fantoccini itself sets no timeout on a
//! request, and checks its own waits only between requests, so one request that never comes
//! back would hold a test for ever.)
#![allow(clippy::disallowed_types)] // the home of fantoccini's client and elements

use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use serde_json::Value;

pub use fantoccini::actions;

use super::deadline::{self, Look};
use super::error::HarnessError;
use super::report;

/// How long WebDriver may take.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Opening a session: for the app, starting it and its webview.
    pub connect: Duration,
    /// Any one request.
    pub request: Duration,
    /// How long a page object waits for something to show, unless told otherwise.
    pub wait: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            connect: Duration::from_secs(60),
            request: Duration::from_secs(30),
            wait: Duration::from_secs(15),
        }
    }
}

/// A WebDriver session with deadlines.
#[derive(Clone)]
pub struct Driver {
    client: Client,
    limits: Limits,
    /// The X display the window is on, for pictures even when WebDriver does not answer.
    display: Option<String>,
}

impl Driver {
    /// Opens a session at `url` asking for `capabilities`.
    pub async fn connect(
        url: &str,
        capabilities: serde_json::Map<String, Value>,
        limits: Limits,
        display: Option<String>,
    ) -> Result<Driver> {
        // Two TLS providers are linked in (reqwest's and fantoccini's); pick one, once.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let connect = async {
            ClientBuilder::rustls()?
                .capabilities(capabilities)
                .connect(url)
                .await
                .with_context(|| format!("cannot open a WebDriver session at {url}"))
        };
        let step = format!("WebDriver new session at {url}");
        let client = match tokio::time::timeout(limits.connect, connect).await {
            Ok(client) => client?,
            Err(_) => {
                return Err(HarnessError::NoAnswer {
                    screenshot: picture_of(display.as_deref(), None, &step, limits.request).await,
                    step,
                    limit: limits.connect,
                }
                .into());
            }
        };
        Ok(Driver {
            client,
            limits,
            display,
        })
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Ends the session (for the app: closes the window, and the app ends).
    pub async fn close(self) -> Result<()> {
        let client = self.client.clone();
        self.request("close the session".into(), client.close())
            .await
    }

    /// `call`, the request for `step`, within the request limit.
    async fn request<T>(
        &self,
        step: String,
        call: impl Future<Output = Result<T, CmdError>>,
    ) -> Result<T> {
        match tokio::time::timeout(self.limits.request, call).await {
            Ok(result) => result.with_context(|| format!("WebDriver {step}")),
            Err(_) => Err(self.no_answer(&step).await),
        }
    }

    /// Chromium's own DevTools command `cmd` with `params`, through chromedriver (its
    /// `goog/cdp/execute` extension); what the command returns.
    pub async fn chromium_devtools(&self, cmd: &str, params: Value) -> Result<Value> {
        let command = DevToolsCommand {
            cmd: cmd.to_string(),
            params,
        };
        self.request(format!("DevTools {cmd}"), self.client.issue_cmd(command))
            .await
    }

    /// The failure of a request for `step` that did not come back in time.
    async fn no_answer(&self, step: &str) -> anyhow::Error {
        let step = format!("WebDriver {step}");
        HarnessError::NoAnswer {
            screenshot: self.picture(&step).await,
            step,
            limit: self.limits.request,
        }
        .into()
    }

    /// A picture of the screen for a failure of `step`: of the whole display when there is
    /// one (that works when WebDriver does not), else WebDriver's own of the page.
    async fn picture(&self, step: &str) -> Option<PathBuf> {
        picture_of(
            self.display.as_deref(),
            Some(&self.client),
            step,
            self.limits.request,
        )
        .await
    }

    /// Looks with `check` until it is done, within `limit`; fails with a picture.
    pub async fn eventually<T, F, Fut>(&self, what: &str, limit: Duration, check: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Look<T>>>,
    {
        let error = match deadline::eventually(what, limit, check).await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        // A wait of this page's that ran out gets a picture; errors from inside a look keep
        // the context they came with.
        match error.downcast_ref::<HarnessError>() {
            Some(HarnessError::NeverHeld {
                what, limit, last, ..
            }) if error.chain().count() == 1 => Err(HarnessError::NeverHeld {
                screenshot: self.picture(what).await,
                what: what.clone(),
                limit: *limit,
                last: last.clone(),
            }
            .into()),
            _ => Err(error),
        }
    }

    /// What matches `css` now, if anything.
    pub async fn find(&self, css: &str) -> Result<Option<Node>> {
        let step = format!("find `{css}`");
        match tokio::time::timeout(self.limits.request, self.client.find(Locator::Css(css))).await {
            Ok(Ok(element)) => Ok(Some(self.node(element, css))),
            Ok(Err(error)) if error.is_no_such_element() => Ok(None),
            Ok(Err(error)) => Err(error).with_context(|| format!("WebDriver {step}")),
            Err(_) => Err(self.no_answer(&step).await),
        }
    }

    /// Everything that matches `css` now.
    pub async fn find_all(&self, css: &str) -> Result<Vec<Node>> {
        let found = self
            .request(
                format!("find all `{css}`"),
                self.client.find_all(Locator::Css(css)),
            )
            .await?;
        Ok(found.into_iter().map(|e| self.node(e, css)).collect())
    }

    /// What matches `css`, once something does (within the wait limit).
    pub async fn wait_for(&self, css: &str) -> Result<Node> {
        self.wait_for_within(css, self.limits.wait).await
    }

    pub async fn wait_for_within(&self, css: &str, limit: Duration) -> Result<Node> {
        self.eventually(&format!("something to match `{css}`"), limit, || async {
            Ok(Look::found(self.find(css).await?, || {
                "nothing matched".into()
            }))
        })
        .await
    }

    /// Runs `script` in the page with `args`; what it returns.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.request(
            format!("script `{}`", first_words(script)),
            self.client.execute(script, args),
        )
        .await
    }

    /// Runs `script`, which calls its last argument with the result, in the page.
    pub async fn execute_async(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.request(
            format!("async script `{}`", first_words(script)),
            self.client.execute_async(script, args),
        )
        .await
    }

    /// A PNG of the page.
    pub async fn screenshot(&self) -> Result<Vec<u8>> {
        self.request("screenshot".into(), self.client.screenshot())
            .await
    }

    pub async fn set_window_size(&self, width: u32, height: u32) -> Result<()> {
        self.request(
            format!("set the window to {width}×{height}"),
            self.client.set_window_size(width, height),
        )
        .await
    }

    /// Sends input `actions` (keys, a mouse, a finger); `what` names them for a failure.
    pub async fn perform_actions(
        &self,
        what: &str,
        actions: impl Into<actions::Actions>,
    ) -> Result<()> {
        self.request(
            format!("actions: {what}"),
            self.client.perform_actions(actions),
        )
        .await
    }

    pub async fn goto(&self, url: &str) -> Result<()> {
        self.request(format!("go to {url}"), self.client.goto(url))
            .await
    }

    pub async fn current_url(&self) -> Result<reqwest::Url> {
        self.request("current address".into(), self.client.current_url())
            .await
    }

    fn node(&self, element: Element, css: &str) -> Node {
        Node {
            element,
            driver: self.clone(),
            css: css.to_string(),
        }
    }
}

/// An element of the page, found by `css`, with deadlines on everything asked of it.
pub struct Node {
    element: Element,
    driver: Driver,
    css: String,
}

impl Node {
    pub async fn click(&self) -> Result<()> {
        self.driver
            .request(format!("click `{}`", self.css), self.element.click())
            .await
    }

    pub async fn text(&self) -> Result<String> {
        self.driver
            .request(format!("text of `{}`", self.css), self.element.text())
            .await
    }

    pub async fn attr(&self, name: &str) -> Result<Option<String>> {
        self.driver
            .request(
                format!("attribute {name} of `{}`", self.css),
                self.element.attr(name),
            )
            .await
    }

    pub async fn prop(&self, name: &str) -> Result<Option<String>> {
        self.driver
            .request(
                format!("property {name} of `{}`", self.css),
                self.element.prop(name),
            )
            .await
    }

    pub async fn send_keys(&self, text: &str) -> Result<()> {
        self.driver
            .request(
                format!("type into `{}`", self.css),
                self.element.send_keys(text),
            )
            .await
    }

    pub async fn clear(&self) -> Result<()> {
        self.driver
            .request(format!("clear `{}`", self.css), self.element.clear())
            .await
    }

    pub async fn is_enabled(&self) -> Result<bool> {
        self.driver
            .request(
                format!("is `{}` enabled", self.css),
                self.element.is_enabled(),
            )
            .await
    }

    pub async fn is_displayed(&self) -> Result<bool> {
        self.driver
            .request(
                format!("is `{}` shown", self.css),
                self.element.is_displayed(),
            )
            .await
    }

    /// What matches `css` inside this element, if anything.
    pub async fn find(&self, css: &str) -> Result<Option<Node>> {
        let step = format!("find `{css}` in `{}`", self.css);
        let found = tokio::time::timeout(
            self.driver.limits.request,
            self.element.find(Locator::Css(css)),
        )
        .await;
        match found {
            Ok(Ok(element)) => Ok(Some(self.driver.node(element, css))),
            Ok(Err(error)) if error.is_no_such_element() => Ok(None),
            Ok(Err(error)) => Err(error).with_context(|| format!("WebDriver {step}")),
            Err(_) => Err(self.driver.no_answer(&step).await),
        }
    }

    /// The element as an argument to a script.
    pub fn as_argument(&self) -> Result<Value> {
        Ok(serde_json::to_value(&self.element)?)
    }

    /// The element as a pointer action's target.
    pub fn element(&self) -> Element {
        self.element.clone()
    }
}

/// A picture for a failure of `step`: the whole `display` when there is one, else `client`'s
/// picture of the page (which a WebDriver that stopped answering cannot give: that try ends
/// after `limit`, at most 5 s).
async fn picture_of(
    display: Option<&str>,
    client: Option<&Client>,
    step: &str,
    limit: Duration,
) -> Option<PathBuf> {
    let path = report::picture_path(&report::report_dir().ok()?, step).ok()?;
    if let Some(display) = display {
        return report::picture_of_display(display, &path).ok();
    }
    let client = client?;
    let png = tokio::time::timeout(limit.min(Duration::from_secs(5)), client.screenshot())
        .await
        .ok()?
        .ok()?;
    std::fs::write(&path, png).ok()?;
    Some(path)
}

/// The start of a script, on one line, to name it in a failure.
fn first_words(script: &str) -> String {
    let line: String = script.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

/// chromedriver's route to Chromium's DevTools protocol.
#[derive(Debug)]
struct DevToolsCommand {
    cmd: String,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for DevToolsCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}
