//! The one place that reads the system clock; everything else takes the time as an argument.
//! Beside it, how far that clock is off: measured from servers' replies and, when the user
//! asks, an NTP server.

mod iso8601;
mod offset;
mod server_clocks;
pub mod sntp;

pub use iso8601::{iso8601, parse_iso8601};
pub use offset::{
    ClockSample, LONE_SOURCE_MOST_MS, MAX_CORRECTION_DOUBT_MS, MAX_CORRECTION_MS, NoCorrection,
    ServerTime, TOLERATED_OFFSET_MS, best, correction, estimate, is_off, parse_http_date,
};
pub use server_clocks::ServerClocks;

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, as the UI needs them for its countdowns.
pub fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        // A clock set before 1970 is broken; codes computed for t=0 are then the least surprise.
        .unwrap_or(0)
}

/// Seconds since the Unix epoch.
pub fn now_unix() -> u64 {
    now_millis() / 1000
}

/// Today's date in UTC as `YYYY-MM-DD`, for file names.
pub fn date_today() -> String {
    iso8601(now_unix())[..10].to_string()
}

/// Now in Unix milliseconds as codes use it: this device's clock, moved by `offset_ms` (the
/// measured offset) when the user chose the measured time.
pub fn corrected_millis(now_ms: u64, offset_ms: Option<i64>) -> u64 {
    match offset_ms {
        Some(offset) => now_ms.saturating_add_signed(offset),
        None => now_ms,
    }
}
