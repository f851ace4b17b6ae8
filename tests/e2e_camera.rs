//! The camera scanner in Chromium with a fake camera playing `pocket-gen corpus --video`'s
//! videos into the built UI, each frame read by the real Rust decoder behind a test bridge:
//! every video with a code adds its account and stops the camera; the one without finds
//! nothing, and Cancel stops the camera; a refused camera explains itself and offers a photo
//! or an image instead. Then the real window (WebKitGTK with its mock camera): the camera
//! opens, frames reach the decoder, the scanner passes axe in both themes and works from the
//! keyboard, and Cancel releases the camera.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, ensure};
use pocket_core::otp::parse_uri;
use pocket_tests::app::workspace_binary;
use pocket_tests::browser::Browser;
use pocket_tests::camera_bridge::{CameraBridge, RECORD_STREAMS};
use pocket_tests::deadline::Look;
use pocket_tests::process::run;
use pocket_tests::{serial, shots};

const WAIT: Duration = Duration::from_secs(20);

/// Chromium with its fake camera playing `video`, or refusing the camera when `None`.
async fn phone_browser(video: Option<&Path>) -> Result<Browser> {
    let switches = match video {
        Some(video) => vec![
            "--use-fake-device-for-media-stream".to_string(),
            "--use-fake-ui-for-media-stream".to_string(),
            format!("--use-file-for-fake-video-capture={}", video.display()),
        ],
        None => vec![
            "--use-fake-device-for-media-stream".to_string(),
            "--deny-permission-prompts".to_string(),
        ],
    };
    Browser::start_with(390, 844, "en", switches).await
}

/// Home → Add → Scan with camera.
async fn open_camera(browser: &Browser, bridge: &CameraBridge) -> Result<()> {
    browser.go(&bridge.url).await?;
    browser.click("[data-testid=add-account]").await?;
    browser.click("[data-testid=scan-camera]").await?;
    browser.wait_visible("[data-testid=camera-scanner]").await?;
    Ok(())
}

/// Waits for the scanner to close.
async fn scanner_closed(browser: &Browser) -> Result<()> {
    browser
        .driver()
        .eventually("the camera to close", WAIT, || async {
            Ok(
                match browser
                    .driver()
                    .find("[data-testid=camera-scanner]")
                    .await?
                {
                    None => Look::Done(()),
                    Some(_) => Look::NotYet("the scanner is still open".into()),
                },
            )
        })
        .await
}

/// Whether every track of every stream the page opened has ended (and how many there were).
async fn tracks_ended(browser: &Browser) -> Result<(bool, u64)> {
    let state = browser
        .driver()
        .execute(
            "const tracks = window.__cameraStreams.flatMap((s) => s.getTracks());
             return [tracks.every((t) => t.readyState === 'ended'), tracks.length];",
            vec![],
        )
        .await?;
    Ok((
        state[0].as_bool().unwrap_or(false),
        state[1].as_u64().unwrap_or(0),
    ))
}

#[tokio::test]
async fn each_video_adds_its_account_and_releases_the_camera_or_finds_nothing() -> Result<()> {
    let _serial = serial().await;
    let videos = tempfile::tempdir()?;
    run(
        Command::new(workspace_binary("pocket-gen")?)
            .args(["corpus", "--video"])
            .arg(videos.path()),
        Duration::from_secs(120),
    )?;
    let manifest = std::fs::read_to_string(videos.path().join("videos.tsv"))?;
    for line in manifest.lines() {
        let mut fields = line.split('\t');
        let (file, category) = (
            fields.next().context("file")?,
            fields.next().context("kind")?,
        );
        let Some(text) = fields.next().filter(|t| !t.is_empty()) else {
            nothing_found_and_cancel(&videos.path().join(file)).await?;
            continue;
        };
        let expected = parse_uri(text)?;
        let bridge = CameraBridge::start().await?;
        let browser = phone_browser(Some(&videos.path().join(file))).await?;
        open_camera(&browser, &bridge).await?;
        let added = browser
            .driver()
            .eventually(
                &format!("the {category} video's account to be added"),
                WAIT,
                || async {
                    let calls = bridge.calls();
                    Ok(match calls.added.first() {
                        Some(added) => Look::Done((added.issuer.clone(), added.name.clone())),
                        None => Look::NotYet(format!("{} frames read", calls.frames)),
                    })
                },
            )
            .await?;
        ensure!(
            added == (expected.issuer.clone(), expected.name.clone()),
            "{category}: added {added:?}"
        );
        // The scanner closed, every track stopped, and the result is the same as any scan's.
        scanner_closed(&browser).await?;
        let (ended, count) = tracks_ended(&browser).await?;
        ensure!(
            ended && count >= 1,
            "{category}: {count} tracks, all ended: {ended}"
        );
        let frames_then = bridge.calls().frames;
        let (width, height) = bridge.calls().last_frame_size.context("no frame size")?;
        ensure!(
            (width, height) == (640, 480),
            "{category}: frames of {width}×{height}"
        );
        ensure!(bridge.calls().added.len() == 1, "{category}: added twice");
        browser.quit().await?;
        ensure!(
            bridge.calls().frames == frames_then,
            "frames after the scan closed"
        );
    }
    Ok(())
}

