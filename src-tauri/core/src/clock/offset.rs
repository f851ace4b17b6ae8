//! How far this device's clock is off, from the time servers put in their replies: the
//! server's time against the middle of the round trip, with half the round trip (and the
//! reply's own resolution) as the uncertainty.

use serde::{Deserialize, Serialize};

/// Beyond this, codes may be refused: most servers accept a code one period late or early.
pub const TOLERATED_OFFSET_MS: i64 = 15_000;
/// A measurement older than this no longer speaks for the clock (it drifts, or was set).
const FRESH_FOR_SECONDS: u64 = 24 * 3600;

/// One measurement of the clock against `source` (a server's address, or `ntp:<host>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockSample {
    pub source: String,
    /// The source's time minus this device's.
    pub offset_ms: i64,
    pub uncertainty_ms: u64,
    /// Unix seconds on this device's clock when it was taken.
    pub measured_at: u64,
}

/// The server's time as a reply carries it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ServerTime {
    /// privacyIDEA's JSON `time`: Unix seconds with a fraction.
    Precise(f64),
    /// The HTTP `Date` header: whole seconds, cut down.
    WholeSeconds(u64),
}

/// The measurement a reply gives: sent at `sent_ms`, answered by `received_ms`, both on this
/// device's clock.
pub fn estimate(
    source: &str,
    sent_ms: u64,
    received_ms: u64,
    server: ServerTime,
) -> Option<ClockSample> {
    let received_ms = received_ms.max(sent_ms);
    let middle_ms = sent_ms as i128 + (received_ms - sent_ms) as i128 / 2;
    let (server_ms, resolution_ms) = match server {
        ServerTime::Precise(seconds) if seconds.is_finite() && seconds > 0.0 && seconds < 1e11 => {
            ((seconds * 1000.0).round() as i128, 1)
        }
        // A cut-down second lies anywhere in the second that follows it.
        ServerTime::WholeSeconds(seconds) if seconds < 100_000_000_000 => {
            (seconds as i128 * 1000 + 500, 1000)
        }
        _ => return None,
    };
    Some(ClockSample {
        source: source.to_string(),
        offset_ms: i64::try_from(server_ms - middle_ms).ok()?,
        uncertainty_ms: (received_ms - sent_ms) / 2 + resolution_ms / 2,
        measured_at: received_ms / 1000,
    })
}

/// What the measurements say: the freshest day's most certain one, or, with none fresh, the
/// newest.
pub fn best(samples: &[ClockSample], now_unix: u64) -> Option<&ClockSample> {
    let fresh = samples
        .iter()
        .filter(|s| now_unix.saturating_sub(s.measured_at) <= FRESH_FOR_SECONDS)
        .min_by_key(|s| (s.uncertainty_ms, std::cmp::Reverse(s.measured_at)));
    fresh.or_else(|| samples.iter().max_by_key(|s| s.measured_at))
}

/// The most codes are ever moved by a measurement: a clock off by more than this is for the
/// user to set (the banner says so). A server, or someone between it and the phone, cannot
/// move codes hours into the future.
pub const MAX_CORRECTION_MS: u64 = 60 * 60 * 1000;
/// A measurement vaguer than this does not move codes (a period is 30 s).
pub const MAX_CORRECTION_DOUBT_MS: u64 = 2_000;

/// One source alone moves codes by at most this (a code period, which servers forgive
/// anyway); further takes a second source that agrees: another server, or NTP.
pub const LONE_SOURCE_MOST_MS: u64 = 30_000;

/// Why codes do not follow the measured time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoCorrection {
    /// No measurement is fresh, certain and near enough, from a source that counts.
    NoMeasurement,
    /// The sources disagree: then they, not this clock, are in doubt.
    SourcesDisagree,
    /// One source alone says the clock is off by more than a code period.
    NeedsSecondSource,
}

/// Whether a measurement from `source` may move codes: NTP, which the user named, or a
/// server that holds a token of this phone (`holders`, by origin). Any other server's reply
/// (a link scanned and refused, a server since removed) says nothing about the codes.
pub fn counts(source: &str, holders: &std::collections::HashSet<String>) -> bool {
    source.starts_with(NTP_PREFIX) || holders.contains(source)
}

/// The source name of measurements from an NTP server.
pub const NTP_PREFIX: &str = "ntp:";

