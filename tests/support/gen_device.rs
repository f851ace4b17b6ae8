//! `pocket-gen` as the tests run it, each command bounded: `device`, the headless phone (one
//! state folder per phone; a poll may take what it was told to wait, plus a margin), and the
//! QA commands (`qr`, `totp`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, bail};
use tempfile::TempDir;

use super::app::workspace_binary;
use super::process::{Finished, run};

/// The longest a command other than a poll may take (enrolling makes an RSA key).
const COMMAND_LIMIT: Duration = Duration::from_secs(60);

/// Runs `pocket-gen` with `args` (a QA command, not `device`), within the command limit.
pub fn pocket_gen<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Result<Finished> {
    run(
        Command::new(workspace_binary("pocket-gen")?).args(args),
        COMMAND_LIMIT,
    )
}

/// `text` as a QR code in the PNG file `png`, made by `pocket-gen qr`.
pub fn gen_qr_png(text: &str, png: &Path) -> Result<()> {
    pocket_gen(&[
        std::ffi::OsStr::new("qr"),
        text.as_ref(),
        "--png".as_ref(),
        png.as_os_str(),
    ])?
    .checked()?;
    Ok(())
}

/// A phone: `pocket-gen device --state DIR`, with options its commands share.
#[derive(Clone)]
pub struct GenDevice {
    state: PathBuf,
    _dir: Arc<TempDir>,
    options: Vec<String>,
    /// `SSL_CERT_FILE` for the commands; `None` leaves the caller's trust as it is.
    trust: Option<Trust>,
    clock_off_seconds: Option<i64>,
}

#[derive(Clone)]
enum Trust {
    OnlyTheBuiltIn,
    File(PathBuf),
}

impl GenDevice {
    /// A new phone with nothing on it.
    pub fn new() -> Result<GenDevice> {
        let dir = tempfile::Builder::new().prefix("pocket-phone-").tempdir()?;
        Ok(GenDevice {
            state: dir.path().to_path_buf(),
            _dir: Arc::new(dir),
            options: Vec::new(),
            trust: None,
            clock_off_seconds: None,
        })
    }

    pub fn state(&self) -> &Path {
        &self.state
    }

    /// The same phone, reaching `host=ip:port` without asking a resolver.
    pub fn resolving(&self, rule: &str) -> GenDevice {
        let mut phone = self.clone();
        phone
            .options
            .extend(["--resolve".to_string(), rule.to_string()]);
        phone
    }

    /// The same phone trusting `ca` as the system's store, or no store of the system's.
    pub fn trusting(&self, ca: Option<&Path>) -> GenDevice {
        let mut phone = self.clone();
        phone.trust = Some(ca.map_or(Trust::OnlyTheBuiltIn, |ca| Trust::File(ca.to_path_buf())));
        phone
    }

    /// The same phone with its clock `seconds` off (faketime; negative is behind).
    pub fn clock_off(&self, seconds: i64) -> GenDevice {
        let mut phone = self.clone();
        phone.clock_off_seconds = Some(seconds);
        phone
    }

    /// Runs one command; what it left, whether it succeeded or not.
    pub fn run(&self, args: &[&str]) -> Result<Finished> {
        let binary = workspace_binary("pocket-gen")?;
        let mut command = match self.clock_off_seconds {
            Some(seconds) => {
                let mut faketime = Command::new("faketime");
                // The wall clock only, as for the app (`App::launch_with_clock_off`).
                faketime.env("FAKETIME_DONT_FAKE_MONOTONIC", "1");
                faketime.arg("-f").arg(format!("{seconds:+}s")).arg(binary);
                faketime
            }
            None => Command::new(binary),
        };
        command
            .arg("device")
            .arg("--state")
            .arg(&self.state)
            .args(&self.options)
            .args(args);
        match &self.trust {
            None => {}
            Some(trust) => {
                command
                    .env_remove("SSL_CERT_FILE")
                    .env_remove("SSL_CERT_DIR");
                if let Trust::File(ca) = trust {
                    command.env("SSL_CERT_FILE", ca);
                }
            }
        }
        run(&mut command, limit_for(args))
    }

    /// Ok(what it printed) when the command succeeded, Err(what it said) when it failed.
    pub fn outcome(&self, args: &[&str]) -> Result<std::result::Result<String, String>> {
        let finished = self.run(args)?;
        Ok(if finished.success() {
            Ok(finished.stdout_text())
        } else {
            Err(finished.stderr_text())
        })
    }

    /// What a command that must succeed printed.
    pub fn must(&self, args: &[&str]) -> Result<String> {
        match self.outcome(args)? {
            Ok(printed) => Ok(printed),
            Err(said) => bail!("pocket-gen device {args:?}: {said}"),
        }
    }

    /// What a command that must fail said.
    pub fn fails(&self, args: &[&str]) -> Result<String> {
        match self.outcome(args)? {
            Ok(printed) => bail!("pocket-gen device {args:?} should have failed: {printed}"),
            Err(said) => Ok(said),
        }
    }
}

/// A poll's own wait and a margin, or the limit of any other command.
fn limit_for(args: &[&str]) -> Duration {
    let waits = args
        .windows(2)
        .find(|pair| pair[0] == "--wait")
        .and_then(|pair| pair[1].parse::<u64>().ok());
    match waits {
        Some(seconds) => Duration::from_secs(seconds) + Duration::from_secs(30),
        None => COMMAND_LIMIT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poll_may_take_what_it_waits_and_a_margin() {
        assert_eq!(
            limit_for(&["poll", "--wait", "15"]),
            Duration::from_secs(45)
        );
        assert_eq!(limit_for(&["enroll", "x"]), COMMAND_LIMIT);
    }
}
