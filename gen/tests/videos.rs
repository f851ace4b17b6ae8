//! The camera videos: `pocket-gen scan --video` finds each one's code within its first
//! second through the app's frame path, and nothing in the one without.

use std::process::Command;
use std::time::Duration;

use pocket_gen::corpus::{self, generate_videos, read_video_manifest};
use pocket_tests::process::run;

/// A video of two seconds, read unoptimised.
const LIMIT: Duration = Duration::from_secs(60);

#[test]
fn every_video_with_a_code_scans_within_a_second_and_the_empty_one_finds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let videos = generate_videos(dir.path(), 1).unwrap();
    assert_eq!(read_video_manifest(dir.path()).unwrap(), videos);
    assert_eq!(
        videos
            .iter()
            .map(|v| v.category.as_str())
            .collect::<Vec<_>>(),
        corpus::video::VIDEO_CATEGORIES
    );
    for video in &videos {
        let out = run(
            Command::new(env!("CARGO_BIN_EXE_pocket-gen"))
                .args(["scan", "--video"])
                .arg(dir.path().join(&video.file)),
            LIMIT,
        )
        .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        match &video.text {
            Some(text) => {
                assert!(out.status.success(), "{}: nothing found", video.file);
                let fields: Vec<&str> = stdout.trim_end().split('\t').collect();
                let [frame, millis, found] = fields[..] else {
                    panic!("{}: printed {stdout:?}", video.file);
                };
                assert_eq!(found, text, "{}", video.file);
                let (frame, millis): (u64, u64) = (frame.parse().unwrap(), millis.parse().unwrap());
                assert_eq!(millis, frame * 1000 / u64::from(corpus::video::FPS));
                assert!(millis < 1000, "{}: found only at {millis} ms", video.file);
            }
            None => {
                assert_eq!(out.status.code(), Some(1), "{}: {stdout}", video.file);
                assert_eq!(stdout, "");
            }
        }
    }
}

#[test]
fn a_broken_video_is_an_error_not_a_miss() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cut.y4m");
    std::fs::write(
        &file,
        b"YUV4MPEG2 W640 H480 F15:1 C420jpeg\nFRAME\n\x10\x10",
    )
    .unwrap();
    let out = run(
        Command::new(env!("CARGO_BIN_EXE_pocket-gen"))
            .args(["scan", "--video"])
            .arg(&file),
        LIMIT,
    )
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("a frame is cut short"), "{stderr}");
}
