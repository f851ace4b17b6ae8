//! The real Pocket window, driven over WebDriver (tauri-driver + WebKitWebDriver), and a page
//! object that speaks in the user's terms.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::json;

use super::deadline::Look;
use super::desktop::Desktop;
use super::process::{Guarded, free_port, listening};
use super::webdriver::{Driver, Limits, Node};

const WAIT: Duration = Duration::from_secs(15);
/// How long a launched app may take to show its first screen.
const FIRST_SCREEN: Duration = Duration::from_secs(45);

/// Whether the element (the first argument) moved or changed size within 150 ms.
const STAYS_PUT: &str = r#"
    const [element, done] = [arguments[0], arguments[arguments.length - 1]];
    const box = () => {
        const r = element.getBoundingClientRect();
        return [r.x, r.y, r.width, r.height].join();
    };
    const before = box();
    setTimeout(() => done(box() !== before), 150);
"#;

/// The app binary: `POCKET_APP`, else the workspace's debug build (built by `make test`).
pub fn app_binary() -> Result<PathBuf> {
    match std::env::var_os("POCKET_APP") {
        Some(path) => Ok(PathBuf::from(path)),
        None => workspace_binary("pocket"),
    }
}

/// A binary of this workspace's build (debug, or release when this is), such as `pocket-gen`.
pub fn workspace_binary(name: &str) -> Result<PathBuf> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    // The profile this harness was built with: optimised load tests run optimised tools.
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let binary = target.join(profile).join(name);
    if !binary.exists() {
        bail!(
            "{} is missing: build it first (`make test` does)",
            binary.display()
        );
    }
    Ok(binary.canonicalize()?)
}

/// tauri-driver, which starts WebKitWebDriver, which starts the app for each session.
pub struct AppDriver {
    url: String,
    display: String,
    limits: Limits,
    _driver: Guarded,
}

impl AppDriver {
    pub async fn start(desktop: &Desktop) -> Result<AppDriver> {
        AppDriver::start_with_env(desktop, &[]).await
    }

    /// The same, with the apps it starts seeing `env` too (the mock camera's switch, say).
    pub async fn start_with_env(desktop: &Desktop, env: &[(&str, &str)]) -> Result<AppDriver> {
        let (port, native_port) = (free_port()?, free_port()?);
        let program = tauri_driver_path();
        let mut command = desktop.command(&program);
        command.envs(env.iter().copied());
        command.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ]);
        let driver = Guarded::spawn("tauri-driver", &mut command)?;
        listening("tauri-driver", port, WAIT).await?;
        // tauri-driver starts WebKitWebDriver as it starts, and forwards a session request
        // to it at once: one sent before WebKitWebDriver listens fails (a slow stand-in for
        // it did so in the harness's own test).
        listening("WebKitWebDriver behind tauri-driver", native_port, WAIT).await?;
        Ok(AppDriver {
            url: format!("http://127.0.0.1:{port}"),
            display: desktop.display().to_string(),
            limits: Limits::default(),
            _driver: driver,
        })
    }

    /// The same driver, with other limits on WebDriver (the harness's own tests shorten them).
    pub fn with_limits(mut self, limits: Limits) -> AppDriver {
        self.limits = limits;
        self
    }

    /// Starts the app and opens a WebDriver session on its window.
    pub async fn launch(&self) -> Result<App> {
        self.launch_program(&app_binary()?).await
    }

    /// Starts the app with its clock `seconds` off (faketime; negative is behind), through a
    /// script in `dir` that the driver starts instead of the binary.
    pub async fn launch_with_clock_off(&self, seconds: i64, dir: &std::path::Path) -> Result<App> {
        use std::os::unix::fs::PermissionsExt;
        let script = dir.join("pocket-off-clock");
        std::fs::write(
            &script,
            format!(
                // Only the wall clock is off, as on a phone set wrong. Faking the monotonic
                // clock too is unrealistic, and libfaketime 0.9.10 is known to hang threads
                // that wait on it (its issue #469): the likely reason the app was now and
                // then seen blank, never started.
                "#!/bin/sh\nexport FAKETIME_DONT_FAKE_MONOTONIC=1\nexec faketime -f '{seconds:+}s' '{}' \"$@\"\n",
                app_binary()?.display()
            ),
        )?;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))?;
        self.launch_program(&script).await
    }

    async fn launch_program(&self, program: &std::path::Path) -> Result<App> {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "tauri:options".into(),
            json!({ "application": program.display().to_string() }),
        );
        let driver = Driver::connect(
            &self.url,
            capabilities,
            self.limits,
            Some(self.display.clone()),
        )
        .await
        .context("cannot open a WebDriver session on the app")?;
        let app = App::over(driver);
        // The first screen of a new profile, on a loaded machine: longer than later waits.
        app.driver
            .wait_for_within(
                "[data-testid=add-account], [data-testid=add-screen], [data-testid=lock-screen]",
                FIRST_SCREEN,
            )
            .await?;
        Ok(app)
    }
}

