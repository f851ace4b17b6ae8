//! Finding QR codes in pictures (screenshots, image files, camera frames) and deciding what
//! each one is for.

mod decode;
mod frame;
mod report;
mod route;

pub use decode::{MAX_PIXELS, check_picture_size, decode_image_file, decode_luma, decode_rgba};
pub use frame::{
    FRAME_MAX_SIDE, FRAME_MIN_INTERVAL_MS, GUIDE_SHARE_PERCENT, decode_frame, reduce, reduced_size,
};
pub use report::{ScanItem, ScanReport, classify};
pub use route::{Scanned, route};