/// The video without a code: frame after frame is read and nothing found; Cancel stops the
/// camera and the frames.
async fn nothing_found_and_cancel(video: &Path) -> Result<()> {
    let bridge = CameraBridge::start().await?;
    let browser = phone_browser(Some(video)).await?;
    open_camera(&browser, &bridge).await?;
    // Three seconds of video (the whole file and more) go by frame after frame.
    browser
        .driver()
        .eventually("frames to be read", WAIT, || async {
            let frames = bridge.calls().frames;
            Ok(if frames >= 20 {
                Look::Done(())
            } else {
                Look::NotYet(format!("{frames} frames"))
            })
        })
        .await?;
    browser
        .screenshot(&shots::dir()?.join("camera-live.png"))
        .await?;
    ensure!(
        bridge.calls().frames_with_code == 0,
        "a code in a video without one"
    );
    ensure!(bridge.calls().added.is_empty());
    browser.click("[data-testid=camera-cancel]").await?;
    scanner_closed(&browser).await?;
    let (ended, count) = tracks_ended(&browser).await?;
    ensure!(ended && count >= 1, "{count} tracks, all ended: {ended}");
    // No frame is taken after Cancel: one already on its way may still be answered.
    let after_cancel = bridge.calls().frames;
    let frame_gap = Duration::from_millis(u64::from(pocket_core::scan::FRAME_MIN_INTERVAL_MS) * 5);
    tokio::time::sleep(frame_gap).await;
    ensure!(
        bridge.calls().frames <= after_cancel + 1,
        "frames went on after Cancel"
    );
    browser.quit().await
}

#[tokio::test]
async fn a_refused_camera_explains_why_and_offers_a_photo_or_an_image() -> Result<()> {
    let _serial = serial().await;
    let bridge = CameraBridge::start().await?;
    let browser = phone_browser(None).await?;
    open_camera(&browser, &bridge).await?;
    // Chromium refuses at once, without a dialog: as Android does once the camera is refused
    // for good. The scanner says how to allow it and offers the pictures instead.
    let scanner = browser.wait_for("[data-testid=camera-scanner]").await?;
    browser
        .driver()
        .eventually("the refusal to be explained", WAIT, || async {
            let state = scanner.attr("data-state").await?;
            Ok(Look::when(state.as_deref() == Some("blocked"), || {
                format!("the scanner is {state:?}")
            }))
        })
        .await?;
    let status = browser.text("[data-testid=camera-status]").await?;
    ensure!(
        status.contains("Allow the camera for Pocket in the system settings"),
        "{status}"
    );
    for picture in ["camera-take-photo", "camera-open-image"] {
        let shown = browser
            .driver()
            .execute(
                "const input = document.querySelector(`[data-testid=${arguments[0]}]`);
                 const label = input && input.closest('label');
                 return !!label && label.getBoundingClientRect().height > 0;",
                vec![serde_json::json!(picture)],
            )
            .await?;
        ensure!(shown == serde_json::json!(true), "{picture} is not offered");
    }
    browser.wait_visible("[data-testid=camera-retry]").await?;
    browser
        .screenshot(&shots::dir()?.join("camera-blocked.png"))
        .await?;
    ensure!(bridge.calls().frames == 0);
    browser.quit().await
}