/// How far codes move when the user chose the measured time: the best of the last day's
/// measurements from sources that count, certain to within 2 s and within an hour of this
/// clock, when they all agree to within 10 s; beyond a code period only when at least two
/// sources say so.
pub fn correction(
    samples: &[ClockSample],
    now_unix: u64,
    holders: &std::collections::HashSet<String>,
) -> Result<i64, NoCorrection> {
    let usable: Vec<&ClockSample> = samples
        .iter()
        .filter(|s| counts(&s.source, holders))
        .filter(|s| now_unix.saturating_sub(s.measured_at) <= FRESH_FOR_SECONDS)
        .filter(|s| s.uncertainty_ms <= MAX_CORRECTION_DOUBT_MS)
        .filter(|s| s.offset_ms.unsigned_abs() <= MAX_CORRECTION_MS)
        .collect();
    let best = usable
        .iter()
        .min_by_key(|s| (s.uncertainty_ms, std::cmp::Reverse(s.measured_at)))
        .ok_or(NoCorrection::NoMeasurement)?;
    let lowest = usable.iter().map(|s| s.offset_ms).min().unwrap_or_default();
    let highest = usable.iter().map(|s| s.offset_ms).max().unwrap_or_default();
    if highest - lowest > 10_000 {
        return Err(NoCorrection::SourcesDisagree);
    }
    let sources: std::collections::HashSet<&str> =
        usable.iter().map(|s| s.source.as_str()).collect();
    if best.offset_ms.unsigned_abs() > LONE_SOURCE_MOST_MS && sources.len() < 2 {
        return Err(NoCorrection::NeedsSecondSource);
    }
    Ok(best.offset_ms)
}

/// Whether `sample` shows the clock off by more than servers tolerate, beyond doubt.
pub fn is_off(sample: &ClockSample) -> bool {
    sample.offset_ms.unsigned_abs() > TOLERATED_OFFSET_MS as u64 + sample.uncertainty_ms
}

