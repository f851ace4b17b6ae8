//! Finding QR codes in pictures (screenshots, image files, camera frames) and deciding what
//! each one is for.

mod decode;
mod route;

pub use decode::{decode_image_file, decode_luma, decode_rgba};
pub use route::{Scanned, route};
