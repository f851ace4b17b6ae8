//! A small SNTP client (RFC 4330): one request, one reply, checked before it is believed. The
//! request carries a random transmit time instead of this device's clock, and only a reply
//! echoing it counts, so an off-path sender cannot slip in a time.

use std::time::Duration;

use rand_core::{OsRng, RngCore};
use tokio::net::UdpSocket;

use super::offset::ClockSample;
use crate::error::{Error, Result};

const NTP_PORT: u16 = 123;
const PACKET: usize = 48;
/// Seconds from 1900 (NTP's era 0) to 1970.
const NTP_TO_UNIX: u64 = 2_208_988_800;
/// Long enough for a far pool server, short enough that a check never hangs the screen.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// `host` or `host:port` as the user may name a time server; no scheme, no path.
pub fn check_server_name(text: &str) -> Result<String> {
    let text = text.trim();
    let invalid = |reason: &str| Error::InvalidParameter {
        param: "ntp_server",
        reason: reason.into(),
    };
    if text.is_empty() || text.len() > 253 {
        return Err(invalid("a host name of 1 to 253 characters"));
    }
    let (host, port) = split_port(text)?;
    let host_ok = host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b':');
    if host.is_empty() || !host_ok || port == 0 {
        return Err(invalid("a host name, an address, or either with :port"));
    }
    Ok(text.to_string())
}

fn split_port(text: &str) -> Result<(&str, u16)> {
    let bad = || Error::InvalidParameter {
        param: "ntp_server",
        reason: "the port is not a number from 1 to 65535".into(),
    };
    // An IPv6 address with a port is written [::1]:123; without brackets, all of it is host.
    if let Some(rest) = text.strip_prefix('[') {
        let (host, after) = rest.split_once(']').ok_or_else(bad)?;
        return match after.strip_prefix(':') {
            Some(port) => Ok((host, port.parse().map_err(|_| bad())?)),
            None if after.is_empty() => Ok((host, NTP_PORT)),
            None => Err(bad()),
        };
    }
    match text.split_once(':') {
        Some((host, port)) if !port.contains(':') => Ok((host, port.parse().map_err(|_| bad())?)),
        _ => Ok((text, NTP_PORT)),
    }
}

/// Asks `server` for the time; `now_ms` reads this device's clock.
pub async fn query(server: &str, now_ms: impl Fn() -> u64) -> Result<ClockSample> {
    query_within(server, TIMEOUT, now_ms).await
}

async fn query_within(
    server: &str,
    timeout: Duration,
    now_ms: impl Fn() -> u64,
) -> Result<ClockSample> {
    let server = check_server_name(server)?;
    tokio::time::timeout(timeout, exchange(&server, &now_ms))
        .await
        .map_err(|_| Error::TimeServer(format!("{server} did not answer in time")))?
}

async fn exchange(server: &str, now_ms: &impl Fn() -> u64) -> Result<ClockSample> {
    let unreachable = |e: std::io::Error| Error::TimeServer(format!("{server}: {e}"));
    let (host, port) = split_port(server)?;
    let address = tokio::net::lookup_host((host, port))
        .await
        .map_err(unreachable)?
        .next()
        .ok_or_else(|| Error::TimeServer(format!("{server} has no address")))?;
    let local = if address.is_ipv4() {
        "0.0.0.0:0"
    } else {
        "[::]:0"
    };
    let socket = UdpSocket::bind(local).await.map_err(unreachable)?;
    socket.connect(address).await.map_err(unreachable)?;

    let mut request = [0u8; PACKET];
    // No leap warning, version 4, mode 3 (client).
    request[0] = 0x23;
    let cookie = OsRng.next_u64().to_be_bytes();
    request[40..48].copy_from_slice(&cookie);
    let sent_ms = now_ms();
    socket.send(&request).await.map_err(unreachable)?;
    let mut reply = [0u8; 512];
    loop {
        let length = socket.recv(&mut reply).await.map_err(unreachable)?;
        let received_ms = now_ms();
        // Anything that is not the answer to this request is dropped, and the wait goes on.
        if length < PACKET || reply[24..32] != cookie {
            continue;
        }
        return read_reply(server, &reply[..length], sent_ms, received_ms);
    }
}

