//! Child processes, always bounded: `run` for a command that should finish (killed with its
//! process group when it does not in time), `Guarded` for a server that runs until the test
//! lets go of it, even when the test panics or the test runner stops it.
#![allow(clippy::disallowed_methods)] // the one home of spawning and waiting on children

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::error::HarnessError;
use super::reaper;

/// How long a stopped group has to go after SIGTERM before SIGKILL.
const STOP_GRACE: Duration = Duration::from_secs(5);
/// How long, after a command exits, its output may stay open (held by a child it left).
const OUTPUT_GRACE: Duration = Duration::from_secs(2);

/// What a finished command left.
#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    what: String,
}

impl Finished {
    pub fn success(&self) -> bool {
        self.status.success()
    }

    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).trim().to_string()
    }

    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).trim().to_string()
    }

    /// Itself when the command succeeded; otherwise an error with what it wrote.
    pub fn checked(self) -> Result<Finished> {
        if !self.success() {
            bail!(
                "{} failed ({}): {}",
                self.what,
                self.status,
                self.stderr_text()
            );
        }
        Ok(self)
    }
}

/// Runs `command` with no input; fails with [`HarnessError::Killed`] when it is still running
/// after `limit`, its whole process group killed.
pub fn run(command: &mut Command, limit: Duration) -> Result<Finished> {
    run_bounded(command, None, limit)
}

/// `run`, with `input` on the command's standard input.
pub fn run_with_input(command: &mut Command, input: &[u8], limit: Duration) -> Result<Finished> {
    run_bounded(command, Some(input.to_vec()), limit)
}

fn run_bounded(command: &mut Command, input: Option<Vec<u8>>, limit: Duration) -> Result<Finished> {
    let what = describe(command);
    command
        .process_group(0)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = spawn(command, &what)?;
    let _registered = reaper::register_group(child.id() as i32, &what);
    if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
        // A command that never reads would block the writer: it goes when the command does.
        std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
    }
    let stdout = read_all(child.stdout.take());
    let stderr = read_all(child.stderr.take());
    let group = child.id() as i32;
    // Waited for on a thread of its own, so the limit is kept to the millisecond without
    // polling (the benchmarks time commands through this).
    let (sender, exited) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(child.wait());
    });
    let deadline = Instant::now() + limit;
    let status = match exited.recv_timeout(limit) {
        Ok(status) => status?,
        Err(RecvTimeoutError::Timeout) => {
            kill_group(group);
            let _ = exited.recv_timeout(OUTPUT_GRACE);
            let output = stderr.recv_timeout(OUTPUT_GRACE).unwrap_or_default();
            return Err(HarnessError::Killed {
                command: what,
                limit,
                output: String::from_utf8_lossy(&output).into_owned(),
            }
            .into());
        }
        Err(RecvTimeoutError::Disconnected) => bail!("lost track of {what}"),
    };
    // A child the command left behind may still hold its output open.
    let wait = deadline
        .saturating_duration_since(Instant::now())
        .max(OUTPUT_GRACE);
    let (stdout, stderr) = match (stdout.recv_timeout(wait), stderr.recv_timeout(OUTPUT_GRACE)) {
        (Ok(stdout), Ok(stderr)) => (stdout, stderr),
        _ => {
            kill_group(group);
            bail!(
                "{what} exited ({status}), but what it left running kept its output open; \
                 its process group was killed"
            )
        }
    };
    Ok(Finished {
        status,
        stdout,
        stderr,
        what,
    })
}

fn spawn(command: &mut Command, what: &str) -> Result<Child> {
    command
        .spawn()
        .with_context(|| format!("cannot start {what}: is it installed? (`make test` installs it)"))
}

/// Everything `source` yields, read on a thread of its own, delivered once it closes.
fn read_all(source: Option<impl Read + Send + 'static>) -> Receiver<Vec<u8>> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut source) = source {
            let _ = source.read_to_end(&mut bytes);
        }
        let _ = sender.send(bytes);
    });
    receiver
}

fn kill_group(group: i32) {
    // SAFETY: a plain syscall on the process group this harness made for the child.
    unsafe { libc::kill(-group, libc::SIGKILL) };
}

