//! A reproducible corpus of QR images for QA and benchmarks: the same seed always gives the
//! same images, each listed in `manifest.tsv` with what it holds.

mod rng;
pub mod video;
mod warp;

pub use video::{VIDEO_MANIFEST, Video, generate_videos, read_video_manifest};

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use image::{GrayImage, ImageFormat, Luma};
use pocket_core::otp::SecretKey;
use qrcode::{EcLevel, QrCode};

use rng::Rng;
use warp::{
    add_noise, apply, backdrop, blur, homography, invert, rotated_extent, rotation, squeeze,
    warp_onto,
};

pub const MANIFEST: &str = "manifest.tsv";

pub const CATEGORIES: &[&str] = &[
    "clean",
    "rotated",
    "perspective",
    "blurred",
    "noisy",
    "low_contrast",
    "inverted",
    "tiny_modules",
    "huge_modules",
    "photo_background",
    "several",
    "jpeg",
    "no_code",
];

/// One image of the corpus and the texts of the QR codes in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub file: String,
    pub category: String,
    pub texts: Vec<String>,
}

/// Writes `per_category` images of every category into `dir`, with the manifest.
pub fn generate(dir: &Path, seed: u64, per_category: usize) -> Result<Vec<Entry>> {
    std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
    let mut rng = Rng::new(seed);
    let mut entries = Vec::new();
    for category in CATEGORIES {
        for index in 0..per_category {
            let (image, texts, format) = make(category, &mut rng)?;
            let extension = if format == ImageFormat::Jpeg {
                "jpg"
            } else {
                "png"
            };
            let file = format!("{category}-{index:03}.{extension}");
            save(&image, &dir.join(&file), format, &mut rng)?;
            entries.push(Entry {
                file,
                category: category.to_string(),
                texts,
            });
        }
    }
    let mut manifest = std::fs::File::create(dir.join(MANIFEST))?;
    for entry in &entries {
        writeln!(
            manifest,
            "{}\t{}\t{}",
            entry.file,
            entry.category,
            entry.texts.join("\t")
        )?;
    }
    Ok(entries)
}

pub fn read_manifest(dir: &Path) -> Result<Vec<Entry>> {
    let text = std::fs::read_to_string(dir.join(MANIFEST))
        .with_context(|| format!("read {}", dir.join(MANIFEST).display()))?;
    text.lines()
        .map(|line| {
            let mut fields = line.split('\t');
            let file = fields.next().context("empty manifest line")?.to_string();
            let category = fields
                .next()
                .context("manifest line without a category")?
                .to_string();
            let texts = fields
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect();
            Ok(Entry {
                file,
                category,
                texts,
            })
        })
        .collect()
}

fn save(image: &GrayImage, path: &Path, format: ImageFormat, rng: &mut Rng) -> Result<()> {
    let file = std::fs::File::create(path).with_context(|| format!("create {}", path.display()))?;
    let mut writer = std::io::BufWriter::new(file);
    if format == ImageFormat::Jpeg {
        let quality = rng.int(35, 70) as u8;
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut writer, quality)
            .encode_image(image)?;
    } else {
        image.write_to(&mut writer, ImageFormat::Png)?;
    }
    Ok(())
}

