//! Camera frames: the size and pace they are sent at, and how one is read. The app's scanner
//! and `pocket-gen scan --video` both read frames here, reduced to the same size.

use crate::error::{Error, Result};

use super::decode::{crop, decode_one, stretch_contrast};

/// Frames are reduced until their longer side is at most this: a code held where the framing
/// guide asks keeps three or more pixels per module, and a frame still reads in well under
/// the pace below on a phone.
pub const FRAME_MAX_SIDE: u32 = 800;
/// The least time from one frame to the next, however fast the decoder: ten frames a second
/// find a code as soon as a person can hold it still. A frame also waits for the previous
/// one's answer, so a slow phone sends fewer and none queue.
pub const FRAME_MIN_INTERVAL_MS: u32 = 100;
/// A video frame to reduce is at most this on a side (a camera's, or a QA video's).
const VIDEO_MAX_SIDE: u32 = 4096;

/// The part of the frame the framing guide marks: a centred square this share of the
/// shorter side. The UI draws the guide from the same number.
pub const GUIDE_SHARE_PERCENT: u32 = 70;

/// The size a `width` × `height` video frame is reduced to before it is read.
pub fn reduced_size(width: u32, height: u32) -> (u32, u32) {
    let longer = width.max(height);
    if longer <= FRAME_MAX_SIDE || longer == 0 {
        return (width, height);
    }
    let scale = |side: u32| u64::from(side) * u64::from(FRAME_MAX_SIDE) / u64::from(longer);
    (scale(width).max(1) as u32, scale(height).max(1) as u32)
}

/// Reduces 8-bit luminance to [`reduced_size`] by averaging the source pixels each target
/// pixel covers. The webview's canvas brings the app's frames to the same size with its own
/// smoothing, so QA's frames match a phone's in size and detail, not pixel for pixel.
pub fn reduce(luma: &[u8], width: u32, height: u32) -> Result<(Vec<u8>, u32, u32)> {
    check_frame(luma, width, height, VIDEO_MAX_SIDE)?;
    let (w, h) = reduced_size(width, height);
    if (w, h) == (width, height) || width == 0 || height == 0 {
        return Ok((luma.to_vec(), width, height));
    }
    let span = |to: u32, from: u32, i: u32| {
        let start = (u64::from(i) * u64::from(from) / u64::from(to)) as usize;
        let end = ((u64::from(i + 1) * u64::from(from)).div_ceil(u64::from(to))) as usize;
        start..end.max(start + 1)
    };
    let mut out = Vec::with_capacity(w as usize * h as usize);
    for y in 0..h {
        let rows = span(h, height, y);
        for x in 0..w {
            let columns = span(w, width, x);
            let mut sum = 0u32;
            for row in rows.clone() {
                let start = row * width as usize;
                sum += luma[start + columns.start..start + columns.end]
                    .iter()
                    .map(|&v| u32::from(v))
                    .sum::<u32>();
            }
            out.push((sum / (rows.len() * columns.len()) as u32) as u8);
        }
    }
    Ok((out, w, h))
}

/// The first QR code's text in a reduced frame, or `None`. Tried in the order phone frames
/// need: the guide's square (where the user holds the code), the whole frame (a code held
/// close fills it), light-on-dark codes, the square at half size (low light's grain averaged
/// away), and a code held far away, enlarged.
pub fn decode_frame(luma: &[u8], width: u32, height: u32) -> Result<Option<String>> {
    check_frame(luma, width, height, FRAME_MAX_SIDE)?;
    if width == 0 || height == 0 {
        return Ok(None);
    }
    let guide = guide_square(width, height);
    let centre = stretch_contrast(&crop(luma, width, guide));
    if let Some(text) = decode_one(&centre, guide.2, guide.3) {
        return Ok(Some(text));
    }
    if let Some(text) = decode_one(&stretch_contrast(luma), width, height) {
        return Ok(Some(text));
    }
    let inverted: Vec<u8> = centre.iter().map(|v| 255 - v).collect();
    if let Some(text) = decode_one(&inverted, guide.2, guide.3) {
        return Ok(Some(text));
    }
    let (calm, side) = halve(&centre, guide.2);
    if let Some(text) = decode_one(&stretch_contrast(&calm), side, side) {
        return Ok(Some(text));
    }
    let (far, side) = enlarge_middle(&centre, guide.2);
    Ok(decode_one(&far, side, side))
}

