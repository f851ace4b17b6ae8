//! The harness's own deadlines, proven against stand-ins that never answer: a WebDriver
//! server that accepts and stays silent, a WebKitWebDriver behind tauri-driver that does the
//! same, X tools that never exit, and the test runner's SIGTERM to a test that hangs. Each
//! must end within its limit, name the step, and leave nothing running.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Result, bail, ensure};
use pocket_tests::app::workspace_binary;
use pocket_tests::browser::Browser;
use pocket_tests::deadline::{Look, eventually};
use pocket_tests::desktop::DesktopOptions;
use pocket_tests::error::HarnessError;
use pocket_tests::process::{Guarded, piped};
use pocket_tests::webdriver::{Driver, Limits};
use pocket_tests::{App, AppDriver, Desktop, serial};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Well past the short limits, well short of anything a person would call a hang.
const QUICK: Duration = Duration::from_secs(5);

const SHORT: Limits = Limits {
    connect: Duration::from_secs(2),
    request: Duration::from_secs(1),
    wait: Duration::from_secs(2),
};

/// A WebDriver server on loopback that opens sessions (when `opens_sessions`) and then
/// never answers another request, holding every connection open.
async fn silent_webdriver(opens_sessions: bool) -> Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve_silently(stream, opens_sessions));
        }
    });
    Ok(url)
}

async fn serve_silently(mut stream: TcpStream, opens_sessions: bool) {
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let Ok(read) = stream.read(&mut buffer).await else {
            return;
        };
        if read == 0 {
            return;
        }
        request.extend_from_slice(&buffer[..read]);
        let Some(head_end) = request.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&request[..head_end]).to_lowercase();
        let length: usize = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .and_then(|value| value.trim().parse().ok())
            .unwrap_or(0);
        if request.len() < head_end + 4 + length {
            continue;
        }
        if !(opens_sessions && head.starts_with("post /session ")) {
            // Whatever else is asked is never answered.
            std::future::pending::<()>().await;
        }
        let body = r#"{"value":{"sessionId":"silent","capabilities":{"browserName":"silent"}}}"#;
        let reply = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        if stream.write_all(reply.as_bytes()).await.is_err() {
            return;
        }
        request.drain(..head_end + 4 + length);
    }
}

/// The error `call` fails with, which must come within `limit`.
async fn failure_within<T>(
    limit: Duration,
    call: impl std::future::Future<Output = Result<T>>,
) -> Result<anyhow::Error> {
    let started = Instant::now();
    let error = match call.await {
        Ok(_) => bail!("it succeeded"),
        Err(error) => error,
    };
    let took = started.elapsed();
    ensure!(took < limit, "it failed only after {took:?}: {error:#}");
    Ok(error)
}

/// Fails unless `error` is a [`HarnessError::NoAnswer`] for a step containing `step`.
fn expect_no_answer(error: &anyhow::Error, step: &str) -> Result<()> {
    match HarnessError::of(error) {
        Some(HarnessError::NoAnswer { step: named, .. }) if named.contains(step) => Ok(()),
        _ => bail!("expected no answer to {step:?}, got: {error:#}"),
    }
}

#[tokio::test]
async fn a_silent_webdriver_fails_each_page_object_call_within_its_limit() -> Result<()> {
    let url = silent_webdriver(true).await?;

    let app = App::over(Driver::connect(&url, Default::default(), SHORT, None).await?);
    let error = failure_within(QUICK, app.click("button.accept")).await?;
    expect_no_answer(&error, "WebDriver find `button.accept`")?;
    ensure!(
        format!("{error:#}").contains("did not answer within 1 s"),
        "{error}"
    );

    let browser = Browser::over(Driver::connect(&url, Default::default(), SHORT, None).await?);
    let error = failure_within(QUICK, browser.text("[data-testid=number]")).await?;
    expect_no_answer(&error, "WebDriver find `[data-testid=number]`")?;

    // Closing the session is bounded too.
    let error = failure_within(QUICK, browser.quit()).await?;
    expect_no_answer(&error, "close the session")
}

#[tokio::test]
async fn a_webdriver_that_never_opens_the_session_fails_within_the_connect_limit() -> Result<()> {
    let url = silent_webdriver(false).await?;
    let connect = Driver::connect(&url, Default::default(), SHORT, None);
    let error = failure_within(QUICK, connect).await?;
    expect_no_answer(&error, "WebDriver new session")
}

/// Writes an executable `name` into `dir` running `script` with sh.
fn stand_in(dir: &Path, name: &str, script: &str) -> Result<()> {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{script}\n"))?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
    Ok(())
}

