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

/// Larger pictures are refused before they are decoded: 16k × 16k covers any real screen.
const MAX_SIDE: u32 = 16_384;
const MAX_DECODE_BYTES: u64 = 1 << 30;

/// Every QR code in a PNG or JPEG file, in the order found, without repeats.
pub fn decode_image_file(bytes: &[u8]) -> Result<Vec<String>> {
    let format = image::guess_format(bytes).map_err(|_| Error::ImageUnreadable)?;
    if !matches!(format, ImageFormat::Png | ImageFormat::Jpeg) {
        return Err(Error::ImageFormatUnsupported);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let image = reader.decode().map_err(|error| match error {
        image::ImageError::Limits(_) => Error::ImageTooLarge,
        _ => Error::ImageUnreadable,
    })?;
    let luma = image.to_luma8();
    let (width, height) = luma.dimensions();
    Ok(decode_luma(luma.as_raw(), width, height))
}

/// Every QR code in RGBA pixels (a screen capture), as [`decode_luma`] does.
pub fn decode_rgba(rgba: &[u8], width: u32, height: u32) -> Vec<String> {
    let luma: Vec<u8> = rgba
        .chunks_exact(4)
        // ITU-R BT.601 luma in integer arithmetic.
        .map(|p| ((299 * p[0] as u32 + 587 * p[1] as u32 + 114 * p[2] as u32) / 1000) as u8)
        .collect();
    decode_luma(&luma, width, height)
}

/// Every QR code in 8-bit grayscale pixels, row by row. Faint and light-on-dark codes are
/// found too.
pub fn decode_luma(luma: &[u8], width: u32, height: u32) -> Vec<String> {
    let pixels = width as usize * height as usize;
    if width == 0 || height == 0 || luma.len() < pixels {
        return Vec::new();
    }
    let stretched = stretch_contrast(&luma[..pixels]);
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

fn crop(luma: &[u8], width: u32, (x, y, w, h): (u32, u32, u32, u32)) -> Vec<u8> {
    let mut out = Vec::with_capacity((w * h) as usize);
    for row in y..y + h {
        let start = (row * width + x) as usize;
        out.extend_from_slice(&luma[start..start + w as usize]);
    }
    out
}

/// The single-code reader, which copes with more blur and perspective than the others.
fn decode_one(luma: &[u8], width: u32, height: u32) -> Option<String> {
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
fn stretch_contrast(luma: &[u8]) -> Vec<u8> {
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
        assert_eq!(decode_luma(&inverted, side, side), [URI]);
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
        let mut found = decode_luma(&canvas, width, side);
        found.sort();
        assert_eq!(found, [URI, second]);
    }

    #[test]
    fn a_picture_without_a_code_has_none() {
        let noise: Vec<u8> = (0..200u32 * 200)
            .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
            .collect();
        assert!(decode_luma(&noise, 200, 200).is_empty());
        assert!(decode_luma(&[], 0, 0).is_empty());
        assert!(decode_luma(&[0; 10], 100, 100).is_empty());
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

    #[test]
    fn refuses_a_picture_too_large_to_be_a_screen() {
        // A valid PNG whose header claims 20000 × 20000 pixels.
        let mut bytes = png(&[255; 4], 2, 2);
        bytes[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        assert_eq!(
            decode_image_file(&bytes).unwrap_err().code(),
            "image_too_large"
        );
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
