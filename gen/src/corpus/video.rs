//! Test videos for the camera path: a code as a hand holds it in front of a phone (moving,
//! turning, going in and out of focus, in low light, partly covered, light on dark, far away),
//! and one without a code. Written as YUV4MPEG2, which Chromium plays as its fake camera.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use image::{GrayImage, Luma};
use qrcode::EcLevel;

use super::rng::Rng;
use super::warp::{
    add_noise, backdrop, blur, invert, rotated_extent, rotation, squeeze, warp_within,
};
use super::{account_link, decoys, qr_at_level};
use crate::video::y4m::{Header, Writer};

pub const VIDEO_MANIFEST: &str = "videos.tsv";
pub const VIDEO_CATEGORIES: &[&str] = &[
    "moving",
    "turning",
    "focus",
    "low_light",
    "covered",
    "inverted",
    "far_away",
    "no_code",
];
pub const WIDTH: u32 = 640;
pub const HEIGHT: u32 = 480;
pub const FPS: u32 = 15;
/// Two seconds: each code shows readably within the first.
pub const FRAMES: u32 = 30;

/// One video and the text of its code (`None` for the video without one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Video {
    pub file: String,
    pub category: String,
    pub text: Option<String>,
}

/// Writes one video of each category into `dir`, with the manifest.
pub fn generate_videos(dir: &Path, seed: u64) -> Result<Vec<Video>> {
    std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
    let mut rng = Rng::new(seed);
    let mut videos = Vec::new();
    for category in VIDEO_CATEGORIES {
        let file = format!("{category}.y4m");
        let path = dir.join(&file);
        let out =
            std::fs::File::create(&path).with_context(|| format!("create {}", path.display()))?;
        let mut writer = Writer::new(
            std::io::BufWriter::new(out),
            Header::new(WIDTH, HEIGHT, FPS),
        )?;
        let text = write_frames(category, &mut rng, |frame| writer.frame(frame.as_raw()))?;
        writer.finish()?;
        videos.push(Video {
            file,
            category: category.to_string(),
            text,
        });
    }
    let mut manifest = std::fs::File::create(dir.join(VIDEO_MANIFEST))?;
    for video in &videos {
        let text = video.text.as_deref().unwrap_or("");
        writeln!(manifest, "{}\t{}\t{text}", video.file, video.category)?;
    }
    Ok(videos)
}

pub fn read_video_manifest(dir: &Path) -> Result<Vec<Video>> {
    let path = dir.join(VIDEO_MANIFEST);
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("read {}", path.display()))?;
    text.lines()
        .map(|line| {
            let mut fields = line.split('\t');
            let file = fields.next().context("empty manifest line")?.to_string();
            let category = fields
                .next()
                .context("a line without a category")?
                .to_string();
            let text = fields.next().filter(|t| !t.is_empty()).map(str::to_string);
            Ok(Video {
                file,
                category,
                text,
            })
        })
        .collect()
}

/// How the code sits in frame `t` (0 at the first frame, 1 at the last).
struct Pose {
    centre: (f64, f64),
    degrees: f64,
}