/// Waits until process `pid` is gone (or only a zombie waiting for its parent).
async fn gone(pid: u32) -> Result<()> {
    eventually(
        &format!("process {pid} to end"),
        Duration::from_secs(5),
        || async {
            let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let state = state.rsplit_once(')').map(|(_, rest)| rest.trim_start());
            let ended = state.is_none_or(|rest| rest.starts_with('Z'));
            Ok(Look::when(ended, || format!("it still runs: {state:?}")))
        },
    )
    .await
}

#[tokio::test]
async fn the_original_hang_a_silent_webkitwebdriver_behind_tauri_driver_fails_the_launch()
-> Result<()> {
    let _serial = serial().await;
    // What a developer's machine met: a WebKitWebDriver that takes connections and never
    // answers (here a stand-in first in PATH), so tauri-driver's forwarded requests hang.
    let tools = tempfile::tempdir()?;
    stand_in(
        tools.path(),
        "WebKitWebDriver",
        r#"exec /usr/bin/python3 -c '
import socket, sys
port = next(int(a.split("=")[1]) for a in sys.argv[1:] if a.startswith("--port="))
server = socket.create_server(("127.0.0.1", port))
held = []
while True:
    held.append(server.accept())
' "$@""#,
    )?;
    let desktop = Desktop::start_with(DesktopOptions {
        tools_first: Some(tools.path().to_path_buf()),
        ..DesktopOptions::default()
    })
    .await?;
    let driver = AppDriver::start(&desktop).await?.with_limits(SHORT);
    let error = failure_within(Duration::from_secs(15), driver.launch()).await?;
    expect_no_answer(&error, "WebDriver new session")?;
    // The failure points at a picture of the screen as it was.
    match HarnessError::of(&error) {
        Some(HarnessError::NoAnswer {
            screenshot: Some(path),
            ..
        }) => ensure!(path.exists(), "{} is missing", path.display()),
        _ => bail!("no picture with {error:#}"),
    }
    Ok(())
}

#[tokio::test]
async fn x_tools_that_never_exit_are_killed_with_their_children_within_the_limit() -> Result<()> {
    let _serial = serial().await;
    let tools = tempfile::tempdir()?;
    let child_pid_file = tools.path().join("child.pid");
    // Each stand-in starts a child of its own, which must go with it.
    let hang = format!("sleep 1000 & echo $! > {}; wait", child_pid_file.display());
    stand_in(tools.path(), "xclip", &hang)?;
    stand_in(tools.path(), "xdotool", &hang)?;
    let desktop = Desktop::start_with(DesktopOptions {
        tools_first: Some(tools.path().to_path_buf()),
        tool_limit: Duration::from_secs(1),
        ..DesktopOptions::default()
    })
    .await?;

    let error = failure_within(QUICK, async { desktop.clipboard_text() }).await?;
    ensure!(
        error.to_string() == "xclip -selection clipboard -out still running after 1 s, killed",
        "{error}"
    );
    let child: u32 = std::fs::read_to_string(&child_pid_file)?.trim().parse()?;
    gone(child).await?;

    let error = failure_within(QUICK, desktop.focus_window("Pocket")).await?;
    match HarnessError::of(&error) {
        Some(HarnessError::Killed { command, .. }) if command.starts_with("xdotool search") => {}
        _ => bail!("expected xdotool killed, got {error:#}"),
    }
    let child: u32 = std::fs::read_to_string(&child_pid_file)?.trim().parse()?;
    gone(child).await
}

#[tokio::test]
async fn the_runners_sigterm_to_a_hung_test_stops_what_it_started() -> Result<()> {
    let log = tempfile::NamedTempFile::new()?;
    let mut command = Command::new(workspace_binary("hung-test")?);
    piped(&mut command).stderr(Stdio::from(log.reopen()?));
    let mut hung = Guarded::spawn("hung-test", &mut command)?;
    let child: u32 = hung.first_line(Duration::from_secs(10))?.parse()?;

    // As nextest does when a test overruns: SIGTERM to the test's process.
    // SAFETY: a signal to the process this test started.
    unsafe { libc::kill(hung.id() as i32, libc::SIGTERM) };
    gone(hung.id()).await?;
    gone(child).await?;
    let said = std::fs::read_to_string(log.path())?;
    ensure!(
        said.contains("stopping what the test started") && said.contains("stopped sleep"),
        "{said}"
    );
    Ok(())
}
