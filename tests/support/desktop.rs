//! A private desktop session: an Xvfb display, a session bus, and an unlocked gnome-keyring,
//! all under a throwaway HOME so nothing touches the real user's files or keyring. The X tools
//! the tests drive it with (xdotool, xclip, xwininfo) run bounded, and waits on the screen are
//! polls with deadlines.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use tempfile::TempDir;

use super::deadline::{Look, eventually, holds_within};
use super::error::HarnessError;
use super::process::{Finished, Guarded, piped, run};
use super::reaper::{DisplayRegistration, register_display};
use super::report;

/// The identifier in src-tauri/tauri.conf.json; the app keeps its data under it.
pub const APP_IDENTIFIER: &str = "app.pocketauth.pocket";

/// How long a server of the session may take to come up.
const START_LIMIT: Duration = Duration::from_secs(20);

/// What a test may change about its session.
#[derive(Debug, Clone)]
pub struct DesktopOptions {
    /// A folder searched before `PATH`, for stand-ins of the session's tools.
    pub tools_first: Option<PathBuf>,
    /// How long one X tool (xdotool, xclip, xwininfo) or secret-tool may run.
    pub tool_limit: Duration,
    /// The toolkit publishes its accessibility tree (AT-SPI), as for a screen reader. Off
    /// otherwise: the accessibility bus is not part of what the other tests check.
    pub accessible: bool,
}

impl Default for DesktopOptions {
    fn default() -> DesktopOptions {
        DesktopOptions {
            tools_first: None,
            tool_limit: Duration::from_secs(10),
            accessible: false,
        }
    }
}

pub struct Desktop {
    // Field order is drop order: the keyring before its bus, the bus before the display,
    // the home directory last.
    keyring: Guarded,
    _bus: Guarded,
    _display_registration: DisplayRegistration,
    _display_server: Guarded,
    env: SessionEnv,
    tool_limit: Duration,
    home: TempDir,
}

impl Desktop {
    pub async fn start() -> Result<Desktop> {
        Desktop::start_with(DesktopOptions::default()).await
    }

