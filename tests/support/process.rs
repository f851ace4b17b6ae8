//! Child processes that are stopped when the test lets go of them, even when it panics.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// A child in a process group of its own; dropping it stops the whole group (SIGTERM, then
/// SIGKILL), so grandchildren such as WebKitWebDriver and the app go too.
pub struct Guarded {
    name: String,
    child: Child,
}

impl Guarded {
    pub fn spawn(name: &str, command: &mut Command) -> Result<Guarded> {
        command.process_group(0);
        let child = command.spawn().with_context(|| {
            format!("cannot start {name}: is it installed? (`make test` installs it)")
        })?;
        Ok(Guarded {
            name: name.to_string(),
            child,
        })
    }

    pub fn take_stdin(&mut self) -> Result<std::process::ChildStdin> {
        self.child
            .stdin
            .take()
            .with_context(|| format!("{} has no piped stdin", self.name))
    }

    pub fn take_stdout(&mut self) -> Result<ChildStdout> {
        self.child
            .stdout
            .take()
            .with_context(|| format!("{} has no piped stdout", self.name))
    }

    /// Reads the first non-empty line the child prints, within `timeout`.
    pub fn first_line(&mut self, timeout: Duration) -> Result<String> {
        Ok(self.lines(1, timeout)?.remove(0))
    }

    /// Reads the first `count` non-empty lines the child prints, within `timeout`.
    pub fn lines(&mut self, count: usize, timeout: Duration) -> Result<Vec<String>> {
        let stdout = self.take_stdout()?;
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut lines = Vec::new();
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 0 {
                if !line.trim().is_empty() {
                    lines.push(line.trim().to_string());
                    if lines.len() == count {
                        let _ = sender.send(lines);
                        return;
                    }
                }
                line.clear();
            }
        });
        receiver.recv_timeout(timeout).with_context(|| {
            format!(
                "{} printed fewer than {count} lines within {timeout:?}",
                self.name
            )
        })
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub fn stop(&mut self) {
        let group = self.child.id() as i32;
        // SAFETY: plain syscalls on a process group this guard created.
        unsafe { libc::kill(-group, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if !self.is_running() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Whatever ignored SIGTERM, in the group as well.
        unsafe { libc::kill(-group, libc::SIGKILL) };
        let _ = self.child.wait();
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Polls `check` until it holds or `timeout` passes.
pub fn wait_until(what: &str, timeout: Duration, mut check: impl FnMut() -> bool) -> Result<()> {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if check() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    bail!("timed out after {timeout:?} waiting for {what}")
}

pub fn piped(command: &mut Command) -> &mut Command {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}
