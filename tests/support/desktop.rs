//! A private desktop session: an Xvfb display, a session bus, and an unlocked gnome-keyring,
//! all under a throwaway HOME so nothing touches the real user's files or keyring.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use tempfile::TempDir;

use super::process::{Guarded, piped, wait_until};

/// The identifier in src-tauri/tauri.conf.json; the app keeps its data under it.
pub const APP_IDENTIFIER: &str = "app.pocketauth.pocket";

pub struct Desktop {
    // Field order is drop order: the keyring before its bus, the bus before the display,
    // the home directory last.
    keyring: Guarded,
    _bus: Guarded,
    _display_server: Guarded,
    env: SessionEnv,
    home: TempDir,
}

impl Desktop {
    pub fn start() -> Result<Desktop> {
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
        let display = format!(":{}", display_server.first_line(Duration::from_secs(20))?);

        let mut bus = Guarded::spawn(
            "dbus-daemon",
            piped(Command::new("dbus-daemon").args(["--session", "--nofork", "--print-address=1"])),
        )?;
        let bus_address = bus.first_line(Duration::from_secs(20))?;

        let env = SessionEnv {
            home: home.path().to_path_buf(),
            display,
            bus_address,
        };
        // Xvfb reports its number once it listens; a client may still be refused for a
        // moment while the display just freed by a previous test is cleaned up. Every
        // client below needs it, so wait until one really connects.
        wait_until(
            "the X display to take clients",
            Duration::from_secs(20),
            || {
                env.command("xdpyinfo")
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|status| status.success())
            },
        )?;
        let keyring = start_keyring(&env)?;
        Ok(Desktop {
            keyring,
            _bus: bus,
            _display_server: display_server,
            env,
            home,
        })
    }

    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// Where the app keeps its SQLite database in this session.
    pub fn app_data_dir(&self) -> PathBuf {
        self.home().join(".local/share").join(APP_IDENTIFIER)
    }

    /// A command that runs inside this session.
    pub fn command(&self, program: &str) -> Command {
        self.env.command(program)
    }

    /// The text on this display's clipboard, as another app would paste it.
    pub fn clipboard_text(&self) -> Result<String> {
        let out = self
            .command("xclip")
            .args(["-selection", "clipboard", "-out"])
            .output()?;
        anyhow::ensure!(
            out.status.success(),
            "xclip: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(String::from_utf8(out.stdout)?)
    }

    pub fn keyring_running(&mut self) -> bool {
        self.keyring.is_running()
    }

    /// Shows the picture `png` in a window of its own titled `title`, beside where the app
    /// opens, as a browser would show a QR code; the window stays until the guard goes.
    pub fn show_image(&self, png: &Path, title: &str) -> Result<Guarded> {
        let start = || {
            let mut viewer = self.command("display");
            viewer
                .args(["-title", title, "-geometry", "+560+120"])
                .arg(png);
            Guarded::spawn("ImageMagick display", &mut viewer)
        };
        let mut viewer = start()?;
        let mut failed = None;
        let mapped = wait_until(
            &format!("the window {title:?} to map"),
            Duration::from_secs(10),
            || {
                // A viewer that gave up (its display was not ready) is started again.
                if !viewer.is_running() {
                    match start() {
                        Ok(again) => viewer = again,
                        Err(error) => failed = Some(error),
                    }
                }
                self.command("xwininfo")
                    .args(["-name", title])
                    .output()
                    .map(|out| String::from_utf8_lossy(&out.stdout).contains("IsViewable"))
                    .unwrap_or(false)
            },
        );
        if let Some(error) = failed {
            return Err(error);
        }
        mapped?;
        Ok(viewer)
    }

    /// Answers the system's file dialog titled `title` (GTK's, as a user would: the location
    /// typed in, then Enter), once it is on the screen.
    pub fn answer_file_dialog(&self, title: &str, path: &Path) -> Result<()> {
        self.answer_dialog(title, path, "Return")
    }

    /// Answers the system's folder dialog titled `title` with `folder`. Enter there opens
    /// the folder typed rather than choosing it; then the dialog's accept button (its
    /// mnemonic, Alt+O for "_Open") chooses the folder it is in.
    pub fn answer_folder_dialog(&self, title: &str, folder: &Path) -> Result<()> {
        self.answer_dialog(title, folder, "Return alt+o")
    }

    fn xdotool(&self, args: &[&str]) -> Result<String> {
        let out = self.command("xdotool").args(args).output()?;
        if !out.status.success() {
            bail!("xdotool {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    /// Gives the window titled `title` the keyboard focus, as clicking on it would: with no
    /// window manager on the display, no window is active until told, and a page in an
    /// inactive window matches neither `:focus` nor `:focus-visible`.
    pub fn focus_window(&self, title: &str) -> Result<()> {
        let found = self.xdotool(&["search", "--onlyvisible", "--name", &format!("^{title}$")])?;
        let window = found.lines().next().context("no such window")?.to_string();
        self.xdotool(&["windowfocus", "--sync", &window])?;
        Ok(())
    }

    fn answer_dialog(&self, title: &str, path: &Path, accept: &str) -> Result<()> {
        let xdotool = |args: &[&str]| self.xdotool(args);
        let mut window = String::new();
        wait_until(
            &format!("the file dialog {title:?}"),
            Duration::from_secs(20),
            || match xdotool(&["search", "--onlyvisible", "--name", &format!("^{title}$")]) {
                Ok(found) => {
                    window = found.lines().next().unwrap_or_default().to_string();
                    !window.is_empty()
                }
                Err(_) => false,
            },
        )?;
        // Keys go through XTEST to the focused dialog, as a keyboard's would.
        xdotool(&["windowfocus", "--sync", &window])?;
        // Ctrl+L opens the location field of an open dialog; a save dialog's name field takes a
        // whole path as well. Select what is there, then type the path over it.
        xdotool(&["key", "--clearmodifiers", "ctrl+l"])?;
        xdotool(&["key", "--clearmodifiers", "ctrl+a"])?;
        xdotool(&["type", "--delay", "15", &path.display().to_string()])?;
        // GTK completes what was typed a moment later, and an Enter before that goes to the
        // completion: press it until the dialog is gone.
        let pattern = format!("^{title}$");
        let open = || {
            xdotool(&["search", "--onlyvisible", "--name", &pattern])
                .is_ok_and(|found| found.lines().any(|w| w == window))
        };
        for _ in 0..10 {
            let mut keys = vec!["key", "--clearmodifiers"];
            keys.extend(accept.split(' '));
            xdotool(&keys)?;
            if wait_until(
                "the file dialog to close",
                Duration::from_millis(500),
                || !open(),
            )
            .is_ok()
            {
                return Ok(());
            }
        }
        // What the screen showed, for whoever reads the failure.
        let shot = std::env::temp_dir().join("pocket-dialog-stuck.png");
        let _ = self
            .command("import")
            .args(["-window", "root"])
            .arg(&shot)
            .status();
        bail!(
            "the file dialog {title:?} stayed open (screen: {})",
            shot.display()
        )
    }
}

/// The environment every process of the session gets, and nothing of the caller's.
struct SessionEnv {
    home: PathBuf,
    display: String,
    bus_address: String,
}

impl SessionEnv {
    fn command(&self, program: &str) -> Command {
        let (home, display, bus_address) = (&self.home, &self.display, &self.bus_address);
        let mut command = Command::new(program);
        command
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("XDG_RUNTIME_DIR", home.join("runtime"))
            .env("DISPLAY", display)
            .env("GDK_BACKEND", "x11")
            .env("DBUS_SESSION_BUS_ADDRESS", bus_address)
            // The accessibility bus is not part of what is tested and only adds noise.
            .env("NO_AT_BRIDGE", "1")
            .env("GTK_A11Y", "none")
            .env("LANG", "C.UTF-8");
        if let Some(level) = std::env::var_os("RUST_LOG") {
            command.env("RUST_LOG", level);
        }
        command
    }
}

/// gnome-keyring's Secret Service, its login keyring created and unlocked with a password.
fn start_keyring(env: &SessionEnv) -> Result<Guarded> {
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
    let mut name_check = env.command("dbus-send");
    name_check.args([
        "--session",
        "--print-reply",
        "--dest=org.freedesktop.DBus",
        "/org/freedesktop/DBus",
        "org.freedesktop.DBus.NameHasOwner",
        "string:org.freedesktop.secrets",
    ]);
    wait_until(
        "gnome-keyring on the session bus",
        Duration::from_secs(20),
        || {
            name_check
                .output()
                .map(|out| String::from_utf8_lossy(&out.stdout).contains("boolean true"))
                .unwrap_or(false)
        },
    )?;
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
