//! Geometry and photometry for corpus images: rotation, perspective, blur, noise, contrast.

use image::GrayImage;

use super::rng::Rng;

/// Draws `src` onto `canvas` through `to_source`, which maps a canvas pixel centre to source
/// coordinates; pixels that map outside the source are left as they are.
pub fn warp_onto(
    canvas: &mut GrayImage,
    src: &GrayImage,
    to_source: impl Fn(f64, f64) -> (f64, f64),
) {
    let whole = (0, 0, canvas.width(), canvas.height());
    warp_within(canvas, src, to_source, whole);
}

/// [`warp_onto`] for the canvas pixels in `(x, y, width, height)` only (clipped to the
/// canvas): a video frame redraws just where its code is.
pub fn warp_within(
    canvas: &mut GrayImage,
    src: &GrayImage,
    to_source: impl Fn(f64, f64) -> (f64, f64),
    (left, top, width, height): (u32, u32, u32, u32),
) {
    let (sw, sh) = (src.width() as f64, src.height() as f64);
    for y in top..(top + height).min(canvas.height()) {
        for x in left..(left + width).min(canvas.width()) {
            let (sx, sy) = to_source(x as f64 + 0.5, y as f64 + 0.5);
            if sx >= 0.0 && sy >= 0.0 && sx < sw && sy < sh {
                canvas.put_pixel(x, y, image::Luma([bilinear(src, sx - 0.5, sy - 0.5)]));
            }
        }
    }
}

fn bilinear(src: &GrayImage, x: f64, y: f64) -> u8 {
    let (w, h) = (src.width() as i64, src.height() as i64);
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let at = |xi: i64, yi: i64| {
        src.get_pixel(xi.clamp(0, w - 1) as u32, yi.clamp(0, h - 1) as u32)[0] as f64
    };
    let (xi, yi) = (x0 as i64, y0 as i64);
    let top = at(xi, yi) * (1.0 - fx) + at(xi + 1, yi) * fx;
    let bottom = at(xi, yi + 1) * (1.0 - fx) + at(xi + 1, yi + 1) * fx;
    (top * (1.0 - fy) + bottom * fy).round().clamp(0.0, 255.0) as u8
}

/// Maps canvas coordinates back into `src` rotated by `degrees` about its centre, placed with
/// its centre at (`cx`, `cy`) on the canvas.
pub fn rotation(
    src: &GrayImage,
    degrees: f64,
    cx: f64,
    cy: f64,
) -> impl Fn(f64, f64) -> (f64, f64) {
    let (sin, cos) = (-degrees.to_radians()).sin_cos();
    let (scx, scy) = (src.width() as f64 / 2.0, src.height() as f64 / 2.0);
    move |x, y| {
        let (dx, dy) = (x - cx, y - cy);
        (scx + dx * cos - dy * sin, scy + dx * sin + dy * cos)
    }
}

/// The side of a square canvas that holds `side` pixels rotated by any angle.
pub fn rotated_extent(side: u32) -> u32 {
    (side as f64 * std::f64::consts::SQRT_2).ceil() as u32 + 2
}

/// The homography that maps the four `from` corners to the four `to` corners.
pub fn homography(from: [(f64, f64); 4], to: [(f64, f64); 4]) -> [f64; 9] {
    // Eight linear equations in h0..h7, with h8 = 1, solved by Gaussian elimination.
    let mut m = [[0f64; 9]; 8];
    for (i, (&(x, y), &(u, v))) in from.iter().zip(to.iter()).enumerate() {
        m[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
        m[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
    }
    for col in 0..8 {
        let pivot = (col..8)
            .max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))
            .unwrap_or(col);
        m.swap(col, pivot);
        for row in 0..8 {
            if row != col && m[col][col] != 0.0 {
                let factor = m[row][col] / m[col][col];
                let pivot_row = m[col];
                for (cell, pivot_cell) in m[row].iter_mut().zip(pivot_row).skip(col) {
                    *cell -= factor * pivot_cell;
                }
            }
        }
    }
    let mut h = [1f64; 9];
    for (i, (value, row)) in h.iter_mut().zip(m).enumerate() {
        *value = if row[i] == 0.0 { 0.0 } else { row[8] / row[i] };
    }
    h
}

pub fn apply(h: &[f64; 9], x: f64, y: f64) -> (f64, f64) {
    let w = h[6] * x + h[7] * y + h[8];
    (
        (h[0] * x + h[1] * y + h[2]) / w,
        (h[3] * x + h[4] * y + h[5]) / w,
    )
}

pub fn blur(image: &GrayImage, sigma: f32) -> GrayImage {
    image::imageops::blur(image, sigma)
}

/// Adds roughly normal noise of standard deviation `amount` grey levels.
pub fn add_noise(image: &mut GrayImage, rng: &mut Rng, amount: f64) {
    for pixel in image.pixels_mut() {
        pixel[0] = (pixel[0] as f64 + rng.normal() * amount)
            .round()
            .clamp(0.0, 255.0) as u8;
    }
}

/// Squeezes the grey levels into [low, high].
pub fn squeeze(image: &mut GrayImage, low: u8, high: u8) {
    let span = (high - low) as f64 / 255.0;
    for pixel in image.pixels_mut() {
        pixel[0] = low + (pixel[0] as f64 * span).round() as u8;
    }
}

pub fn invert(image: &mut GrayImage) {
    for pixel in image.pixels_mut() {
        pixel[0] = 255 - pixel[0];
    }
}

/// A photo-like backdrop: smooth light and shade, a few shapes, and grain.
pub fn backdrop(width: u32, height: u32, rng: &mut Rng) -> GrayImage {
    let cell = 64.0;
    let (gw, gh) = (
        (width as f64 / cell) as usize + 2,
        (height as f64 / cell) as usize + 2,
    );
    let grid: Vec<f64> = (0..gw * gh).map(|_| rng.range(70.0, 220.0)).collect();
    let mut image = GrayImage::from_fn(width, height, |x, y| {
        let (gx, gy) = (x as f64 / cell, y as f64 / cell);
        let (x0, y0) = (gx.floor() as usize, gy.floor() as usize);
        let (fx, fy) = (gx.fract(), gy.fract());
        let at = |i: usize, j: usize| grid[j * gw + i];
        let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1, y0) * fx;
        let bottom = at(x0, y0 + 1) * (1.0 - fx) + at(x0 + 1, y0 + 1) * fx;
        image::Luma([(top * (1.0 - fy) + bottom * fy) as u8])
    });
    for _ in 0..rng.int(3, 8) {
        let (cx, cy) = (rng.range(0.0, width as f64), rng.range(0.0, height as f64));
        let (rx, ry) = (rng.range(20.0, 160.0), rng.range(20.0, 160.0));
        let level = rng.range(20.0, 235.0) as u8;
        for y in (cy - ry).max(0.0) as u32..((cy + ry) as u32).min(height) {
            for x in (cx - rx).max(0.0) as u32..((cx + rx) as u32).min(width) {
                let (dx, dy) = ((x as f64 - cx) / rx, (y as f64 - cy) / ry);
                if dx * dx + dy * dy <= 1.0 {
                    image.put_pixel(x, y, image::Luma([level]));
                }
            }
        }
    }
    add_noise(&mut image, rng, 6.0);
    image
}