fn make(category: &str, rng: &mut Rng) -> Result<(GrayImage, Vec<String>, ImageFormat)> {
    let text = random_text(rng);
    let mut format = ImageFormat::Png;
    let image = match category {
        "clean" => qr(&text, rng.int(4, 8))?,
        "rotated" => {
            let code = qr(&text, rng.int(5, 7))?;
            let angle = rng.range(8.0, 82.0) + 90.0 * rng.int(0, 3) as f64;
            on_white(&code, rotated_extent(code.width()), angle)
        }
        "perspective" => perspective(&qr(&text, 6)?, rng),
        "blurred" => {
            let module = rng.int(6, 8);
            blur(
                &qr(&text, module)?,
                module as f32 * rng.range(0.15, 0.35) as f32,
            )
        }
        "noisy" => {
            let mut code = qr(&text, rng.int(5, 7))?;
            let amount = rng.range(15.0, 45.0);
            add_noise(&mut code, rng, amount);
            code
        }
        "low_contrast" => {
            let mut code = qr(&text, 6)?;
            let low = rng.int(60, 150) as u8;
            squeeze(&mut code, low, low + rng.int(35, 60) as u8);
            code
        }
        "inverted" => {
            let mut code = qr(&text, rng.int(5, 7))?;
            invert(&mut code);
            code
        }
        "tiny_modules" => qr(&text, rng.int(2, 3))?,
        "huge_modules" => qr(&text, rng.int(24, 40))?,
        "photo_background" => {
            let mut canvas = backdrop(rng.int(800, 1200), rng.int(600, 900), rng);
            place(
                &mut canvas,
                &qr(&text, rng.int(4, 6))?,
                rng.range(-15.0, 15.0),
                rng,
            );
            canvas
        }
        "several" => return several(rng),
        "jpeg" => {
            format = ImageFormat::Jpeg;
            let mut canvas = backdrop(rng.int(700, 1000), rng.int(600, 800), rng);
            place(
                &mut canvas,
                &qr(&text, rng.int(4, 6))?,
                rng.range(-10.0, 10.0),
                rng,
            );
            canvas
        }
        "no_code" => return Ok((decoys(rng), Vec::new(), format)),
        other => anyhow::bail!("unknown corpus category {other}"),
    };
    Ok((image, vec![text], format))
}

/// A QR code with `module` pixels per module and the standard 4-module quiet zone.
fn qr(text: &str, module: u32) -> Result<GrayImage> {
    qr_at_level(text, module, EcLevel::M)
}

fn qr_at_level(text: &str, module: u32, level: EcLevel) -> Result<GrayImage> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), level)?;
    Ok(code
        .render::<Luma<u8>>()
        .module_dimensions(module, module)
        .build())
}

fn on_white(code: &GrayImage, side: u32, degrees: f64) -> GrayImage {
    let mut canvas = GrayImage::from_pixel(side, side, Luma([255]));
    let centre = side as f64 / 2.0;
    warp_onto(&mut canvas, code, rotation(code, degrees, centre, centre));
    canvas
}

/// The code seen at an angle: each corner pulled by up to a sixth of the side.
fn perspective(code: &GrayImage, rng: &mut Rng) -> GrayImage {
    let side = code.width() as f64;
    let margin = side / 6.0;
    let canvas_side = (side + 2.0 * margin).ceil() as u32;
    let corners = [(0.0, 0.0), (side, 0.0), (side, side), (0.0, side)];
    let moved = corners.map(|(x, y)| {
        (
            x + margin + rng.range(-margin, margin),
            y + margin + rng.range(-margin, margin),
        )
    });
    let back = homography(moved, corners);
    let mut canvas = GrayImage::from_pixel(canvas_side, canvas_side, Luma([255]));
    warp_onto(&mut canvas, code, |x, y| apply(&back, x, y));
    canvas
}

/// Places `code`, turned by `degrees`, somewhere wholly inside `canvas`.
fn place(canvas: &mut GrayImage, code: &GrayImage, degrees: f64, rng: &mut Rng) {
    let half = rotated_extent(code.width()) as f64 / 2.0;
    let cx = rng.range(half, (canvas.width() as f64 - half).max(half));
    let cy = rng.range(half, (canvas.height() as f64 - half).max(half));
    warp_onto(canvas, code, rotation(code, degrees, cx, cy));
}

