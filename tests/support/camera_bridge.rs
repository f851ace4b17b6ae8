//! The built UI in a plain browser, with its camera calls answered by the real Rust decoder:
//! a loopback server that serves `ui/dist` with a stand-in for Tauri's IPC, which posts each
//! command here. `scan_frame` runs pocket-core's frame path and classifies what it finds as
//! the app does; `add_scanned` adds it; the commands the rest of the UI calls at start get
//! the answers of an unlocked Pocket, empty or holding the accounts a test put in `shown`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use pocket_core::otp::AccountDraft;
use pocket_core::scan::{ScanItem, classify, decode_frame};
use serde_json::{Value, json};

use super::bridge_replies::{self, error};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A frame is at most 4096 × 4096 luminance bytes; anything larger is not the UI's.
const MAX_BODY: usize = 4096 * 4096 + 4096;

/// What the UI asked of the bridge, for the test to check.
#[derive(Debug, Default)]
pub struct Calls {
    /// `scan_frame` calls, and how many of them held a code.
    pub frames: usize,
    pub frames_with_code: usize,
    /// The size of the last frame the UI sent.
    pub last_frame_size: Option<(u32, u32)>,
    /// The accounts `add_scanned` added.
    pub added: Vec<AccountDraft>,
    /// Accounts the home screen lists, each with the code it shows all period (service,
    /// account, code); none unless a test sets them.
    pub shown: Vec<(String, String, String)>,
    /// A login request waiting (as `open_push_requests` gives it), if a test set one.
    pub request: Option<Value>,
    /// A push token is set up (`bridge_replies::TOKEN_ID`), with a history of one login.
    pub push_token: bool,
    /// The app is locked with a passcode (`bridge_replies::PASSCODE`).
    pub locked: bool,
    pending: HashMap<String, AccountDraft>,
}

pub struct CameraBridge {
    pub url: String,
    pub calls: Arc<Mutex<Calls>>,
    task: JoinHandle<()>,
}

impl CameraBridge {
    /// Serves the built UI (`ui/dist`) on a free loopback port.
    pub async fn start() -> Result<CameraBridge> {
        let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/dist");
        anyhow::ensure!(
            dist.join("index.html").is_file(),
            "the UI is not built: `make ui` builds it"
        );
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let calls = Arc::new(Mutex::new(Calls::default()));
        let shared = calls.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (dist, calls) = (dist.clone(), shared.clone());
                tokio::spawn(async move {
                    if let Err(error) = serve(stream, &dist, &calls).await {
                        eprintln!("camera bridge: {error:#}");
                    }
                });
            }
        });
        Ok(CameraBridge { url, calls, task })
    }

    pub fn calls(&self) -> std::sync::MutexGuard<'_, Calls> {
        self.calls
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for CameraBridge {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct Request {
    method: String,
    path: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

async fn serve(stream: TcpStream, dist: &Path, calls: &Mutex<Calls>) -> Result<()> {
    let mut stream = BufReader::new(stream);
    loop {
        let Some(request) = read_request(&mut stream).await? else {
            return Ok(());
        };
        let (status, content_type, body) = if request.method == "POST" {
            let command = request.path.trim_start_matches("/ipc/");
            match answer(command, &request, calls) {
                Ok(value) => (200, "application/json", value.to_string().into_bytes()),
                Err(error) => (400, "application/json", error.to_string().into_bytes()),
            }
        } else {
            match file(dist, &request.path) {
                Some((content_type, body)) => (200, content_type, body),
                None => (404, "text/plain", b"not found".to_vec()),
            }
        };
        let head = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\ncache-control: no-store\r\n\r\n",
            body.len()
        );
        let out = stream.get_mut();
        out.write_all(head.as_bytes()).await?;
        out.write_all(&body).await?;
    }
}

async fn read_request(stream: &mut BufReader<TcpStream>) -> Result<Option<Request>> {
    let mut line = String::new();
    if stream.read_line(&mut line).await? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().context("no method")?.to_string();
    let path = parts.next().context("no path")?.to_string();
    let mut headers = HashMap::new();
    loop {
        let mut header = String::new();
        stream.read_line(&mut header).await?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    let length: usize = headers
        .get("content-length")
        .map(|v| v.parse())
        .transpose()?
        .unwrap_or(0);
    anyhow::ensure!(length <= MAX_BODY, "a body of {length} bytes");
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).await?;
    Ok(Some(Request {
        method,
        path,
        headers,
        body,
    }))
}

/// A file of the built UI; the page itself with the IPC stand-in loaded before the app.
fn file(dist: &Path, path: &str) -> Option<(&'static str, Vec<u8>)> {
    let path = path.split('?').next().unwrap_or("/");
    if path == "/" || path == "/index.html" {
        let page = std::fs::read_to_string(dist.join("index.html")).ok()?;
        let page = page.replacen(
            "<head>",
            &format!("<head><script>{IPC}{RECORD_STREAMS}</script>"),
            1,
        );
        return Some(("text/html", page.into_bytes()));
    }
    let relative: PathBuf = path.trim_start_matches('/').split('/').collect();
    if relative
        .components()
        .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return None;
    }
    let content_type = match relative.extension()?.to_str()? {
        "js" => "text/javascript",
        "css" => "text/css",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "json" => "application/json",
        _ => "application/octet-stream",
    };
    Some((content_type, std::fs::read(dist.join(relative)).ok()?))
}

