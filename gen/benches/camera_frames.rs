//! The camera's frame path (pocket-core's reduction and frame decoder) against zbarimg, on
//! the same frames of `pocket-gen corpus --video`'s videos, in one run.
//!
//! Prints the time per frame at 640×480 and at 1280×720 (the same scenes, enlarged), Pocket
//! in process and zbarimg as one process over every frame (its time per frame, so its start
//! is spread thin), and for each video the time into the video at which each first finds
//! the code. Exits non-zero when a video with a code is not read within its first second,
//! when a 640×480 frame takes Pocket 30 ms or more at the median, or when a code is read in
//! the video without one. Option: `--seed N` (default 1).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use image::GrayImage;
use pocket_core::scan::{decode_frame, reduce};
use pocket_gen::corpus::{self, Video};
use pocket_gen::video::y4m::{Header, Reader};
use pocket_tests::process::run;

/// zbarimg over every frame of one size.
const ZBAR_LIMIT: Duration = Duration::from_secs(300);
/// The goals the issue set: a code within a second of video, a frame well within the pace.
const FOUND_WITHIN_MS: u64 = 1000;
const FRAME_BUDGET_MS: f64 = 30.0;

struct Clip {
    video: Video,
    header: Header,
    frames: Vec<Vec<u8>>,
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let seed = match args.iter().position(|a| a == "--seed") {
        Some(i) => args.get(i + 1).context("--seed without a value")?.parse()?,
        None => 1,
    };
    let zbarimg =
        which("zbarimg").context("zbarimg is missing: `make bench` installs zbar-tools")?;
    let dir = tempfile::tempdir()?;
    let videos = corpus::generate_videos(dir.path(), seed)?;
    let clips = videos
        .into_iter()
        .map(|video| read_clip(dir.path(), video))
        .collect::<Result<Vec<_>>>()?;
    let count: usize = clips.iter().map(|c| c.frames.len()).sum();
    let header = clips[0].header;
    println!(
        "camera frames: {} videos, {count} frames, {}×{} at {} fps (seed {seed})",
        clips.len(),
        header.width,
        header.height,
        header.fps_num
    );

    let sizes = [(header.width, header.height), (1280, 720)];
    let mut failures = Vec::new();
    let mut firsts = Vec::new();
    println!("\ntime per frame        Pocket median    p95    zbarimg    zbarimg / Pocket");
    for (width, height) in sizes {
        let frames_dir = dir.path().join(format!("{width}x{height}"));
        std::fs::create_dir_all(&frames_dir)?;
        let (mut times, mut pocket_first, mut files) = (Vec::new(), Vec::new(), Vec::new());
        for clip in &clips {
            let mut first = None;
            for (index, luma) in clip.frames.iter().enumerate() {
                let frame = resized(luma, clip.header, width, height)?;
                let file = frames_dir.join(format!("{}-{index:03}.pgm", clip.video.category));
                write_pgm(&file, &frame, width, height)?;
                files.push(file);
                let started = Instant::now();
                let (small, w, h) = reduce(&frame, width, height)?;
                let text = decode_frame(&small, w, h)?;
                times.push(started.elapsed());
                if first.is_none()
                    && let Some(text) = text
                {
                    first = Some((index as u64, text));
                }
            }
            pocket_first.push(first);
        }
        let started = Instant::now();
        let xml = run(
            Command::new(&zbarimg)
                .args(["--xml", "-q", "-Sdisable", "-Sqrcode.enable"])
                .args(&files),
            ZBAR_LIMIT,
        )?;
        let zbar_per_frame = ms(started.elapsed()) / files.len() as f64;
        let zbar_found = zbar_hits(&String::from_utf8_lossy(&xml.stdout));
        times.sort();
        let median = ms(percentile(&times, 50));
        println!(
            "  {width:>4}×{height:<4}         {median:>7.2} ms {:>7.2} ms {zbar_per_frame:>7.2} ms {:>10.2}x",
            ms(percentile(&times, 95)),
            zbar_per_frame / median
        );
        if (width, height) == sizes[0] && median >= FRAME_BUDGET_MS {
            failures.push(format!("a {width}×{height} frame takes {median:.1} ms"));
        }
        firsts.push((width, height, pocket_first, zbar_found, files));
    }

