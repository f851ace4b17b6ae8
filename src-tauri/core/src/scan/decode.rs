//! QR decoding with rxing, fed grayscale pixels. Images come in as PNG or JPEG only.

use std::collections::HashSet;
use std::io::Cursor;

use image::{ImageFormat, ImageReader, Limits};
use rxing::common::HybridBinarizer;
use rxing::multi::qrcode::QRCodeMultiReader;
use rxing::multi::{GenericMultipleBarcodeReader, MultipleBarcodeReader};
use rxing::qrcode::QRCodeReader;
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Luma8LuminanceSource};

use crate::error::{Error, Result};

/// Pictures with more pixels are refused before anything is decoded: a 50-megapixel camera
/// aside, real photos and screenshots (an 8K screen is 33 megapixels) stay under it, while a
/// crafted 1 MB PNG can claim gigabytes.
pub const MAX_PIXELS: u64 = 40_000_000;
/// Decoding a picture within `MAX_PIXELS` never needs more (16-bit RGBA files are refused).
const MAX_DECODE_BYTES: u64 = MAX_PIXELS * 4 + (16 << 20);
/// Larger pictures are scaled down before the readers, which slow down with the pixel count;
/// a QR code big enough to scan stays readable at this size.
const SCAN_PIXELS: u64 = 12_000_000;

/// Refuses pictures of more than [`MAX_PIXELS`].
pub fn check_picture_size(width: u32, height: u32) -> Result<()> {
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Error::ImageTooLarge);
    }
    Ok(())
}

/// Every QR code in a PNG or JPEG file, in the order found, without repeats. The size in the
/// file's header is checked before any pixel is decoded.
pub fn decode_image_file(bytes: &[u8]) -> Result<Vec<String>> {
    let format = image::guess_format(bytes).map_err(|_| Error::ImageUnreadable)?;
    if !matches!(format, ImageFormat::Png | ImageFormat::Jpeg) {
        return Err(Error::ImageFormatUnsupported);
    }
    let reader = || ImageReader::with_format(Cursor::new(bytes), format);
    let (width, height) = reader()
        .into_dimensions()
        .map_err(|_| Error::ImageUnreadable)?;
    check_picture_size(width, height)?;
    let mut reader = reader();
    let mut limits = Limits::default();
    limits.max_image_width = Some(width);
    limits.max_image_height = Some(height);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let image = reader.decode().map_err(|error| match error {
        image::ImageError::Limits(_) => Error::ImageTooLarge,
        _ => Error::ImageUnreadable,
    })?;
    let luma = image.into_luma8();
    let (width, height) = luma.dimensions();
    decode_luma(luma.as_raw(), width, height)
}

/// Every QR code in RGBA pixels (a screen capture, a copied picture), as [`decode_luma`]
/// does.
pub fn decode_rgba(rgba: &[u8], width: u32, height: u32) -> Result<Vec<String>> {
    check_picture_size(width, height)?;
    let luma: Vec<u8> = rgba
        .chunks_exact(4)
        // ITU-R BT.601 luma in integer arithmetic.
        .map(|p| ((299 * p[0] as u32 + 587 * p[1] as u32 + 114 * p[2] as u32) / 1000) as u8)
        .collect();
    decode_luma(&luma, width, height)
}

/// Every QR code in 8-bit grayscale pixels, row by row. Faint and light-on-dark codes are
/// found too. Pictures over [`SCAN_PIXELS`] are scaled down first.
pub fn decode_luma(luma: &[u8], width: u32, height: u32) -> Result<Vec<String>> {
    check_picture_size(width, height)?;
    let pixels = width as usize * height as usize;
    if width == 0 || height == 0 || luma.len() < pixels {
        return Ok(Vec::new());
    }
    let factor = scale_down_factor(width, height);
    if factor > 1 {
        let (small, w, h) = scale_down(&luma[..pixels], width, height, factor);
        return Ok(read_codes(&small, w, h));
    }
    Ok(read_codes(&luma[..pixels], width, height))
}

/// The smallest whole factor that brings the picture within `SCAN_PIXELS`.
fn scale_down_factor(width: u32, height: u32) -> u32 {
    let pixels = u64::from(width) * u64::from(height);
    let mut factor = 1u32;
    while pixels / u64::from(factor * factor) > SCAN_PIXELS {
        factor += 1;
    }
    factor
}

/// Averages `factor` × `factor` blocks; the rightmost and bottom pixels that do not fill a
/// block are dropped.
fn scale_down(luma: &[u8], width: u32, height: u32, factor: u32) -> (Vec<u8>, u32, u32) {
    let (w, h) = (width / factor, height / factor);
    let mut out = vec![0u8; w as usize * h as usize];
    let area = factor * factor;
    for y in 0..h {
        for x in 0..w {
            let mut sum = 0u32;
            for dy in 0..factor {
                let row = ((y * factor + dy) * width + x * factor) as usize;
                sum += luma[row..row + factor as usize]
                    .iter()
                    .map(|&v| u32::from(v))
                    .sum::<u32>();
            }
            out[(y * w + x) as usize] = (sum / area) as u8;
        }
    }
    (out, w, h)
}