    pub async fn start_with(options: DesktopOptions) -> Result<Desktop> {
        let home = tempfile::Builder::new().prefix("pocket-e2e-").tempdir()?;
        for dir in [".local/share", ".config", ".cache", "runtime"] {
            std::fs::create_dir_all(home.path().join(dir))?;
        }
        set_mode_0700(&home.path().join("runtime"))?;

        // -displayfd 1: Xvfb picks a free display itself and prints its number.
        let mut display_server = Guarded::spawn(
            "Xvfb",
            piped(Command::new("Xvfb").args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x1024x24",
                "-nolisten",
                "tcp",
            ])),
        )?;
        let display = format!(":{}", display_server.first_line(START_LIMIT)?);
        let display_registration = register_display(&display, report::report_dir()?);

        let mut bus = Guarded::spawn(
            "dbus-daemon",
            piped(Command::new("dbus-daemon").args(["--session", "--nofork", "--print-address=1"])),
        )?;
        let bus_address = bus.first_line(START_LIMIT)?;

        let mut path = options.tools_first.clone().into_iter().collect::<Vec<_>>();
        path.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        let env = SessionEnv {
            home: home.path().to_path_buf(),
            display,
            bus_address,
            path: std::env::join_paths(path)?,
            accessible: options.accessible,
        };
        // Xvfb reports its number once it listens; a client may still be refused for a
        // moment while the display just freed by a previous test is cleaned up. Every
        // client below needs it, so wait until one really connects.
        let limit = options.tool_limit;
        eventually("the X display to take clients", START_LIMIT, || async {
            let probe = run(&mut env.command("xdpyinfo"), limit)?;
            Ok(Look::when(probe.success(), || probe.stderr_text()))
        })
        .await?;
        let keyring = start_keyring(&env, limit).await?;
        Ok(Desktop {
            keyring,
            _bus: bus,
            _display_registration: display_registration,
            _display_server: display_server,
            env,
            tool_limit: options.tool_limit,
            home,
        })
    }

    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// The session bus's address, for clients the test runs itself.
    pub fn bus_address(&self) -> &str {
        &self.env.bus_address
    }

    /// The X display, such as `:99`.
    pub fn display(&self) -> &str {
        &self.env.display
    }

    /// Where the app keeps its SQLite database in this session.
    pub fn app_data_dir(&self) -> PathBuf {
        self.home().join(".local/share").join(APP_IDENTIFIER)
    }

    /// Looks with `check` until it is done, within `limit`; when the time runs out, the
    /// failure points at a picture of this display as it was.
    pub async fn eventually<T, F, Fut>(&self, what: &str, limit: Duration, check: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<Look<T>>>,
    {
        let error = match eventually(what, limit, check).await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        match error.downcast_ref::<HarnessError>() {
            Some(HarnessError::NeverHeld {
                what, limit, last, ..
            }) if error.chain().count() == 1 => {
                let picture = report::report_dir()
                    .and_then(|dir| report::picture_path(&dir, what))
                    .and_then(|path| report::picture_of_display(self.display(), &path));
                Err(HarnessError::NeverHeld {
                    screenshot: picture.ok(),
                    what: what.clone(),
                    limit: *limit,
                    last: last.clone(),
                }
                .into())
            }
            _ => Err(error),
        }
    }

    /// A command that runs inside this session.
    pub fn command(&self, program: &str) -> Command {
        self.env.command(program)
    }

    /// Runs a tool of the session (`program` with `args`) within the tool limit.
    pub fn tool(&self, program: &str, args: &[&str]) -> Result<Finished> {
        run(self.command(program).args(args), self.tool_limit)
    }

    /// The text on this display's clipboard, as another app would paste it.
    pub fn clipboard_text(&self) -> Result<String> {
        let out = self
            .tool("xclip", &["-selection", "clipboard", "-out"])?
            .checked()?;
        Ok(String::from_utf8(out.stdout)?)
    }

    /// Puts the PNG file `png` on this display's clipboard, as an app that copied a picture
    /// would; the picture stays on offer until the guard goes.
    pub async fn copy_picture(&self, png: &Path) -> Result<Guarded> {
        let mut owner = self.command("xclip");
        owner
            .args([
                "-selection",
                "clipboard",
                "-target",
                "image/png",
                "-quiet",
                "-in",
            ])
            .arg(png);
        let owner = Guarded::spawn("xclip", &mut owner)?;
        self.eventually(
            "the picture to be on the clipboard",
            Duration::from_secs(10),
            || async {
                let offered = self.tool(
                    "xclip",
                    &["-selection", "clipboard", "-target", "TARGETS", "-out"],
                )?;
                Ok(Look::when(
                    offered.stdout_text().contains("image/png"),
                    || offered.stdout_text(),
                ))
            },
        )
        .await?;
        Ok(owner)
    }

    pub fn keyring_running(&mut self) -> bool {
        self.keyring.is_running()
    }

    /// Shows the picture `png` in a window of its own titled `title`, beside where the app
    /// opens, as a browser would show a QR code; the window stays until the guard goes.
    pub async fn show_image(&self, png: &Path, title: &str) -> Result<Guarded> {
        let start = || {
            let mut viewer = self.command("display");
            viewer
                .args(["-title", title, "-geometry", "+560+120"])
                .arg(png);
            Guarded::spawn("ImageMagick display", &mut viewer)
        };
        let viewer = std::cell::RefCell::new(start()?);
        self.eventually(
            &format!("the window {title:?} to map"),
            Duration::from_secs(10),
            || async {
                // A viewer that gave up (its display was not ready) is started again.
                if !viewer.borrow_mut().is_running() {
                    *viewer.borrow_mut() = start()?;
                }
                let info = self.tool("xwininfo", &["-name", title])?;
                Ok(Look::when(
                    info.stdout_text().contains("IsViewable"),
                    || info.stderr_text(),
                ))
            },
        )
        .await?;
        Ok(viewer.into_inner())
    }

    /// Answers the system's file dialog titled `title` (GTK's, as a user would: the location
    /// typed in, then Enter), once it is on the screen.
    pub async fn answer_file_dialog(&self, title: &str, path: &Path) -> Result<()> {
        self.answer_dialog(title, path, "Return").await
    }

    /// Answers the system's folder dialog titled `title` with `folder`. Enter there opens
    /// the folder typed rather than choosing it; then the dialog's accept button (its
    /// mnemonic, Alt+O for "_Open") chooses the folder it is in.
    pub async fn answer_folder_dialog(&self, title: &str, folder: &Path) -> Result<()> {
        self.answer_dialog(title, folder, "Return alt+o").await
    }

    fn xdotool(&self, args: &[&str]) -> Result<String> {
        Ok(self.tool("xdotool", args)?.checked()?.stdout_text())
    }

    /// The visible windows whose title is exactly `title`.
    fn windows_titled(&self, title: &str) -> Result<Vec<String>> {
        let found = self.tool(
            "xdotool",
            &["search", "--onlyvisible", "--name", &format!("^{title}$")],
        )?;
        // xdotool search exits 1 when nothing matches.
        Ok(found.stdout_text().lines().map(str::to_string).collect())
    }

    /// The window titled `title`, once it is on the screen.
    async fn window_titled(&self, title: &str, limit: Duration) -> Result<String> {
        self.eventually(&format!("a window titled {title:?}"), limit, || async {
            self.first_window_titled(title)
        })
        .await
    }

    fn first_window_titled(&self, title: &str) -> Result<Look<String>> {
        let windows = self.windows_titled(title)?;
        Ok(Look::found(windows.into_iter().next(), || {
            "no such window".into()
        }))
    }

    /// Gives the window titled `title` the keyboard focus, as clicking on it would: with no
    /// window manager on the display, no window is active until told, and a page in an
    /// inactive window matches neither `:focus` nor `:focus-visible`.
    pub async fn focus_window(&self, title: &str) -> Result<()> {
        let window = self.window_titled(title, Duration::from_secs(10)).await?;
        self.focus(&window).await
    }

    /// Focuses `window` and waits until the display says it has the focus.
    async fn focus(&self, window: &str) -> Result<()> {
        self.xdotool(&["windowfocus", window])?;
        self.eventually(
            &format!("window {window} to have the focus"),
            Duration::from_secs(10),
            || async {
                let focused = self.xdotool(&["getwindowfocus", "-f"])?;
                Ok(Look::when(focused == window, || {
                    format!("window {focused} has it")
                }))
            },
        )
        .await
    }

    /// Whether a window titled `title` comes up within `limit`.
    pub async fn window_comes_up(&self, title: &str, limit: Duration) -> Result<bool> {
        let found = holds_within(&format!("a window titled {title:?}"), limit, || async {
            self.first_window_titled(title)
        })
        .await?;
        Ok(found.is_some())
    }

    async fn answer_dialog(&self, title: &str, path: &Path, accept: &str) -> Result<()> {
        let window = self
            .window_titled(title, Duration::from_secs(30))
            .await
            .with_context(|| format!("the file dialog {title:?}"))?;
        // Keys go through XTEST to the focused dialog, as a keyboard's would.
        self.focus(&window).await?;
        // Ctrl+L opens the location field of an open dialog; a save dialog's name field takes a
        // whole path as well. Select what is there, then type the path over it.
        self.xdotool(&["key", "--clearmodifiers", "ctrl+l"])?;
        self.xdotool(&["key", "--clearmodifiers", "ctrl+a"])?;
        self.xdotool(&["type", "--delay", "15", &path.display().to_string()])?;
        // GTK completes what was typed a moment later, and an Enter before that goes to the
        // completion: press it until the dialog is gone.
        let mut keys = vec!["key", "--clearmodifiers"];
        keys.extend(accept.split(' '));
        for _ in 0..10 {
            self.xdotool(&keys)?;
            let closed = holds_within(
                &format!("the file dialog {title:?} to close"),
                Duration::from_millis(500),
                || async {
                    let open = self.windows_titled(title)?.contains(&window);
                    Ok(Look::when(!open, || "it is still open".into()))
                },
            )
            .await?;
            if closed.is_some() {
                return Ok(());
            }
        }
        let path = report::picture_path(&report::report_dir()?, &format!("dialog {title} stuck"))?;
        let shot = report::picture_of_display(self.display(), &path);
        bail!(
            "the file dialog {title:?} stayed open after 10 presses of {accept} ({})",
            match shot {
                Ok(path) => format!("screen: {}", path.display()),
                Err(error) => format!("no picture: {error:#}"),
            }
        )
    }
}

