//! A server on loopback that answers every request the same way, however hostile, and counts
//! the connections it was offered: for testing what the push client does with bad replies.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server sends back.
#[derive(Clone)]
pub enum Reply {
    /// These bytes, then the connection closes.
    Fixed(Vec<u8>),
    /// A chunked JSON body that never ends.
    Endless,
}

impl Reply {
    /// A 200 reply with a JSON body.
    pub fn json(body: &serde_json::Value) -> Reply {
        let body = body.to_string();
        Reply::Fixed(
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .into_bytes(),
        )
    }

    /// A redirect to `location` with the given status.
    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::Fixed(
            format!(
                "HTTP/1.1 {status} Redirect\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            .into_bytes(),
        )
    }
}

pub struct Hostile {
    pub addr: SocketAddr,
    connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Hostile {
    pub async fn start(reply: Reply) -> Hostile {
        Hostile::start_with(|_| reply).await
    }

    /// A server whose reply names its own address (a challenge signs the token's url).
    pub async fn start_with(reply: impl FnOnce(&str) -> Reply) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let reply = reply(&format!("http://{addr}"));
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = connections.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                counted.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(answer(stream, reply.clone()));
            }
        });
        Hostile {
            addr,
            connections,
            task,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn answer(mut stream: TcpStream, reply: Reply) {
    // The request itself does not matter; read until its headers end. A client that speaks
    // TLS to it (its first byte a handshake record, not a method's letter) gets the reply at
    // once, as a plain HTTP server answers one.
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n")
        && seen.first().is_none_or(u8::is_ascii_alphabetic)
    {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => seen.extend_from_slice(&buffer[..n]),
        }
    }
    match reply {
        Reply::Fixed(bytes) => {
            let _ = stream.write_all(&bytes).await;
        }
        Reply::Endless => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = format!("10000\r\n{}\r\n", " ".repeat(0x10000));
            while stream.write_all(chunk.as_bytes()).await.is_ok() {}
        }
    }
}