fn read_reply(server: &str, reply: &[u8], sent_ms: u64, received_ms: u64) -> Result<ClockSample> {
    let refused = |why: &str| Error::TimeServer(format!("{server} {why}"));
    let (leap, version, mode, stratum) = (
        reply[0] >> 6,
        (reply[0] >> 3) & 0b111,
        reply[0] & 0b111,
        reply[1],
    );
    if mode != 4 || !(3..=4).contains(&version) {
        return Err(refused("did not answer as a time server"));
    }
    if stratum == 0 {
        return Err(refused("refused to answer (kiss-o'-death)"));
    }
    if leap == 3 || stratum > 15 {
        return Err(refused("says its own clock is not synchronised"));
    }
    let server_received = ntp_millis(&reply[32..40]).ok_or_else(|| refused("sent no time"))?;
    let server_sent = ntp_millis(&reply[40..48]).ok_or_else(|| refused("sent no time"))?;
    let received_ms = received_ms.max(sent_ms);
    let (t1, t2, t3, t4) = (
        sent_ms as i128,
        server_received as i128,
        server_sent as i128,
        received_ms as i128,
    );
    // A server cannot have held the request longer than the round trip took.
    if t3 < t2 || t3 - t2 > t4 - t1 {
        return Err(refused("sent times that do not fit the round trip"));
    }
    let offset = ((t2 - t1) + (t3 - t4)) / 2;
    // Never certain below a millisecond: the timestamps are read to the millisecond.
    let delay = ((t4 - t1) - (t3 - t2)).max(2);
    Ok(ClockSample {
        source: format!("{}{server}", super::offset::NTP_PREFIX),
        offset_ms: i64::try_from(offset).map_err(|_| refused("sent a time out of range"))?,
        uncertainty_ms: u64::try_from(delay / 2).unwrap_or(u64::MAX),
        measured_at: received_ms / 1000,
    })
}

/// An NTP timestamp (seconds since 1900 and a binary fraction) as Unix milliseconds; era 1
/// (from 2036) where the seconds have wrapped. `None` for the zero that means "no time".
fn ntp_millis(bytes: &[u8]) -> Option<u64> {
    let seconds = u64::from(u32::from_be_bytes(bytes[0..4].try_into().ok()?));
    let fraction = u64::from(u32::from_be_bytes(bytes[4..8].try_into().ok()?));
    if seconds == 0 && fraction == 0 {
        return None;
    }
    let since_1900 = if seconds < NTP_TO_UNIX {
        seconds + (1 << 32)
    } else {
        seconds
    };
    Some((since_1900 - NTP_TO_UNIX) * 1000 + ((fraction * 1000 + (1 << 31)) >> 32))
}