    println!("\nfirst code, in video time      Pocket          zbarimg");
    for (width, height, pocket_first, zbar_found, files) in &firsts {
        println!("  at {width}×{height}");
        for (clip, pocket) in clips.iter().zip(pocket_first) {
            let zbar = files
                .iter()
                .filter(|f| file_category(f) == clip.video.category)
                .position(|f| zbar_found.iter().any(|(hit, _)| hit == f));
            let at = |frame: Option<u64>| match frame {
                Some(frame) => format!("{:>4} ms ({frame:>2})", clip.header.millis_at(frame)),
                None => "none".to_string(),
            };
            println!(
                "    {:<12} {:>16} {:>16}",
                clip.video.category,
                at(pocket.as_ref().map(|(frame, _)| *frame)),
                at(zbar.map(|i| i as u64))
            );
            match (&clip.video.text, pocket) {
                (Some(expected), Some((frame, text))) => {
                    if text != expected {
                        failures.push(format!("{}: read {text:?}", clip.video.category));
                    } else if clip.header.millis_at(*frame) >= FOUND_WITHIN_MS {
                        failures.push(format!(
                            "{}: found only at frame {frame}",
                            clip.video.category
                        ));
                    }
                }
                (Some(_), None) => failures.push(format!("{}: not found", clip.video.category)),
                (None, Some((_, text))) => {
                    failures.push(format!("{}: read {text:?}", clip.video.category))
                }
                (None, None) => {}
            }
        }
    }
    if !failures.is_empty() {
        bail!("goals missed: {}", failures.join("; "));
    }
    println!(
        "\ngoals met: every code within {FOUND_WITHIN_MS} ms of video, a 640×480 frame under {FRAME_BUDGET_MS} ms"
    );
    Ok(())
}

fn read_clip(dir: &Path, video: Video) -> Result<Clip> {
    let file = std::fs::File::open(dir.join(&video.file))?;
    let mut reader = Reader::new(std::io::BufReader::new(file))?;
    let mut frames = Vec::new();
    while let Some(luma) = reader.next_luma()? {
        frames.push(luma);
    }
    Ok(Clip {
        header: reader.header,
        video,
        frames,
    })
}

/// The frame at `width` × `height`: the same scene as a camera of that size would see it.
fn resized(luma: &[u8], header: Header, width: u32, height: u32) -> Result<Vec<u8>> {
    if (width, height) == (header.width, header.height) {
        return Ok(luma.to_vec());
    }
    let image =
        GrayImage::from_raw(header.width, header.height, luma.to_vec()).context("frame size")?;
    Ok(
        image::imageops::resize(&image, width, height, image::imageops::FilterType::Triangle)
            .into_raw(),
    )
}

/// A binary PGM, which zbarimg reads and the image crate here does not write.
fn write_pgm(path: &Path, luma: &[u8], width: u32, height: u32) -> Result<()> {
    let mut bytes = format!("P5\n{width} {height}\n255\n").into_bytes();
    bytes.extend_from_slice(luma);
    Ok(std::fs::write(path, bytes)?)
}

/// The files zbarimg's XML output names with a symbol in them, and the symbol's text.
fn zbar_hits(xml: &str) -> Vec<(PathBuf, String)> {
    let mut hits = Vec::new();
    for source in xml.split("<source href='").skip(1) {
        let Some((file, rest)) = source.split_once('\'') else {
            continue;
        };
        if let Some(data) = rest.split("<data><![CDATA[").nth(1)
            && let Some((text, _)) = data.split_once("]]></data>")
        {
            hits.push((PathBuf::from(file), text.to_string()));
        }
    }
    hits
}

fn file_category(file: &Path) -> &str {
    file.file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| s.rsplit_once('-'))
        .map(|(category, _)| category)
        .unwrap_or_default()
}

fn percentile(times: &[Duration], p: usize) -> Duration {
    let index = (times.len() * p / 100).min(times.len().saturating_sub(1));
    times.get(index).copied().unwrap_or_default()
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| Path::new(dir).join(program))
        .find(|path| path.is_file())
}