/// Two to four codes on one backdrop, each in its own cell.
fn several(rng: &mut Rng) -> Result<(GrayImage, Vec<String>, ImageFormat)> {
    let count = rng.int(2, 4) as usize;
    let (cell_w, cell_h) = (520u32, 520u32);
    let columns = count.min(2) as u32;
    let rows = (count as u32).div_ceil(columns);
    let mut canvas = backdrop(cell_w * columns, cell_h * rows, rng);
    let mut texts = Vec::new();
    for index in 0..count as u32 {
        let text = random_text(rng);
        let code = qr(&text, 4)?;
        let mut cell = GrayImage::from_pixel(cell_w, cell_h, Luma([0]));
        // Draw into a cell-sized view, then copy only what the code covered.
        let mut covered = GrayImage::from_pixel(cell_w, cell_h, Luma([0]));
        let white = GrayImage::from_pixel(code.width(), code.height(), Luma([255]));
        let degrees = rng.range(-8.0, 8.0);
        let (cx, cy) = (
            cell_w as f64 / 2.0 + rng.range(-30.0, 30.0),
            cell_h as f64 / 2.0 + rng.range(-30.0, 30.0),
        );
        warp_onto(&mut cell, &code, rotation(&code, degrees, cx, cy));
        warp_onto(&mut covered, &white, rotation(&white, degrees, cx, cy));
        let (ox, oy) = ((index % columns) * cell_w, (index / columns) * cell_h);
        for (x, y, pixel) in cell.enumerate_pixels() {
            if covered.get_pixel(x, y)[0] > 0 {
                canvas.put_pixel(ox + x, oy + y, *pixel);
            }
        }
        texts.push(text);
    }
    Ok((canvas, texts, ImageFormat::Png))
}

/// Backdrops with code-like clutter and no QR code: checkerboards, bars and lone squares.
fn decoys(rng: &mut Rng) -> GrayImage {
    let mut canvas = backdrop(rng.int(600, 1000), rng.int(500, 800), rng);
    for _ in 0..rng.int(3, 7) {
        let size = rng.int(8, 24);
        let (x0, y0) = (
            rng.int(0, canvas.width() - 200),
            rng.int(0, canvas.height() - 200),
        );
        let kind = rng.int(0, 2);
        for y in 0..(size * 8).min(canvas.height() - y0) {
            for x in 0..(size * 8).min(canvas.width() - x0) {
                let dark = match kind {
                    0 => ((x / size) + (y / size)).is_multiple_of(2),
                    1 => (x / size).is_multiple_of(2),
                    _ => {
                        let (cx, cy) = (x / size, y / size);
                        cx == 0
                            || cy == 0
                            || cx == 6
                            || cy == 6
                            || (2..=4).contains(&cx) && (2..=4).contains(&cy)
                    }
                };
                if dark && x < size * 7 && y < size * 7 {
                    canvas.put_pixel(x0 + x, y0 + y, Luma([20]));
                }
            }
        }
    }
    canvas
}

/// An account link with a random secret of a length services use, or another kind of text.
fn random_text(rng: &mut Rng) -> String {
    match rng.int(0, 5) {
        0 => format!("https://example.com/login?session={:016x}", rng.next_u64()),
        _ => account_link(rng),
    }
}

/// An account link with a random secret of a length services use.
fn account_link(rng: &mut Rng) -> String {
    const ISSUERS: &[&str] = &["GitHub", "ACME Co", "Example", "Bank", "Pocket QA", "Mail"];
    const NAMES: &[&str] = &[
        "alice@example.com",
        "bob",
        "carol.smith@example.org",
        "dave+2fa@example.net",
    ];
    let bytes: Vec<u8> = (0..*rng.pick(&[10u32, 16, 20, 32]))
        .map(|_| rng.next_u64() as u8)
        .collect();
    let secret = SecretKey::from_bytes(bytes)
        .map(|s| s.to_base32().to_string())
        .unwrap_or_default();
    let issuer = rng.pick(ISSUERS).replace(' ', "%20");
    let name = rng.pick(NAMES).replace('@', "%40").replace('+', "%2B");
    format!("otpauth://totp/{issuer}:{name}?secret={secret}&issuer={issuer}")
}