/// Refuses frames over `max_side` on a side, and sizes that do not match the pixels sent.
fn check_frame(luma: &[u8], width: u32, height: u32, max_side: u32) -> Result<()> {
    if width > max_side || height > max_side {
        return Err(Error::ImageTooLarge);
    }
    if luma.len() as u64 != u64::from(width) * u64::from(height) {
        return Err(Error::ImageUnreadable);
    }
    Ok(())
}

/// The framing guide's square: `(x, y, side, side)`.
fn guide_square(width: u32, height: u32) -> (u32, u32, u32, u32) {
    let side = (width.min(height) * GUIDE_SHARE_PERCENT / 100).max(1);
    ((width - side) / 2, (height - side) / 2, side, side)
}

/// A square at half its side, each pixel the mean of four: the grain of a dim camera halves
/// while a module of three or more pixels stays readable.
fn halve(square: &[u8], side: u32) -> (Vec<u8>, u32) {
    let half = side / 2;
    let at = |x: u32, y: u32| u16::from(square[(y * side + x) as usize]);
    let mut out = Vec::with_capacity((half * half) as usize);
    for y in 0..half {
        for x in 0..half {
            let sum = at(2 * x, 2 * y)
                + at(2 * x + 1, 2 * y)
                + at(2 * x, 2 * y + 1)
                + at(2 * x + 1, 2 * y + 1);
            out.push((sum / 4) as u8);
        }
    }
    (out, half)
}

/// The middle half of a square, doubled: a far-away code's modules grow from one or two
/// pixels to the three or four the readers need.
fn enlarge_middle(square: &[u8], side: u32) -> (Vec<u8>, u32) {
    let half = side / 2;
    let offset = side / 4;
    let out_side = half * 2;
    let mut out = Vec::with_capacity((out_side * out_side) as usize);
    for y in 0..out_side {
        let row = ((offset + y / 2) * side + offset) as usize;
        for x in 0..out_side {
            out.push(square[row + (x / 2) as usize]);
        }
    }
    (out, out_side)
}

#[cfg(test)]
mod tests {
    use super::*;
    use qrcode::QrCode;

    const URI: &str = "otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME";

    /// A `width` × `height` grey frame with a code of `module`-pixel modules whose top-left
    /// corner is at `at`.
    fn frame_with_code(width: u32, height: u32, module: u32, at: (u32, u32)) -> Vec<u8> {
        let code = QrCode::new(URI.as_bytes()).unwrap();
        let modules = code.width() as u32;
        let colors = code.to_colors();
        let mut frame = vec![170u8; (width * height) as usize];
        let quiet = 4 * module;
        for y in 0..(modules * module + 2 * quiet) {
            for x in 0..(modules * module + 2 * quiet) {
                let (fx, fy) = (at.0 + x, at.1 + y);
                if fx >= width || fy >= height {
                    continue;
                }
                let (mx, my) = (
                    x.wrapping_sub(quiet) / module,
                    y.wrapping_sub(quiet) / module,
                );
                let dark = x >= quiet
                    && y >= quiet
                    && mx < modules
                    && my < modules
                    && colors[(my * modules + mx) as usize] == qrcode::Color::Dark;
                frame[(fy * width + fx) as usize] = if dark { 30 } else { 235 };
            }
        }
        frame
    }

    #[test]
    fn a_frame_is_reduced_to_the_plans_size_keeping_its_shape() {
        assert_eq!(reduced_size(640, 480), (640, 480));
        assert_eq!(reduced_size(1280, 720), (800, 450));
        assert_eq!(reduced_size(1080, 1920), (450, 800));
        assert_eq!(reduced_size(0, 0), (0, 0));
        let frame = frame_with_code(1280, 720, 6, (460, 180));
        let (small, w, h) = reduce(&frame, 1280, 720).unwrap();
        assert_eq!((w, h, small.len()), (800, 450, 800 * 450));
        assert_eq!(decode_frame(&small, w, h).unwrap().as_deref(), Some(URI));
    }