/// Renders the category's frames and hands each to `emit`; returns the code's text.
fn write_frames(
    category: &str,
    rng: &mut Rng,
    mut emit: impl FnMut(&GrayImage) -> Result<()>,
) -> Result<Option<String>> {
    if category == "no_code" {
        let clutter = decoys(rng);
        for index in 0..FRAMES {
            emit(&pan(&clutter, index * 6))?;
        }
        return Ok(None);
    }
    let text = account_link(rng);
    // A covered code needs the error correction a printed sign would use to survive a finger.
    let level = if category == "covered" {
        EcLevel::H
    } else {
        EcLevel::M
    };
    let module = match category {
        "far_away" => 2,
        "covered" => 4,
        _ => 5,
    };
    let mut code = qr_at_level(&text, module, level)?;
    if category == "inverted" {
        invert(&mut code);
    }
    let background = match category {
        "inverted" => GrayImage::from_pixel(WIDTH, HEIGHT, Luma([25])),
        _ => backdrop(WIDTH, HEIGHT, rng),
    };
    let middle = (WIDTH as f64 / 2.0, HEIGHT as f64 / 2.0);
    for index in 0..FRAMES {
        let t = f64::from(index) / f64::from(FRAMES - 1);
        // A hand is never still: a pixel or two of tremor in every frame.
        let shake = (rng.range(-2.0, 2.0), rng.range(-2.0, 2.0));
        let pose = match category {
            // Brought in from beyond the left edge, then held a little off centre.
            "moving" => Pose {
                centre: (
                    -120.0 + (middle.0 + 160.0) * (2.5 * t).min(1.0) + 40.0 * t,
                    middle.1 + 30.0 * (t * 6.0).sin(),
                ),
                degrees: 6.0 * (t * 4.0).sin(),
            },
            "turning" => Pose {
                centre: middle,
                degrees: 10.0 + 100.0 * t,
            },
            "far_away" => Pose {
                centre: (middle.0 + 30.0 * t, middle.1 - 20.0 * t),
                degrees: 4.0,
            },
            _ => Pose {
                centre: middle,
                degrees: -3.0 + 6.0 * t,
            },
        };
        let sharpness = match category {
            // Blurred, sharp from about half a second to a second, blurred again.
            "focus" => Some(0.4 + 5.0 * ((t - 0.35).abs() / 0.35).min(1.0)),
            _ => None,
        };
        let drawn = match sharpness {
            Some(sigma) => blur(&pad(&code, 24), sigma as f32),
            None => code.clone(),
        };
        let mut frame = background.clone();
        place(&mut frame, &drawn, &pose, shake);
        match category {
            "low_light" => {
                squeeze(&mut frame, 6, 36);
                add_noise(&mut frame, rng, 6.0);
            }
            "covered" => finger(&mut frame, &pose, drawn.width(), t),
            _ => {}
        }
        emit(&frame)?;
    }
    Ok(Some(text))
}

/// Draws `code`, turned and moved by `pose`, redrawing only the square it can cover.
fn place(frame: &mut GrayImage, code: &GrayImage, pose: &Pose, shake: (f64, f64)) {
    let (cx, cy) = (pose.centre.0 + shake.0, pose.centre.1 + shake.1);
    let half = f64::from(rotated_extent(code.width())) / 2.0;
    let bounds = (
        (cx - half).max(0.0) as u32,
        (cy - half).max(0.0) as u32,
        (2.0 * half) as u32 + 1,
        (2.0 * half) as u32 + 1,
    );
    warp_within(frame, code, rotation(code, pose.degrees, cx, cy), bounds);
}

/// A fingertip over the code's lower left corner, over its finder pattern at first, drawn
/// away within the first second.
fn finger(frame: &mut GrayImage, pose: &Pose, side: u32, t: f64) {
    let reach = f64::from(side) * (0.45 - 0.8 * t).max(0.1);
    let right = (pose.centre.0 - f64::from(side) / 2.0 + reach).max(0.0) as u32;
    let top = (pose.centre.1 + f64::from(side) / 2.0 - reach).max(0.0) as u32;
    for y in top..HEIGHT {
        for x in 0..right.min(WIDTH) {
            frame.put_pixel(x, y, Luma([150]));
        }
    }
}

/// `image` in the middle of a white margin, so a blur has room to spread.
fn pad(image: &GrayImage, margin: u32) -> GrayImage {
    let mut out = GrayImage::from_pixel(
        image.width() + 2 * margin,
        image.height() + 2 * margin,
        Luma([255]),
    );
    image::imageops::overlay(&mut out, image, i64::from(margin), i64::from(margin));
    out
}

/// A frame-sized window on `scene`, `offset` pixels to the right, wrapping around.
fn pan(scene: &GrayImage, offset: u32) -> GrayImage {
    GrayImage::from_fn(WIDTH, HEIGHT, |x, y| {
        *scene.get_pixel((x + offset) % scene.width(), y % scene.height())
    })
}
