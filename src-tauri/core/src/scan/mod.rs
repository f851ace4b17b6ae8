//! Finding QR codes in pictures (screenshots, image files, camera frames) and deciding what
//! each one is for.

mod decode;
mod report;
mod route;

pub use decode::{MAX_PIXELS, check_picture_size, decode_image_file, decode_luma, decode_rgba};
pub use report::{ScanItem, ScanReport, classify};
pub use route::{Scanned, route};