    #[test]
    fn a_code_in_the_guide_is_read() {
        let frame = frame_with_code(640, 480, 5, (200, 120));
        assert_eq!(
            decode_frame(&frame, 640, 480).unwrap().as_deref(),
            Some(URI)
        );
    }

    #[test]
    fn a_code_filling_the_frame_is_read() {
        // 37 modules + quiet zone at 10 px: 450 px of a 480 px frame, beyond the guide.
        let frame = frame_with_code(640, 480, 10, (95, 15));
        assert_eq!(
            decode_frame(&frame, 640, 480).unwrap().as_deref(),
            Some(URI)
        );
    }

    #[test]
    fn a_light_on_dark_code_is_read() {
        let frame: Vec<u8> = frame_with_code(640, 480, 5, (200, 120))
            .into_iter()
            .map(|v| 255 - v)
            .collect();
        assert_eq!(
            decode_frame(&frame, 640, 480).unwrap().as_deref(),
            Some(URI)
        );
    }

    #[test]
    fn a_far_away_code_is_read() {
        // Under two pixels a module: too small for the readers until enlarged.
        let code = frame_with_code(90, 90, 2, (0, 0));
        let small: Vec<u8> = (0..60 * 60)
            .map(|i| code[(i / 60 * 3 / 2) * 90 + (i % 60) * 3 / 2])
            .collect();
        let mut frame = vec![170u8; 640 * 480];
        for y in 0..60 {
            let row = (210 + y) * 640 + 290;
            frame[row..row + 60].copy_from_slice(&small[y * 60..(y + 1) * 60]);
        }
        assert_eq!(
            decode_frame(&frame, 640, 480).unwrap().as_deref(),
            Some(URI)
        );
    }

    #[test]
    fn a_dim_grainy_code_is_read() {
        // A camera in low light: the code's levels squeezed into 0..45 and strong grain on
        // every pixel, as the fake camera's frames came out of Chromium.
        let mut seed = 7u32;
        let frame: Vec<u8> = frame_with_code(640, 480, 5, (200, 120))
            .into_iter()
            .map(|v| {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let grain = (seed >> 24) as i32 % 25 - 12;
                (i32::from(v) * 36 / 255 + 4 + grain).clamp(0, 255) as u8
            })
            .collect();
        assert_eq!(
            decode_frame(&frame, 640, 480).unwrap().as_deref(),
            Some(URI)
        );
    }

    #[test]
    fn a_frame_without_a_code_has_none() {
        let noise: Vec<u8> = (0..640u32 * 480)
            .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
            .collect();
        assert_eq!(decode_frame(&noise, 640, 480).unwrap(), None);
        assert_eq!(decode_frame(&[], 0, 0).unwrap(), None);
    }

    #[test]
    fn sizes_that_do_not_match_the_pixels_are_refused() {
        let kind = |result: Result<Option<String>>| result.unwrap_err().code();
        assert_eq!(kind(decode_frame(&[0; 10], 640, 480)), "image_unreadable");
        assert_eq!(kind(decode_frame(&[0; 10], 2, 2)), "image_unreadable");
        assert_eq!(kind(decode_frame(&[], 5000, 5000)), "image_too_large");
        assert_eq!(
            kind(decode_frame(&[], u32::MAX, u32::MAX)),
            "image_too_large"
        );
        assert_eq!(
            reduce(&[0; 3], 2, 2).unwrap_err().code(),
            "image_unreadable"
        );
        // Larger than the UI ever sends: a frame is reduced before it comes.
        assert_eq!(kind(decode_frame(&[0; 801], 801, 1)), "image_too_large");
        assert_eq!(reduce(&[], 4097, 1).unwrap_err().code(), "image_too_large");
        // No pixels at all is an empty frame, not an error.
        assert_eq!(reduce(&[], 0, 1000).unwrap(), (Vec::new(), 0, 1000));
        assert_eq!(decode_frame(&[], 0, 800).unwrap(), None);
    }
}