/// An NTP timestamp for Unix milliseconds: what a time server (the tests' one) writes.
pub fn ntp_timestamp(unix_ms: u64) -> [u8; 8] {
    let seconds = ((unix_ms / 1000 + NTP_TO_UNIX) & 0xFFFF_FFFF) as u32;
    let fraction = (((unix_ms % 1000) << 32) / 1000) as u32;
    let mut out = [0u8; 8];
    out[..4].copy_from_slice(&seconds.to_be_bytes());
    out[4..].copy_from_slice(&fraction.to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A time server on loopback whose clock runs `ahead_ms` ahead of this machine's, and
    /// which answers with `adjust` applied to each reply.
    async fn time_server(ahead_ms: i64, adjust: fn(&mut [u8; PACKET])) -> String {
        let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let address = socket.local_addr().unwrap();
        tokio::spawn(async move {
            let mut request = [0u8; PACKET];
            while let Ok((_, from)) = socket.recv_from(&mut request).await {
                let now = (crate::clock::now_millis() as i64 + ahead_ms) as u64;
                let mut reply = [0u8; PACKET];
                reply[0] = 0x24;
                reply[1] = 2;
                reply[24..32].copy_from_slice(&request[40..48]);
                reply[32..40].copy_from_slice(&ntp_timestamp(now));
                reply[40..48].copy_from_slice(&ntp_timestamp(now));
                adjust(&mut reply);
                let _ = socket.send_to(&reply, from).await;
            }
        });
        address.to_string()
    }

    #[tokio::test]
    async fn a_server_two_minutes_ahead_measures_two_minutes() {
        let server = time_server(120_000, |_| {}).await;
        let sample = query(&server, crate::clock::now_millis).await.unwrap();
        assert!(
            (sample.offset_ms - 120_000).abs() < 50,
            "{}",
            sample.offset_ms
        );
        assert!(sample.uncertainty_ms < 50);
        assert_eq!(sample.source, format!("ntp:{server}"));
    }

    #[tokio::test]
    async fn a_server_behind_measures_a_negative_offset() {
        let server = time_server(-3_600_000, |_| {}).await;
        let sample = query(&server, crate::clock::now_millis).await.unwrap();
        assert!((sample.offset_ms + 3_600_000).abs() < 50);
    }

    #[tokio::test]
    async fn kiss_of_death_and_unsynchronised_servers_are_not_believed() {
        let kiss = time_server(0, |reply| reply[1] = 0).await;
        assert!(matches!(
            query(&kiss, crate::clock::now_millis).await,
            Err(Error::TimeServer(why)) if why.contains("kiss")
        ));
        let unsynced = time_server(0, |reply| reply[0] |= 0b11 << 6).await;
        assert!(matches!(
            query(&unsynced, crate::clock::now_millis).await,
            Err(Error::TimeServer(why)) if why.contains("synchronised")
        ));
    }

    #[tokio::test]
    async fn a_reply_to_another_request_is_ignored_and_the_wait_is_bounded() {
        let spoofed = time_server(0, |reply| reply[24] ^= 0xFF).await;
        let short = Duration::from_millis(300);
        assert!(matches!(
            query_within(&spoofed, short, crate::clock::now_millis).await,
            Err(Error::TimeServer(why)) if why.contains("in time")
        ));
    }

    #[tokio::test]
    async fn a_server_claiming_to_hold_the_request_longer_than_the_trip_is_not_believed() {
        let holding = time_server(0, |reply| {
            let later = u32::from_be_bytes(reply[40..44].try_into().unwrap()) + 60;
            reply[40..44].copy_from_slice(&later.to_be_bytes());
        })
        .await;
        assert!(matches!(
            query(&holding, crate::clock::now_millis).await,
            Err(Error::TimeServer(why)) if why.contains("round trip")
        ));
    }

    #[test]
    fn timestamps_round_trip_across_the_2036_wrap() {
        for unix_ms in [
            0,
            1_800_000_000_123,
            2_085_978_496_000 + 5_000,
            4_000_000_000_999,
        ] {
            assert_eq!(
                ntp_millis(&ntp_timestamp(unix_ms)),
                Some(unix_ms),
                "{unix_ms}"
            );
        }
        assert_eq!(ntp_millis(&[0; 8]), None);
    }

    #[test]
    fn server_names_are_hosts_with_an_optional_port() {
        for fine in [
            "pool.ntp.org",
            "127.0.0.1:1123",
            "[::1]:123",
            "::1",
            "time-a.example",
        ] {
            check_server_name(fine).unwrap();
        }
        for bad in [
            "",
            "http://pool.ntp.org",
            "pool.ntp.org/x",
            "a:0",
            "a:99999",
            "a b",
        ] {
            assert!(
                matches!(
                    check_server_name(bad),
                    Err(Error::InvalidParameter {
                        param: "ntp_server",
                        ..
                    })
                ),
                "{bad}"
            );
        }
    }
}
