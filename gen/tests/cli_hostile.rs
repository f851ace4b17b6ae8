//! pocket-gen against hostile input: `device enroll` with a server on loopback that streams an
//! endless reply and with links that switch certificate checks off for a server on another
//! host; `scan` of a small file that decodes to a gigabyte of pixels.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use pocket_tests::process::{Finished, run};

/// The longest one command may take; each test checks its own, shorter, promise.
const COMMAND_LIMIT: Duration = Duration::from_secs(60);

fn link(url: &str, sslverify: u8) -> String {
    let url: String = url::form_urlencoded::byte_serialize(url.as_bytes()).collect();
    format!(
        "otpauth://pipush/PKT1?url={url}&ttl=10&issuer=Corp&enrollment_credential=0c71de0c&v=1&serial=PKT1&sslverify={sslverify}&poll_only=True"
    )
}

/// A loopback server that counts its connections and answers each with `reply`, which gets
/// the stream once the request's headers are read (or at once when the client speaks TLS to
/// it, as a plain HTTP server answers one).
fn serve(reply: fn(&mut std::net::TcpStream)) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            counted.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || {
                let mut seen = Vec::new();
                let mut buffer = [0u8; 4096];
                while !seen.windows(4).any(|w| w == b"\r\n\r\n")
                    && seen.first().is_none_or(u8::is_ascii_alphabetic)
                {
                    match stream.read(&mut buffer) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buffer[..n]),
                    }
                }
                reply(&mut stream);
            });
        }
    });
    (port, connections)
}

fn endless(stream: &mut std::net::TcpStream) {
    let head =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    let chunk = format!("10000\r\n{}\r\n", "[".repeat(0x10000));
    while stream.write_all(chunk.as_bytes()).is_ok() {}
}

fn device(state: &std::path::Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pocket-gen"));
    command.arg("device").arg("--state").arg(state).args(args);
    command
}

/// Runs `command` under `/usr/bin/time -v`; returns its output and its peak memory in KiB.
fn measured(command: &mut Command) -> (Finished, u64) {
    let program = command.get_program().to_owned();
    let args: Vec<_> = command.get_args().map(|a| a.to_owned()).collect();
    let out = run(
        Command::new("/usr/bin/time")
            .arg("-v")
            .arg(program)
            .args(args),
        COMMAND_LIMIT,
    )
    .expect("/usr/bin/time is missing: `make test` installs it (Debian package time)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let peak = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|kib| kib.trim().parse().ok())
        .expect("no peak memory in time's report");
    (out, peak)
}

#[test]
fn an_endless_chunked_reply_stops_enroll_within_15_s_and_128_mib() {
    let (port, _) = serve(endless);
    let state = tempfile::tempdir().unwrap();
    let uri = link(&format!("http://127.0.0.1:{port}/ttype/push"), 1);
    let started = Instant::now();
    let (out, peak_kib) = measured(&mut device(state.path(), &["enroll", &uri]));
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("the server's reply is too large"),
        "{stderr}"
    );
    assert!(elapsed < Duration::from_secs(15), "took {elapsed:?}");
    assert!(peak_kib < 128 * 1024, "peaked at {peak_kib} KiB");
}