/// Counts the scanner's frames and the Rust side's answers.
const WATCH_FRAMES: &str = r#"
    // Tauri's IPC reaches the Rust side by fetch (its own `invoke` cannot be replaced).
    window.__frames = { sent: 0, answered: 0, failed: 0 };
    const send = window.fetch.bind(window);
    window.fetch = async (resource, options) => {
        if (!String(resource).includes('scan_frame')) return send(resource, options);
        window.__frames.sent += 1;
        const reply = await send(resource, options);
        window.__frames[reply.ok ? 'answered' : 'failed'] += 1;
        return reply;
    };
"#;

#[tokio::test]
async fn the_real_window_opens_its_camera_reads_frames_and_releases_it() -> Result<()> {
    use pocket_tests::app_keyboard::{ENTER, TAB};
    use pocket_tests::{AppDriver, Desktop};

    let _serial = serial().await;
    let desktop = Desktop::start().await?;
    let driver = AppDriver::start_with_env(&desktop, &[("POCKET_MOCK_CAMERA", "1")]).await?;
    let app = driver.launch().await?;
    // Keyboard only, from the first screen to Cancel, in the focused window.
    desktop.focus_window("Pocket").await?;
    app.tab_to("[data-testid=add-account]").await?;
    app.press(ENTER).await?;
    // WebKitGTK's media stream is on: the mock camera is listed, so the button is offered.
    app.wait_for("[data-testid=scan-camera]").await?;
    app.run_script(&format!("{WATCH_FRAMES}{RECORD_STREAMS}"))
        .await?;

    app.tab_to("[data-testid=scan-camera]").await?;
    app.press(ENTER).await?;
    app.eventually("frames to reach the decoder", WAIT, || async {
        let frames = app.run_script("return window.__frames;").await?;
        let answered = frames["answered"].as_u64().unwrap_or(0);
        Ok(Look::when(answered >= 3, || format!("frames: {frames}")))
    })
    .await?;
    let state = app
        .wait_for("[data-testid=camera-scanner]")
        .await?
        .attr("data-state")
        .await?;
    ensure!(state.as_deref() == Some("live"), "the scanner is {state:?}");
    // The torch button is there exactly when the camera has a torch.
    let torch = app
        .run_script(
            "const [t] = window.__cameraStreams[0].getVideoTracks();
             return !!(t.getCapabilities && t.getCapabilities().torch);",
        )
        .await?;
    ensure!(
        app.exists("[data-testid=camera-torch]").await? == (torch == serde_json::json!(true)),
        "torch capability {torch}, button shown: the opposite"
    );

    for theme in ["light", "dark"] {
        app.force_theme(theme).await?;
        app.ensure_accessible(&format!("the camera scanner, {theme}"))
            .await?;
    }
    // The scanner opened with focus on Cancel; Tab stays within it; Enter on Cancel closes.
    app.tab_to("[data-testid=camera-cancel]").await?;
    for _ in 0..6 {
        app.press(TAB).await?;
        let inside = app
            .run_script("return !!document.activeElement.closest('[data-testid=camera-scanner]');")
            .await?;
        ensure!(inside == serde_json::json!(true), "Tab left the scanner");
    }
    app.tab_to("[data-testid=camera-cancel]").await?;
    app.press(ENTER).await?;
    app.eventually("the scanner to close", WAIT, || async {
        Ok(Look::when(
            !app.exists("[data-testid=camera-scanner]").await?,
            || "still open".to_string(),
        ))
    })
    .await?;
    let ended = app
        .run_script(
            "const tracks = window.__cameraStreams.flatMap((s) => s.getTracks());
             return tracks.length > 0 && tracks.every((t) => t.readyState === 'ended');",
        )
        .await?;
    ensure!(
        ended == serde_json::json!(true),
        "a track still runs after Cancel"
    );
    let focused = app
        .run_script("return document.activeElement.dataset.testid ?? null;")
        .await?;
    ensure!(
        focused == serde_json::json!("scan-camera"),
        "focus went to {focused} after the scanner closed"
    );
    app.quit().await
}