fn tauri_driver_path() -> String {
    let in_cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .map(|home| home.join("bin/tauri-driver"));
    match in_cargo_home {
        Some(path) if path.exists() => path.display().to_string(),
        _ => "tauri-driver".to_string(),
    }
}

/// One account as the home screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRow {
    pub id: String,
    pub issuer: String,
    pub name: String,
    /// The code without grouping, or None while none is shown.
    pub code: Option<String>,
    /// The code as displayed, grouped.
    pub shown: Option<String>,
}

/// An error as a form shows it: its stable code, the field it is about, and the words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormErrorShown {
    pub code: String,
    pub field: Option<String>,
    pub text: String,
}

pub struct App {
    pub(crate) driver: Driver,
}

impl App {
    /// The page object over a WebDriver session already open on the app's window.
    pub fn over(driver: Driver) -> App {
        App { driver }
    }

    /// Closes the window; the app process ends with the session.
    pub async fn quit(self) -> Result<()> {
        self.driver.close().await
    }

    pub async fn wait_for(&self, css: &str) -> Result<Node> {
        self.driver.wait_for(css).await
    }

    /// Clicks what matches `css` once it is there, brought to the middle of the window first
    /// as a user scrolls to it (WebDriver's own scrolling stops at the edge, where the
    /// floating Add button may lie over it).
    ///
    /// WebDriver clicks where the element was when it looked: a part of the page above that
    /// fills in a moment later (a status read at start) moves it, and the click lands on
    /// nothing. So the click waits until the element has stayed put for a moment.
    pub async fn click(&self, css: &str) -> Result<()> {
        let element = self.wait_for(css).await?;
        self.driver
            .execute(
                "arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });",
                vec![element.as_argument()?],
            )
            .await?;
        let argument = element.as_argument()?;
        self.driver
            .eventually(&format!("`{css}` to stay put"), WAIT, || async {
                let moved = self
                    .driver
                    .execute_async(STAYS_PUT, vec![argument.clone()])
                    .await?;
                Ok(Look::when(moved == json!(false), || moved.to_string()))
            })
            .await?;
        element.click().await
    }

    /// Clicks `css`, a control that opens the system's dialog titled `title`. A click can
    /// still land on nothing when the page moves just as it is sent; the app's controls are
    /// disabled while their dialog is asked for, so one still enabled with no dialog after a
    /// while was not clicked, and is clicked again.
    pub async fn click_for_dialog(&self, desktop: &Desktop, css: &str, title: &str) -> Result<()> {
        self.click(css).await?;
        if desktop
            .window_comes_up(title, Duration::from_secs(10))
            .await?
        {
            return Ok(());
        }
        let enabled = self
            .driver
            .execute(
                "const e = document.querySelector(arguments[0]); return e !== null && !e.disabled;",
                vec![json!(css)],
            )
            .await?;
        if enabled == json!(true) {
            eprintln!("no dialog {title:?} 10 s after clicking `{css}`: clicking again");
            self.click(css).await?;
        }
        Ok(())
    }