/// Tauri's IPC as the UI sees it, posting each command to the bridge: a raw body as bytes,
/// anything else as JSON; a rejected command rejects with the bridge's error object.
const IPC: &str = r#"
(() => {
  let next = 1;
  window.__TAURI_INTERNALS__ = {
    metadata: { currentWindow: { label: 'main' }, currentWebview: { windowLabel: 'main', label: 'main' } },
    transformCallback(callback) { const id = next++; window['_' + id] = callback; return id; },
    unregisterCallback(id) { delete window['_' + id]; },
    convertFileSrc(path) { return path; },
    async invoke(command, args, options) {
      const headers = { ...(options && options.headers ? options.headers : {}) };
      const raw = args instanceof Uint8Array || args instanceof ArrayBuffer;
      headers['content-type'] = raw ? 'application/octet-stream' : 'application/json';
      const reply = await fetch('/ipc/' + command, { method: 'POST', headers, body: raw ? args : JSON.stringify(args ?? {}) });
      const text = await reply.text();
      const value = text ? JSON.parse(text) : null;
      if (!reply.ok) throw value;
      return value;
    },
  };
  window.__TAURI_EVENT_PLUGIN_INTERNALS__ = { unregisterListener() {} };
})();
"#;

/// Keeps every stream the page opens in `window.__cameraStreams`, so a test can see that each
/// track was stopped.
pub const RECORD_STREAMS: &str = r#"
  window.__cameraStreams = [];
  // On the prototype: WebKit may hand out a new MediaDevices once its media stream is on.
  const devices = window.MediaDevices && window.MediaDevices.prototype;
  if (devices && devices.getUserMedia) {
    const open = devices.getUserMedia;
    devices.getUserMedia = async function (constraints) {
      const stream = await open.call(this, constraints);
      window.__cameraStreams.push(stream);
      return stream;
    };
  }
"#;