/// A command as a failure message names it: the program's name and its arguments, long ones
/// shortened.
pub fn describe(command: &Command) -> String {
    let program = std::path::Path::new(command.get_program())
        .file_name()
        .unwrap_or(command.get_program())
        .to_string_lossy()
        .into_owned();
    let mut words = vec![program];
    for arg in command.get_args() {
        let arg = arg.to_string_lossy();
        words.push(match arg.char_indices().nth(40) {
            Some((cut, _)) => format!("{}…", &arg[..cut]),
            None => arg.into_owned(),
        });
    }
    words.join(" ")
}

/// A child in a process group of its own; dropping it stops the whole group (SIGTERM, then
/// SIGKILL), so grandchildren such as WebKitWebDriver and the app go too. The test runner's
/// SIGTERM stops it as well (see `reaper`).
pub struct Guarded {
    name: String,
    child: Child,
    _registered: reaper::GroupRegistration,
}

impl Guarded {
    pub fn spawn(name: &str, command: &mut Command) -> Result<Guarded> {
        command.process_group(0);
        let child = spawn(command, name)?;
        Ok(Guarded {
            name: name.to_string(),
            _registered: reaper::register_group(child.id() as i32, name),
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

    /// Reads the first non-empty line the child prints, within `limit`.
    pub fn first_line(&mut self, limit: Duration) -> Result<String> {
        Ok(self.lines(1, limit)?.remove(0))
    }

    /// Reads the first `count` non-empty lines the child prints, within `limit`.
    pub fn lines(&mut self, count: usize, limit: Duration) -> Result<Vec<String>> {
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
        match receiver.recv_timeout(limit) {
            Ok(lines) => Ok(lines),
            Err(RecvTimeoutError::Timeout) => Err(HarnessError::NoAnswer {
                step: format!("{} printing {count} lines", self.name),
                limit,
                screenshot: None,
            }
            .into()),
            Err(RecvTimeoutError::Disconnected) => {
                bail!("{} ended before printing {count} lines", self.name)
            }
        }
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
        let deadline = Instant::now() + STOP_GRACE;
        while Instant::now() < deadline && self.is_running() {
            std::thread::sleep(Duration::from_millis(20));
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

/// Standard output piped to the harness, the error stream to the test's own.
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

/// Waits until something listens on 127.0.0.1:`port`; `server` names it for the failure.
pub async fn listening(server: &str, port: u16, limit: Duration) -> Result<()> {
    use super::deadline::{Look, eventually};
    eventually(
        &format!("{server} to listen on port {port}"),
        limit,
        || async {
            let connected = tokio::net::TcpStream::connect(("127.0.0.1", port)).await;
            Ok(Look::when(connected.is_ok(), || "the port refuses".into()))
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        command
    }

    #[test]
    fn a_command_that_finishes_gives_its_output_and_status() -> Result<()> {
        let done = run_with_input(&mut sh("cat; echo oops >&2; exit 3"), b"hello", LIMIT)?;
        assert_eq!(done.stdout_text(), "hello");
        assert_eq!(done.stderr_text(), "oops");
        assert_eq!(done.status.code(), Some(3));
        let error = done.checked().expect_err("exit 3 is a failure");
        assert!(error.to_string().contains("oops"), "{error}");
        Ok(())
    }

    const LIMIT: Duration = Duration::from_secs(10);

    #[test]
    fn a_command_past_its_limit_is_killed_and_named() {
        let started = Instant::now();
        let error = run(
            &mut sh("echo started >&2; sleep 30"),
            Duration::from_millis(300),
        )
        .expect_err("sleep 30 outlives 300 ms");
        assert!(started.elapsed() < Duration::from_secs(3));
        match HarnessError::of(&error) {
            Some(HarnessError::Killed {
                command, output, ..
            }) => {
                assert_eq!(command, "sh -c echo started >&2; sleep 30");
                assert_eq!(output.trim(), "started");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_child_left_holding_the_output_is_killed_not_waited_for() {
        let started = Instant::now();
        let error = run(&mut sh("sleep 30 &"), Duration::from_millis(300))
            .expect_err("the output never closes");
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(
            error.to_string().contains("kept its output open"),
            "{error}"
        );
    }

    #[test]
    fn a_command_is_described_short() {
        let long = "x".repeat(100);
        let described = describe(Command::new("/usr/bin/xclip").args(["-out", &long]));
        assert_eq!(described, format!("xclip -out {}…", "x".repeat(40)));
    }
}
