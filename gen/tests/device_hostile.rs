//! `pocket-gen device enroll` against hostile set-ups: a server on loopback that streams an
//! endless reply, and links that switch certificate checks off for a server on another host.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn link(url: &str, sslverify: u8) -> String {
    let url: String = url::form_urlencoded::byte_serialize(url.as_bytes()).collect();
    format!(
        "otpauth://pipush/PKT1?url={url}&ttl=10&issuer=Corp&enrollment_credential=0c71de0c&v=1&serial=PKT1&sslverify={sslverify}&poll_only=True"
    )
}

/// A loopback server that counts its connections and answers each with `reply`, which gets
/// the stream once the request's headers are read.
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
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
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
fn measured(command: &mut Command) -> (Output, u64) {
    let program = command.get_program().to_owned();
    let args: Vec<_> = command.get_args().map(|a| a.to_owned()).collect();
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(program)
        .args(args)
        .output()
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
    let out = device(state.path(), &["--resolve", &resolve, "enroll", &uri])
        .output()
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
    let out = device(
        state.path(),
        &["--resolve", &resolve, "enroll", "--allow-insecure", &uri],
    )
    .output()
    .unwrap();
    assert!(!out.status.success());
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}