fn answer(command: &str, request: &Request, calls: &Mutex<Calls>) -> Result<Value, Value> {
    let mut calls = calls
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let args = || serde_json::from_slice::<Value>(&request.body).unwrap_or(Value::Null);
    Ok(match command {
        "scan_capabilities" => json!({
            "screen": false,
            "nativeCamera": false,
            "appSettings": false,
            "binaryFrames": true,
            "frames": {
                "maxSide": pocket_core::scan::FRAME_MAX_SIDE,
                "minIntervalMs": pocket_core::scan::FRAME_MIN_INTERVAL_MS,
                "guidePercent": pocket_core::scan::GUIDE_SHARE_PERCENT,
            },
        }),
        "scan_frame" => {
            let size = |name: &str| {
                request
                    .headers
                    .get(name)
                    .and_then(|v| v.parse::<u32>().ok())
            };
            let (Some(width), Some(height)) = (size("x-frame-width"), size("x-frame-height"))
            else {
                return Err(error("image_unreadable"));
            };
            calls.frames += 1;
            calls.last_frame_size = Some((width, height));
            let found = decode_frame(&request.body, width, height).map_err(|e| error(e.code()))?;
            match found {
                None => Value::Null,
                Some(text) => {
                    calls.frames_with_code += 1;
                    report(&[text], &mut calls)
                }
            }
        }
        "add_scanned" => {
            let id = args()["pendingId"].as_str().unwrap_or_default().to_string();
            let draft = calls
                .pending
                .remove(&id)
                .ok_or_else(|| error("scan_expired"))?;
            let account = json!({
                "kind": "account",
                "value": {
                    "id": format!("a{}", calls.added.len() + 1),
                    "issuer": draft.issuer,
                    "name": draft.name,
                    "kind": "totp",
                    "digits": 6,
                    "period": 30,
                },
            });
            calls.added.push(draft);
            account
        }
        "home_screen" => json!({
            "accounts": shown_accounts(&calls.shown), "pushTokens": bridge_replies::push_tokens(&calls), "containers": [],
            "codes": shown_codes(&calls.shown), "hideCodes": false, "firstRows": 12,
        }),
        "account_codes" => shown_codes(&calls.shown),
        "open_push_requests" => calls.request.iter().cloned().collect(),
        "list_accounts" => shown_accounts(&calls.shown),
        // Pasted text: a code's text on each line.
        "scan_text" => {
            let text = args()["text"].as_str().unwrap_or_default().to_string();
            report(
                &text.lines().map(str::to_string).collect::<Vec<_>>(),
                &mut calls,
            )
        }
        "plugin:event|listen" => json!(1),
        _ => return bridge_replies::answer(command, &args(), &calls).unwrap_or(Ok(Value::Null)),
    })
}

/// The accounts a test set, as `home_screen` lists them (ids a1, a2, …).
fn shown_accounts(shown: &[(String, String, String)]) -> Value {
    shown
        .iter()
        .enumerate()
        .map(|(n, (issuer, name, code))| {
            json!({
                "id": format!("a{}", n + 1), "issuer": issuer, "name": name,
                "kind": "totp", "digits": code.len(), "period": 30,
            })
        })
        .collect()
}

/// Their codes, valid for the 30-second period under way.
fn shown_codes(shown: &[(String, String, String)]) -> Value {
    let now = pocket_core::clock::now_millis();
    let from = now - now % 30_000;
    let codes: Vec<Value> = shown
        .iter()
        .enumerate()
        .map(|(n, (_, _, code))| {
            json!({
                "id": format!("a{}", n + 1), "code": code, "nextCode": null,
                "validFromMs": from, "validUntilMs": from + 30_000, "error": null,
            })
        })
        .collect();
    json!({ "nowMs": now, "codes": codes })
}

/// A scan report as the app's `scan_frame` gives it, keeping accounts to add.
fn report(texts: &[String], calls: &mut Calls) -> Value {
    let report = classify(texts, |_| Ok(false));
    let items: Vec<Value> = report
        .items
        .into_iter()
        .map(|item| match item {
            ScanItem::Account(draft) => {
                let pending_id = format!("p{}", calls.pending.len() + calls.added.len() + 1);
                let item = json!({
                    "kind": "account",
                    "pendingId": pending_id,
                    "issuer": draft.issuer,
                    "name": draft.name,
                });
                calls.pending.insert(pending_id, draft);
                item
            }
            _ => json!({ "kind": "other", "preview": texts.concat().chars().take(40).collect::<String>() }),
        })
        .collect();
    json!({ "items": items, "batch": null })
}
