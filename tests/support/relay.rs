//! pocket-relay as an operator runs it: its configuration folder (the gateway secret, a VAPID
//! key, `config.toml`) and the binary serving on a loopback port.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::Result;
use p256::pkcs8::{EncodePrivateKey, LineEnding};

use super::app::workspace_binary;
use super::process::{Guarded, free_port, listening};

/// The secret privacyIDEA's gateway sends; at least the 32 characters the relay wants.
pub const SECRET: &str = "0123456789abcdef0123456789abcdef";
/// A `[webpush]` section for the folder's VAPID key.
pub const WEB_PUSH: &str =
    "[webpush]\nvapid_key_file = \"vapid.pem\"\nsubject = \"mailto:ops@example.com\"\n";

/// A configuration folder: `secret`, `vapid.pem` and `config.toml` listening on `listen`,
/// with `sections` after the first lines.
pub fn config_folder(listen: &str, sections: &str) -> Result<tempfile::TempDir> {
    let dir = tempfile::Builder::new().prefix("pocket-relay-").tempdir()?;
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text);
    write("secret", &format!("{SECRET}\n"))?;
    let key = p256::SecretKey::random(&mut p256::elliptic_curve::rand_core::OsRng);
    write("vapid.pem", &key.to_pkcs8_pem(LineEnding::LF)?)?;
    write(
        "config.toml",
        &format!("listen = \"{listen}\"\ngateway_secret_file = \"secret\"\n{sections}"),
    )?;
    Ok(dir)
}

pub fn command(args: &[&str]) -> Result<Command> {
    let mut command = Command::new(workspace_binary("pocket-relay")?);
    command.args(args);
    Ok(command)
}

/// A relay delivering Web Push, to endpoints on loopback too (the stand-ins live there); its
/// log goes to `relay.log` in its folder.
pub struct Relay {
    pub port: u16,
    pub dir: tempfile::TempDir,
    process: Guarded,
}

impl Relay {
    pub async fn start() -> Result<Relay> {
        let port = free_port()?;
        let dir = config_folder(
            &format!("127.0.0.1:{port}"),
            &format!("{WEB_PUSH}allow_private_endpoints = true\n"),
        )?;
        let mut command = command(&["--config"])?;
        command
            .arg(dir.path().join("config.toml"))
            .env("RUST_LOG", "debug")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.path().join("relay.log"))?);
        let process = Guarded::spawn("pocket-relay", &mut command)?;
        listening("pocket-relay", port, Duration::from_secs(30)).await?;
        Ok(Relay { port, dir, process })
    }

    /// Where privacyIDEA's gateway posts.
    pub fn gateway(&self) -> String {
        format!("http://127.0.0.1:{}/gateway", self.port)
    }

    pub fn log_path(&self) -> std::path::PathBuf {
        self.dir.path().join("relay.log")
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    pub fn stop(&mut self) {
        self.process.stop();
    }
}

/// `--check-config` on the folder at `dir`.
pub fn check_config(dir: &Path) -> Result<super::process::Finished> {
    super::process::run(
        command(&["--check-config", "--config"])?.arg(dir.join("config.toml")),
        Duration::from_secs(30),
    )
}
