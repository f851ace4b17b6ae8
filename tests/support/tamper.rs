//! An HTTP proxy on 127.0.0.1 between the phone and a server, that can change what passes:
//! for attack tests of the container protocol.

use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the proxy does to the sync requests and replies it passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tamper {
    Nothing,
    /// One bit of the reply's AES-GCM tag flipped.
    ReplyTag,
    /// The phone's token list changed after it was signed.
    RequestBody,
}

pub struct TamperProxy {
    pub base: String,
    mode: Arc<Mutex<Tamper>>,
    last_sync: Arc<Mutex<Option<Vec<u8>>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TamperProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TamperProxy {
    /// Forwards to `upstream` (an `http://127.0.0.1:PORT` base).
    pub async fn start(upstream: &str) -> Result<TamperProxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let mode = Arc::new(Mutex::new(Tamper::Nothing));
        let last_sync = Arc::new(Mutex::new(None));
        let (upstream, shared_mode, shared_last) =
            (upstream.to_string(), mode.clone(), last_sync.clone());
        let task = tokio::spawn(async move {
            let Ok(http) = super::http::client() else {
                return;
            };
            while let Ok((stream, _)) = listener.accept().await {
                let (http, upstream) = (http.clone(), upstream.clone());
                let (mode, last) = (shared_mode.clone(), shared_last.clone());
                tokio::spawn(async move {
                    let _ = relay(stream, &http, &upstream, &mode, &last).await;
                });
            }
        });
        Ok(TamperProxy {
            base,
            mode,
            last_sync,
            task,
        })
    }

    pub fn set(&self, tamper: Tamper) {
        *self.mode.lock().unwrap_or_else(|p| p.into_inner()) = tamper;
    }

    /// The form body of the last sync request that passed.
    pub fn last_sync_request(&self) -> Option<Vec<u8>> {
        self.last_sync
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

async fn relay(
    mut stream: TcpStream,
    http: &reqwest::Client,
    upstream: &str,
    mode: &Mutex<Tamper>,
    last_sync: &Mutex<Option<Vec<u8>>>,
) -> Result<()> {
    let mut request = Vec::new();
    let mut buffer = [0u8; 8192];
    let head_end = loop {
        let read = stream.read(&mut buffer).await?;
        anyhow::ensure!(read > 0, "the client left");
        request.extend_from_slice(&buffer[..read]);
        if let Some(at) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&request[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0);
    while request.len() < head_end + length {
        let read = stream.read(&mut buffer).await?;
        anyhow::ensure!(read > 0, "the client left");
        request.extend_from_slice(&buffer[..read]);
    }
    let mut body = request[head_end..head_end + length].to_vec();
    let mut words = head.split_whitespace();
    let (method, path) = (
        words.next().context("no method")?.to_string(),
        words.next().context("no path")?.to_string(),
    );
    let tamper = *mode.lock().unwrap_or_else(|p| p.into_inner());
    let is_sync = path.ends_with("/container/synchronize");
    if is_sync {
        *last_sync.lock().unwrap_or_else(|p| p.into_inner()) = Some(body.clone());
        if tamper == Tamper::RequestBody {
            // The phone's list, emptied: as if it held no tokens.
            let form: Vec<(String, String)> = url_pairs(&body)
                .into_iter()
                .map(|(k, v)| {
                    if k == "container_dict_client" {
                        (
                            k,
                            r#"{"container_serial":"x","tokens":[],"type":"smartphone"}"#.into(),
                        )
                    } else {
                        (k, v)
                    }
                })
                .collect();
            body = serde_urlencoded(&form).into_bytes();
        }
    }
    let reply = http
        .request(method.parse()?, format!("{upstream}{path}"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await?;
    let status = reply.status();
    let mut bytes = reply.bytes().await?.to_vec();
    if is_sync && tamper == Tamper::ReplyTag {
        let mut json: serde_json::Value = serde_json::from_slice(&bytes)?;
        if let Some(tag) = json
            .pointer_mut("/result/value/encryption_params/tag")
            .and_then(|t| t.as_str().map(str::to_string))
        {
            // Another valid base64url character in the first place: one bit or more differs.
            let flipped = if tag.starts_with('A') { "B" } else { "A" };
            json["result"]["value"]["encryption_params"]["tag"] =
                serde_json::Value::String(format!("{flipped}{}", &tag[1..]));
        }
        bytes = serde_json::to_vec(&json)?;
    }
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        bytes.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(&bytes).await?;
    stream.shutdown().await?;
    Ok(())
}

fn url_pairs(body: &[u8]) -> Vec<(String, String)> {
    reqwest::Url::parse(&format!("http://x/?{}", String::from_utf8_lossy(body)))
        .map(|u| {
            u.query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn serde_urlencoded(pairs: &[(String, String)]) -> String {
    let mut url = reqwest::Url::parse("http://x/").expect("a fixed URL");
    url.query_pairs_mut().extend_pairs(pairs);
    url.query().unwrap_or_default().to_string()
}