fn read_codes(luma: &[u8], width: u32, height: u32) -> Vec<String> {
    let stretched = stretch_contrast(luma);
    let mut found = decode_all(&stretched, width, height);
    if found.is_empty() {
        let inverted: Vec<u8> = stretched.iter().map(|v| 255 - v).collect();
        found = decode_all(&inverted, width, height);
    }
    for tile in tiles(width, height) {
        let crop = crop(&stretched, width, tile);
        if let Some(text) = decode_one(&crop, tile.2, tile.3)
            && !found.contains(&text)
        {
            found.push(text);
        }
    }
    found
}

/// Overlapping tiles, half the picture's size, a quarter apart: any code up to a quarter of
/// the picture lies wholly in one. In a busy picture (a screen, a page of codes) a code the
/// whole-picture readers missed is often found alone in its tile.
fn tiles(width: u32, height: u32) -> Vec<(u32, u32, u32, u32)> {
    const MIN_SIDE: u32 = 400;
    if width < MIN_SIDE * 2 && height < MIN_SIDE * 2 {
        return Vec::new();
    }
    let (tw, th) = (width / 2, height / 2);
    let mut tiles = Vec::new();
    for j in 0..3 {
        for i in 0..3 {
            tiles.push((i * width / 4, j * height / 4, tw, th));
        }
    }
    tiles
}

pub(super) fn crop(luma: &[u8], width: u32, (x, y, w, h): (u32, u32, u32, u32)) -> Vec<u8> {
    let mut out = Vec::with_capacity((w * h) as usize);
    for row in y..y + h {
        let start = (row * width + x) as usize;
        out.extend_from_slice(&luma[start..start + w as usize]);
    }
    out
}

/// The single-code reader, which copes with more blur and perspective than the others.
pub(super) fn decode_one(luma: &[u8], width: u32, height: u32) -> Option<String> {
    let mut hints = qr_hints();
    rxing::helpers::detect_in_luma_with_hints(
        luma.to_vec(),
        width,
        height,
        Some(BarcodeFormat::QR_CODE),
        &mut hints,
    )
    .ok()
    .map(|result| result.getText().to_string())
}

fn qr_hints() -> DecodeHints {
    DecodeHints {
        PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
        TryHarder: Some(true),
        ..DecodeHints::default()
    }
}

