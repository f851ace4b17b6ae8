//! Camera videos for QA: read through the app's own frame path.

pub mod y4m;

use std::io::BufRead;

use anyhow::Result;
use pocket_core::scan::{decode_frame, reduce};

/// The first code found in a video: its frame (from 0), the time into the video it shows at,
/// and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub frame: u64,
    pub millis: u64,
    pub text: String,
}

/// Runs every frame through the reduction and decoder the app's camera uses, until one holds
/// a code.
pub fn first_code(input: impl BufRead) -> Result<Option<Found>> {
    let mut reader = y4m::Reader::new(input)?;
    let header = reader.header;
    let mut frame = 0u64;
    while let Some(luma) = reader.next_luma()? {
        let (small, width, height) = reduce(&luma, header.width, header.height)?;
        if let Some(text) = decode_frame(&small, width, height)? {
            return Ok(Some(Found {
                frame,
                millis: header.millis_at(frame),
                text,
            }));
        }
        frame += 1;
    }
    Ok(None)
}