#[test]
fn sslverify_0_to_another_host_is_refused_before_connecting_unless_allowed() {
    // A host name that is not loopback, pointed at a loopback server with --resolve: Pocket
    // must not connect without --allow-insecure, and no resolver is ever asked.
    let (port, connections) = serve(|stream| {
        let _ = stream.write_all(b"HTTP/1.1 500 Nope\r\nContent-Length: 0\r\n\r\n");
    });
    let resolve = format!("mfa.corp.test=127.0.0.1:{port}");
    let uri = link(&format!("https://mfa.corp.test:{port}/ttype/push"), 0);
    let state = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let out = run(
        &mut device(state.path(), &["--resolve", &resolve, "enroll", &uri]),
        COMMAND_LIMIT,
    )
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("without checking its certificate (sslverify=0)")
            && stderr.contains("answer logins in your name"),
        "{stderr}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(connections.load(Ordering::SeqCst), 0, "it connected");

    // With --allow-insecure it goes ahead (this server speaks no TLS: the handshake fails).
    let out = run(
        &mut device(
            state.path(),
            &["--resolve", &resolve, "enroll", "--allow-insecure", &uri],
        ),
        COMMAND_LIMIT,
    )
    .unwrap();
    assert!(!out.status.success());
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

/// A valid PNG of `side` × `side` white-transparent RGBA pixels in about a megabyte: the zlib
/// stream repeats one compressed group of rows (a full flush makes each group independent).
fn huge_png(side: u32) -> Vec<u8> {
    const ROWS_PER_GROUP: u32 = 10;
    let row_bytes = side as usize * 4 + 1;
    let group = vec![0u8; row_bytes * ROWS_PER_GROUP as usize];
    let mut deflate = flate2::Compress::new(flate2::Compression::best(), false);
    let mut compressed = Vec::with_capacity(group.len() / 100 + 64);
    deflate
        .compress_vec(&group, &mut compressed, flate2::FlushCompress::Full)
        .unwrap();
    let mut zlib = vec![0x78, 0xDA];
    for _ in 0..side / ROWS_PER_GROUP {
        zlib.extend_from_slice(&compressed);
    }
    // A final, empty block; then Adler-32 of all-zero data: a = 1, b = length mod 65521.
    zlib.extend_from_slice(&[0x03, 0x00]);
    let length = row_bytes as u64 * u64::from(side);
    zlib.extend_from_slice(&(((length % 65_521) << 16 | 1) as u32).to_be_bytes());

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        png.extend_from_slice(&crc.finalize().to_be_bytes());
    };
    let mut header = Vec::new();
    header.extend_from_slice(&side.to_be_bytes());
    header.extend_from_slice(&side.to_be_bytes());
    header.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(b"IHDR", &header);
    chunk(b"IDAT", &zlib);
    chunk(b"IEND", &[]);
    png
}

#[test]
fn scanning_a_1_mb_png_of_16000_by_16000_pixels_says_too_large_within_2_s_and_256_mib() {
    let png = huge_png(16_000);
    assert!(png.len() < 1_500_000, "{} bytes", png.len());
    // It is a real picture: the decoder checks it through to its last row.
    let mut decoder = png::Decoder::new(std::io::Cursor::new(&png));
    decoder.set_limits(png::Limits { bytes: usize::MAX });
    let mut reader = decoder.read_info().unwrap();
    let mut row_count = 0;
    while reader.next_row().unwrap().is_some() {
        row_count += 1;
    }
    assert_eq!(row_count, 16_000);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.png");
    std::fs::write(&file, &png).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_pocket-gen"));
    command.arg("scan").arg(&file);
    let started = Instant::now();
    let (out, peak_kib) = measured(&mut command);
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("the picture is too large"), "{stderr}");
    assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");
    assert!(peak_kib < 256 * 1024, "peaked at {peak_kib} KiB");
}

/// An Aegis vault whose one password slot asks for a tiny N and millions of lanes: each lane
/// is cheap, but scrypt holds all their blocks at once (128·r·p bytes, here 2.25 GiB), and
/// the slot's work is just inside the import's budget.
const LANES_VAULT: &str = r#"{"version": 1, "header": {"slots": [
 {"type": 1, "uuid": "s", "key": "8a1d4ec1b3f0a9e2c35f6b7a0d9e8c7b6a5f4e3d2c1b0a99887766554433221100ffeeddccbbaa99", "key_params": {"nonce": "00112233445566778899aabb", "tag": "00112233445566778899aabbccddeeff"}, "n": 2, "r": 1, "p": 18874368, "salt": "a1b2c3d4"}],
 "params": {"nonce": "00112233445566778899aabb", "tag": "00112233445566778899aabbccddeeff"}},
 "db": "3q2+7wAAAAA="}"#;

#[test]
fn a_vault_asking_for_millions_of_scrypt_lanes_is_refused_within_a_second_and_256_mib() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("aegis-lanes.json");
    std::fs::write(&file, LANES_VAULT).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_pocket-gen"));
    command.arg("import").arg(&file).args(["--password", "x"]);
    let started = Instant::now();
    let (out, peak_kib) = measured(&mut command);
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("error: backup_too_costly"), "{stderr}");
    assert!(elapsed < Duration::from_secs(1), "took {elapsed:?}");
    assert!(peak_kib < 256 * 1024, "peaked at {peak_kib} KiB");
}