/// The environment every process of the session gets, and nothing of the caller's.
struct SessionEnv {
    home: PathBuf,
    display: String,
    bus_address: String,
    path: std::ffi::OsString,
    accessible: bool,
}

impl SessionEnv {
    fn command(&self, program: &str) -> Command {
        let (home, display, bus_address) = (&self.home, &self.display, &self.bus_address);
        let mut command = Command::new(program);
        command
            .env_clear()
            .env("PATH", &self.path)
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("XDG_RUNTIME_DIR", home.join("runtime"))
            .env("DISPLAY", display)
            .env("GDK_BACKEND", "x11")
            .env("DBUS_SESSION_BUS_ADDRESS", bus_address)
            .env("LANG", "C.UTF-8");
        if !self.accessible {
            command.env("NO_AT_BRIDGE", "1").env("GTK_A11Y", "none");
        }
        if let Some(level) = std::env::var_os("RUST_LOG") {
            command.env("RUST_LOG", level);
        }
        command
    }
}

/// gnome-keyring's Secret Service, its login keyring created and unlocked with a password.
async fn start_keyring(env: &SessionEnv, tool_limit: Duration) -> Result<Guarded> {
    let mut command = env.command("gnome-keyring-daemon");
    command
        .args(["--foreground", "--unlock", "--components=secrets"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut keyring = Guarded::spawn("gnome-keyring-daemon", &mut command)?;
    {
        let mut stdin = keyring.take_stdin()?;
        stdin.write_all(b"pocket-test-password")?;
    }
    eventually("gnome-keyring on the session bus", START_LIMIT, || async {
        let reply = run(
            env.command("dbus-send").args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ]),
            tool_limit,
        )?;
        Ok(Look::when(
            reply.stdout_text().contains("boolean true"),
            || reply.stdout_text(),
        ))
    })
    .await?;
    if !keyring.is_running() {
        bail!("gnome-keyring-daemon exited during start-up");
    }
    Ok(keyring)
}

fn set_mode_0700(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))
        .with_context(|| format!("chmod {}", path.display()))
}