/// Reads an HTTP `Date` header (RFC 9110's IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn parse_http_date(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.len() > 40 {
        return None;
    }
    let (_weekday, rest) = text.split_once(", ")?;
    let mut parts = rest.split(' ');
    let (day, month, year, clock, zone) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if parts.next().is_some() || zone != "GMT" {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| *m == month)? + 1;
    let day: u32 = day.parse().ok()?;
    let year: u32 = year.parse().ok()?;
    let iso = format!("{year:04}-{month:02}-{day:02}T{clock}Z");
    super::parse_iso8601(&iso).and_then(|s| u64::try_from(s).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offset_is_taken_at_the_middle_of_the_round_trip() {
        // Sent at 1000.000 s, answered at 1000.400 s; the server said 1130.200 s.
        let sample = estimate(
            "https://pi",
            1_000_000,
            1_000_400,
            ServerTime::Precise(1130.2),
        )
        .unwrap();
        assert_eq!(sample.offset_ms, 130_000);
        assert_eq!(sample.uncertainty_ms, 200);
        assert_eq!(sample.measured_at, 1000);
        assert!(is_off(&sample));
    }

    #[test]
    fn a_date_header_counts_half_a_second_more_uncertain() {
        let sample = estimate("https://pi", 10_000, 10_100, ServerTime::WholeSeconds(9)).unwrap();
        // The server's true time was in [9.0, 10.0): 9.5 against a middle of 10.05.
        assert_eq!(sample.offset_ms, -550);
        assert_eq!(sample.uncertainty_ms, 50 + 500);
        assert!(!is_off(&sample));
    }

    #[test]
    fn nonsense_times_give_no_measurement() {
        for nonsense in [f64::NAN, f64::INFINITY, -5.0, 0.0, 1e300] {
            assert_eq!(estimate("s", 0, 10, ServerTime::Precise(nonsense)), None);
        }
        assert_eq!(
            estimate("s", 0, 10, ServerTime::WholeSeconds(u64::MAX)),
            None
        );
        // A reply "before" its request (a clock set back in between) counts as instant.
        let sample = estimate("s", 5_000, 4_000, ServerTime::Precise(5.0)).unwrap();
        assert_eq!(sample.uncertainty_ms, 0);
    }

    #[test]
    fn within_a_tolerance_and_its_doubt_the_clock_is_fine() {
        let sample = |offset_ms, uncertainty_ms| ClockSample {
            source: "s".into(),
            offset_ms,
            uncertainty_ms,
            measured_at: 0,
        };
        assert!(!is_off(&sample(15_000, 0)));
        assert!(is_off(&sample(-15_001, 0)));
        assert!(!is_off(&sample(16_000, 2_000)));
    }

    #[test]
    fn the_most_certain_fresh_measurement_wins() {
        let at = |source: &str, uncertainty_ms, measured_at| ClockSample {
            source: source.into(),
            offset_ms: 0,
            uncertainty_ms,
            measured_at,
        };
        let now = 10 * 24 * 3600;
        let samples = [
            at("old but exact", 1, now - 2 * 24 * 3600),
            at("fresh", 300, now - 60),
            at("fresher, vaguer", 800, now - 1),
        ];
        assert_eq!(best(&samples, now).unwrap().source, "fresh");
        assert_eq!(best(&samples[..1], now).unwrap().source, "old but exact");
        assert_eq!(best(&[], now), None);
    }

    #[test]
    fn codes_move_only_by_certain_fresh_bounded_and_agreeing_measurements() {
        let now = 10 * 24 * 3600;
        let holders: std::collections::HashSet<String> =
            ["https://a", "https://b"].map(String::from).into();
        let from = |source: &str, offset_ms, uncertainty_ms, age| ClockSample {
            source: source.into(),
            offset_ms,
            uncertainty_ms,
            measured_at: now - age,
        };
        let at = |offset_ms, uncertainty_ms, age| from("https://a", offset_ms, uncertainty_ms, age);
        let correction = |samples: &[ClockSample]| correction(samples, now, &holders);
        // One server moves codes by a code period at most.
        assert_eq!(correction(&[at(20_000, 300, 60)]), Ok(20_000));
        assert_eq!(correction(&[at(-30_000, 300, 60)]), Ok(-30_000));
        for lone in [120_000, -120_000] {
            assert_eq!(
                correction(&[at(lone, 300, 60)]),
                Err(NoCorrection::NeedsSecondSource)
            );
        }
        // Further when a second server or NTP agrees: the more certain one.
        let ntp = from("ntp:pool.ntp.org", 121_000, 100, 60);
        assert_eq!(correction(&[at(120_000, 300, 60), ntp]), Ok(121_000));
        let second = from("https://b", 119_000, 900, 60);
        assert_eq!(correction(&[at(120_000, 300, 60), second]), Ok(120_000));
        // Too vague, too old, too far: the banner only.
        for sample in [
            at(20_000, 25_000, 60),
            at(20_000, 300, 2 * 24 * 3600),
            at(2 * 3600 * 1000, 300, 60),
        ] {
            assert_eq!(correction(&[sample]), Err(NoCorrection::NoMeasurement));
        }
        // Two that disagree: neither moves the codes.
        assert_eq!(
            correction(&[at(120_000, 300, 60), from("ntp:x", 0, 200, 60)]),
            Err(NoCorrection::SourcesDisagree)
        );
    }

    #[test]
    fn a_server_holding_no_token_of_this_phone_moves_no_code_and_cancels_none() {
        let now = 10 * 24 * 3600;
        let holders: std::collections::HashSet<String> = ["https://pi.corp".into()].into();
        let from = |source: &str, offset_ms| ClockSample {
            source: source.into(),
            offset_ms,
            uncertainty_ms: 100,
            measured_at: now - 60,
        };
        // A link scanned from anywhere (refused, or never added) names a server that then
        // answers with an hour's difference: it neither moves codes nor seconds a lone one.
        let stranger = from("https://evil.example", 3_000_000);
        assert_eq!(
            correction(&[stranger], now, &holders),
            Err(NoCorrection::NoMeasurement)
        );
        let stranger_agrees = from("https://evil.example", 120_500);
        assert_eq!(
            correction(
                &[from("https://pi.corp", 120_000), stranger_agrees],
                now,
                &holders
            ),
            Err(NoCorrection::NeedsSecondSource)
        );
        // Nor does it cancel a correction the phone's own servers agree on.
        let ntp = from("ntp:pool.ntp.org", 120_200);
        let mut samples = vec![from("https://pi.corp", 120_000), ntp];
        assert_eq!(correction(&samples, now, &holders), Ok(120_000));
        samples.push(from("https://evil.example", 0));
        assert_eq!(correction(&samples, now, &holders), Ok(120_000));
    }

    #[test]
    fn http_dates_are_read_and_anything_else_is_not() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        for bad in [
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun, 06 Nov 1994 08:49:37 CET",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }
}