    /// Runs `script` in the page and returns what it returns.
    pub async fn run_script(&self, script: &str) -> Result<serde_json::Value> {
        self.driver.execute(script, vec![]).await
    }

    /// Whether something matches `css` now.
    pub async fn exists(&self, css: &str) -> Result<bool> {
        let found = self
            .driver
            .execute(
                "return document.querySelector(arguments[0]) !== null;",
                vec![json!(css)],
            )
            .await?;
        Ok(found.as_bool().unwrap_or(false))
    }

    /// Whether the home screen, once loaded, says there are no accounts.
    pub async fn is_empty_state_shown(&self) -> Result<bool> {
        self.eventually("the home screen to load", WAIT, || async {
            if self.exists("[data-testid=empty]").await? {
                return Ok(Look::Done(true));
            }
            let listed = self.exists("[data-testid=account-list]").await?;
            Ok(Look::found(listed.then_some(false), || {
                "neither the empty state nor a list".into()
            }))
        })
        .await
    }

    /// Looks with `check` until it is done, within `limit`; a failure comes with a picture.
    pub async fn eventually<T, F, Fut>(&self, what: &str, limit: Duration, check: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<Look<T>>>,
    {
        self.driver.eventually(what, limit, check).await
    }

    /// Waits until `count` elements match `css`.
    pub async fn wait_for_count(&self, css: &str, count: usize) -> Result<()> {
        let what = format!("{count} of `{css}`");
        self.eventually(&what, Duration::from_secs(20), || async {
            let found = self.driver.find_all(css).await?.len();
            Ok(Look::when(found == count, || format!("{found}")))
        })
        .await
    }

    /// Opens "Add account", pastes `uri` and submits.
    pub async fn add_account_uri(&self, uri: &str) -> Result<()> {
        if !self.exists("[data-testid=add-screen]").await? {
            self.click("[data-testid=add-account]").await?;
        }
        self.click("[data-testid=tab-link]").await?;
        let input = self.wait_for("[data-testid=uri-input]").await?;
        input.clear().await?;
        input.send_keys(uri).await?;
        self.click("[data-testid=submit-uri]").await
    }

    /// The error a form shows, once it shows one.
    pub async fn form_error(&self) -> Result<FormErrorShown> {
        read_form_error(&self.wait_for(FORM_ERROR).await?).await
    }

    /// Waits until a form shows the error `code`, and returns it.
    pub async fn wait_for_form_error(&self, code: &str) -> Result<FormErrorShown> {
        self.eventually(&format!("the form to show {code}"), WAIT, || async {
            let Some(shown) = self.driver.find(FORM_ERROR).await? else {
                return Ok(Look::NotYet("no error shown".into()));
            };
            let shown = read_form_error(&shown).await?;
            if shown.code == code {
                Ok(Look::Done(shown))
            } else {
                Ok(Look::NotYet(format!("{shown:?}")))
            }
        })
        .await
    }

    /// Opens "Add account" on its Scan tab.
    pub async fn open_scan(&self) -> Result<()> {
        if !self.exists("[data-testid=add-screen]").await? {
            self.click("[data-testid=add-account]").await?;
        }
        self.click("[data-testid=tab-scan]").await?;
        self.wait_for("[data-testid=scan-panel]").await?;
        Ok(())
    }

    /// Clicks "Scan the screen".
    pub async fn scan_screen(&self) -> Result<()> {
        self.open_scan().await?;
        self.click("[data-testid=scan-screen]").await
    }

    /// Chooses `path` in "Open image…", as the file picker would.
    pub async fn open_image(&self, path: &std::path::Path) -> Result<()> {
        self.open_scan().await?;
        let input = self.wait_for("[data-testid=scan-file-input]").await?;
        input.send_keys(&path.display().to_string()).await?;
        Ok(())
    }

    /// Clicks "Paste", which reads what the clipboard holds.
    pub async fn scan_clipboard(&self) -> Result<()> {
        self.open_scan().await?;
        self.click("[data-testid=scan-clipboard]").await
    }

    /// The error a scan showed, once it shows one.
    pub async fn scan_error(&self) -> Result<String> {
        self.wait_for("[data-testid=scan-error]")
            .await?
            .text()
            .await
    }

    /// The kinds of the items a scan listed, once it lists some.
    pub async fn scan_result_kinds(&self) -> Result<Vec<String>> {
        self.wait_for("[data-testid=scan-results]").await?;
        let kinds = self
            .driver
            .execute(
                "return [...document.querySelectorAll('[data-testid=scan-item]')].map((i) => i.dataset.kind);",
                vec![],
            )
            .await?;
        Ok(serde_json::from_value(kinds)?)
    }

    pub async fn add_first_scanned(&self) -> Result<()> {
        self.click("[data-testid=scan-add]").await?;
        self.wait_for("[data-testid=scan-item] .done").await?;
        Ok(())
    }

    pub async fn leave_add_screen(&self) -> Result<()> {
        self.click("[data-testid=add-screen] [data-testid=back]")
            .await?;
        self.wait_for("[data-testid=add-account]").await?;
        Ok(())
    }

    /// The rows of the home screen, read in one round trip.
    pub async fn accounts(&self) -> Result<Vec<AccountRow>> {
        const READ_ROWS: &str = r#"
            const text = (row, id) => row.querySelector(`[data-testid=${id}]`)?.textContent.trim() ?? null;
            return [...document.querySelectorAll('[data-testid=account]')].map((row) => ({
                id: row.dataset.accountId,
                issuer: text(row, 'issuer') ?? '',
                name: text(row, 'name') ?? '',
                code: row.querySelector('[data-testid=code]')?.dataset.code ?? null,
                shown: text(row, 'code'),
            }));
        "#;
        let rows = self.driver.execute(READ_ROWS, vec![]).await?;
        let rows = rows
            .as_array()
            .context("the rows script returned no list")?;
        let field = |row: &serde_json::Value, name: &str| row[name].as_str().map(str::to_string);
        Ok(rows
            .iter()
            .map(|row| AccountRow {
                id: field(row, "id").unwrap_or_default(),
                issuer: field(row, "issuer").unwrap_or_default(),
                name: field(row, "name").unwrap_or_default(),
                code: field(row, "code"),
                shown: field(row, "shown"),
            })
            .collect())
    }

    /// Waits until `count` accounts all show codes, and returns them.
    pub async fn accounts_with_codes(&self, count: usize) -> Result<Vec<AccountRow>> {
        self.eventually(&format!("{count} accounts with codes"), WAIT, || async {
            let rows = self.accounts().await?;
            let all = rows.len() == count && rows.iter().all(|row| row.code.is_some());
            Ok(if all {
                Look::Done(rows)
            } else {
                Look::NotYet(format!("{rows:?}"))
            })
        })
        .await
    }

    /// Waits until exactly one account shows a code, and returns it.
    pub async fn single_account_with_code(&self) -> Result<AccountRow> {
        let mut rows = self.accounts_with_codes(1).await?;
        rows.pop().context("no account")
    }

    pub async fn screenshot(&self, path: &std::path::Path) -> Result<()> {
        std::fs::write(path, self.driver.screenshot().await?)?;
        Ok(())
    }
}

const FORM_ERROR: &str = "[data-testid=form-error]";

async fn read_form_error(shown: &Node) -> Result<FormErrorShown> {
    Ok(FormErrorShown {
        code: shown.attr("data-error-code").await?.unwrap_or_default(),
        field: shown
            .attr("data-error-field")
            .await?
            .filter(|f| !f.is_empty()),
        text: shown.text().await?,
    })
}

/// target/screenshots/, where system tests leave pictures for people to look at.
pub fn screenshot_dir() -> Result<PathBuf> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Unix seconds now, read independently of the app.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