/// Spreads the grey levels between the darkest and the lightest over 0..=255: a faint code
/// (a dim screen, a grey print) then binarizes like a crisp one.
pub(super) fn stretch_contrast(luma: &[u8]) -> Vec<u8> {
    let (low, high) = luma
        .iter()
        .fold((255u8, 0u8), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    if high <= low {
        return luma.to_vec();
    }
    let span = (high - low) as u32;
    luma.iter()
        .map(|&v| ((v - low) as u32 * 255 / span) as u8)
        .collect()
}

/// Runs the readers that complement each other and keeps every distinct text, in order.
fn decode_all(luma: &[u8], width: u32, height: u32) -> Vec<String> {
    let hints = qr_hints();
    let Ok(source) = Luma8LuminanceSource::new(luma.to_vec(), width, height) else {
        return Vec::new();
    };
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    let mut found = Vec::new();
    let mut keep = |results: rxing::common::Result<Vec<rxing::RXingResult>>| {
        for result in results.unwrap_or_default() {
            let text = result.getText().to_string();
            if !found.contains(&text) {
                found.push(text);
            }
        }
    };
    // Finds several codes at once when their finder patterns are crisp...
    keep(QRCodeMultiReader::default().decode_multiple_with_hints(&mut bitmap, &hints));
    // ...and this one splits the picture around each code it finds and looks again, which
    // catches codes the first missed among others, and copes with more blur and perspective.
    keep(
        GenericMultipleBarcodeReader::new(QRCodeReader)
            .decode_multiple_with_hints(&mut bitmap, &hints),
    );
    if found.is_empty() {
        found.extend(decode_one(luma, width, height));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use qrcode::QrCode;

    /// A QR code as grayscale pixels: `scale` pixels per module, a 4-module quiet zone.
    fn qr_luma(text: &str, scale: u32) -> (Vec<u8>, u32) {
        let code = QrCode::new(text.as_bytes()).unwrap();
        let modules = code.width() as u32;
        let side = (modules + 8) * scale;
        let colors = code.to_colors();
        let mut pixels = vec![255u8; (side * side) as usize];
        for y in 0..side {
            for x in 0..side {
                let (mx, my) = ((x / scale) as i64 - 4, (y / scale) as i64 - 4);
                if (0..modules as i64).contains(&mx) && (0..modules as i64).contains(&my) {
                    let dark =
                        colors[(my as u32 * modules + mx as u32) as usize] == qrcode::Color::Dark;
                    if dark {
                        pixels[(y * side + x) as usize] = 0;
                    }
                }
            }
        }
        (pixels, side)
    }

    fn png(luma: &[u8], width: u32, height: u32) -> Vec<u8> {
        let image = image::GrayImage::from_raw(width, height, luma.to_vec()).unwrap();
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        bytes
    }

    const URI: &str = "otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME";

    #[test]
    fn finds_a_code_in_a_png() {
        let (luma, side) = qr_luma(URI, 6);
        assert_eq!(decode_image_file(&png(&luma, side, side)).unwrap(), [URI]);
    }

    #[test]
    fn finds_an_inverted_code() {
        let (luma, side) = qr_luma(URI, 5);
        let inverted: Vec<u8> = luma.iter().map(|v| 255 - v).collect();
        assert_eq!(decode_luma(&inverted, side, side).unwrap(), [URI]);
    }

    #[test]
    fn finds_every_code_side_by_side() {
        let second = "otpauth://totp/ACME:bob?secret=KRSXG5CTMVRXEZLU&issuer=ACME";
        let (left, side) = qr_luma(URI, 5);
        let (right, right_side) = qr_luma(second, 5);
        assert_eq!(side, right_side);
        let width = side * 2 + 40;
        let mut canvas = vec![255u8; (width * side) as usize];
        for y in 0..side {
            for x in 0..side {
                canvas[(y * width + x) as usize] = left[(y * side + x) as usize];
                canvas[(y * width + side + 40 + x) as usize] = right[(y * side + x) as usize];
            }
        }
        let mut found = decode_luma(&canvas, width, side).unwrap();
        found.sort();
        assert_eq!(found, [URI, second]);
    }

    #[test]
    fn a_picture_without_a_code_has_none() {
        let noise: Vec<u8> = (0..200u32 * 200)
            .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
            .collect();
        assert!(decode_luma(&noise, 200, 200).unwrap().is_empty());
        assert!(decode_luma(&[], 0, 0).unwrap().is_empty());
        assert!(decode_luma(&[0; 10], 100, 100).unwrap().is_empty());
    }

    #[test]
    fn refuses_what_is_not_a_png_or_jpeg() {
        assert_eq!(
            decode_image_file(b"not an image").unwrap_err().code(),
            "image_unreadable"
        );
        assert_eq!(
            decode_image_file(b"GIF89a\x01\x00\x01\x00")
                .unwrap_err()
                .code(),
            "image_format_unsupported"
        );
        let (luma, side) = qr_luma(URI, 4);
        let truncated = &png(&luma, side, side)[..100];
        assert_eq!(
            decode_image_file(truncated).unwrap_err().code(),
            "image_unreadable"
        );
    }

    /// A PNG whose header claims `width` × `height` pixels; its pixel data is not decoded.
    fn png_claiming(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = png(&[255; 4], 2, 2);
        bytes[16..20].copy_from_slice(&width.to_be_bytes());
        bytes[20..24].copy_from_slice(&height.to_be_bytes());
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        bytes
    }

    #[test]
    fn a_picture_of_more_than_40_megapixels_is_refused_before_decoding() {
        // 16000 × 16000 RGBA is a gigabyte of pixels from a file of a megabyte.
        for (width, height) in [(16_000, 16_000), (20_000, 20_000), (7_000, 6_000)] {
            assert_eq!(
                decode_image_file(&png_claiming(width, height))
                    .unwrap_err()
                    .code(),
                "image_too_large",
                "{width}×{height}"
            );
        }
        // Pixels already in memory (a copied picture, a screen) are held to the same rule.
        assert_eq!(
            decode_rgba(&[], 9_000, 9_000).unwrap_err().code(),
            "image_too_large"
        );
        assert_eq!(
            decode_luma(&[], 9_000, 9_000).unwrap_err().code(),
            "image_too_large"
        );
    }

    #[test]
    fn a_large_photo_is_scaled_down_and_its_code_still_read() {
        // 5000 × 3000 (15 megapixels, over the scanning size) with a code of 10-pixel modules.
        let (code, side) = qr_luma(URI, 10);
        let (width, height) = (5_000u32, 3_000u32);
        let mut photo = vec![200u8; (width * height) as usize];
        for y in 0..side {
            let row = ((y + 900) * width + 2_100) as usize;
            photo[row..row + side as usize]
                .copy_from_slice(&code[(y * side) as usize..((y + 1) * side) as usize]);
        }
        assert_eq!(scale_down_factor(width, height), 2);
        assert_eq!(decode_luma(&photo, width, height).unwrap(), [URI]);
    }

    /// The CRC-32 PNG chunks carry (IEEE 802.3, reflected).
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &byte in bytes {
            crc ^= byte as u32;
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}
