//! Independent witnesses: oathtool for codes, secret-tool for the Secret Service, and a raw
//! look at the app's data files.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result};

use super::desktop::Desktop;
use super::process::{run, run_with_input};

/// How long one of the peers' programs (oathtool, a Python script) may run.
const PEER_LIMIT: Duration = Duration::from_secs(60);

/// The TOTP code oathtool (not Pocket) computes for a base32 secret at `unix_time`.
pub fn oathtool_totp(secret_base32: &str, unix_time: u64) -> Result<String> {
    oathtool(&[
        "--totp",
        "--base32",
        "--now",
        &format!("@{unix_time}"),
        secret_base32,
    ])
}

/// What oathtool prints for `args`.
pub fn oathtool(args: &[&str]) -> Result<String> {
    Ok(run(Command::new("oathtool").args(args), PEER_LIMIT)?
        .checked()?
        .stdout_text())
}

/// What the Secret Service holds for (service, username), looked up with secret-tool.
pub fn keychain_lookup(desktop: &Desktop, service: &str, username: &str) -> Result<Option<String>> {
    let out = desktop.tool(
        "secret-tool",
        &["lookup", "service", service, "username", username],
    )?;
    // secret-tool exits 1 with no output when nothing matches.
    Ok(out.success().then(|| out.stdout_text()))
}

/// How many Secret Service items the app's service has.
pub fn keychain_item_count(desktop: &Desktop, service: &str) -> Result<usize> {
    let out = desktop.tool("secret-tool", &["search", "--all", "service", service])?;
    let listing =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    Ok(listing
        .lines()
        .filter(|line| line.starts_with("[/"))
        .count())
}

/// Every byte of every file in `dir` (the database, its WAL and shared memory files).
pub fn all_file_bytes(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_file() {
            files.push((path.display().to_string(), std::fs::read(&path)?));
        }
    }
    Ok(files)
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// Rows of the app's accounts table, by state, read straight from the SQLite file.
pub fn account_rows(data_dir: &Path) -> Result<Vec<(String, String)>> {
    let path = data_dir.join("pocket.sqlite");
    if !path.exists() {
        return Ok(Vec::new());
    }
    let db =
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut statement = db.prepare("SELECT id, state FROM accounts ORDER BY position")?;
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The Python of the peers' venv (pyotp, protobuf, pyca/cryptography): `$PEERS_VENV`, which
/// `make test` sets and fills, else its default place.
pub fn peers_python() -> Result<std::path::PathBuf> {
    let venv = std::env::var_os("PEERS_VENV")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|home| std::path::PathBuf::from(home).join(".cache/pocket/peers-1"))
        })
        .context("no PEERS_VENV and no HOME")?;
    Ok(venv.join("bin/python"))
}

/// Runs one of the independent implementations in `tests/peers/` (`script`, with `args`) in
/// the peers' Python, `stdin` fed to it; returns what it printed.
pub fn run_peer(script: &str, args: &[&str], stdin: &[u8]) -> Result<Vec<u8>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("peers")
        .join(script);
    let mut command = Command::new(peers_python()?);
    command.arg(&path).args(args);
    Ok(run_with_input(&mut command, stdin, PEER_LIMIT)
        .context("the peers' Python (`make deps-peers` installs it)")?
        .checked()?
        .stdout)
}

/// What the peers' Python prints running `code` (`python -c`) with `stdin`.
pub fn run_python(code: &str, stdin: &[u8]) -> Result<Vec<u8>> {
    let mut command = Command::new(peers_python()?);
    command.args(["-c", code]);
    Ok(run_with_input(&mut command, stdin, PEER_LIMIT)
        .context("the peers' Python (`make deps-peers` installs it)")?
        .checked()?
        .stdout)
}
