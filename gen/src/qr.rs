//! Rendering QR codes for people and scanners: PNG, SVG and the terminal.

use std::path::Path;

use anyhow::{Context, Result};
use qrcode::render::{svg, unicode};
use qrcode::{EcLevel, QrCode};

/// Pixels per module in PNG output: large enough for a phone held at arm's length.
const PNG_MODULE_PIXELS: u32 = 8;

fn encode(text: &str) -> Result<QrCode> {
    // Level M, as services print their enrollment codes; it leaves room for long URIs.
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .context("the text is too long for a QR code")
}

pub fn write_png(text: &str, path: &Path) -> Result<()> {
    let image = encode(text)?
        .render::<image::Luma<u8>>()
        .module_dimensions(PNG_MODULE_PIXELS, PNG_MODULE_PIXELS)
        .build();
    image
        .save_with_format(path, image::ImageFormat::Png)
        .with_context(|| format!("write {}", path.display()))
}

pub fn write_svg(text: &str, path: &Path) -> Result<()> {
    std::fs::write(path, svg_markup(text)?).with_context(|| format!("write {}", path.display()))
}

/// The QR code as SVG markup, to put in a page or a file.
pub fn svg_markup(text: &str) -> Result<String> {
    Ok(encode(text)?
        .render::<svg::Color<'_>>()
        .min_dimensions(256, 256)
        .build())
}

/// Two modules per character cell, dark on light whatever the terminal's colours.
pub fn terminal(text: &str) -> Result<String> {
    Ok(encode(text)?
        .render::<unicode::Dense1x2>()
        .dark_color(unicode::Dense1x2::Light)
        .light_color(unicode::Dense1x2::Dark)
        .build())
}
