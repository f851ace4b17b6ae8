//! Local stand-ins for the push services, on loopback: each checks what the real one checks
//! (VAPID and the Web Push headers; APNs' provider token, topic and push type over HTTP/2;
//! FCM's OAuth exchange and bearer token), records what it was handed, and answers with the
//! statuses a test scripts.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::Verifier;
use serde_json::{Value, json};

/// What a stand-in was handed, once its checks passed.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

#[derive(Default)]
pub struct Script {
    /// Statuses to answer with, in order (and a reason for the body); then 201/200.
    pub answers: Mutex<VecDeque<(StatusCode, &'static str)>>,
    pub received: Mutex<Vec<Received>>,
    /// Requests whose checks failed, and why.
    pub refused: Mutex<Vec<String>>,
    /// Where what is taken goes on to (a distributor's stand-in), besides the record.
    forward: Mutex<Option<tokio::sync::mpsc::UnboundedSender<Received>>>,
}

impl Script {
    pub fn then(&self, status: u16, reason: &'static str) {
        self.answers
            .lock()
            .unwrap()
            .push_back((StatusCode::from_u16(status).unwrap(), reason));
    }

    /// Everything taken from now on, as it is taken.
    pub fn forward(&self) -> tokio::sync::mpsc::UnboundedReceiver<Received> {
        let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
        *self.forward.lock().unwrap() = Some(sender);
        receiver
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    pub fn refused(&self) -> Vec<String> {
        self.refused.lock().unwrap().clone()
    }

    fn answer(&self, request: Received, checked: Result<(), String>, ok: StatusCode) -> Response {
        if let Err(why) = checked {
            self.refused.lock().unwrap().push(why.clone());
            return (StatusCode::UNAUTHORIZED, why).into_response();
        }
        if let Some(forward) = self.forward.lock().unwrap().as_ref() {
            let _ = forward.send(request.clone());
        }
        self.received.lock().unwrap().push(request);
        match self.answers.lock().unwrap().pop_front() {
            Some((status, reason)) => (status, reason).into_response(),
            None => ok.into_response(),
        }
    }
}

pub struct Running {
    pub address: SocketAddr,
    pub script: Arc<Script>,
}

impl Running {
    pub fn url(&self, path: &str) -> url::Url {
        url::Url::parse(&format!("http://{}{path}", self.address)).unwrap()
    }
}

async fn serve(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    address
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The claims of an ES256 token, if `key` signed it.
fn verified_es256(token: &str, key: &p256::ecdsa::VerifyingKey) -> Result<Value, String> {
    let (input, signature) = token.rsplit_once('.').ok_or("not a JWT")?;
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .ok()
        .and_then(|bytes| p256::ecdsa::Signature::from_slice(&bytes).ok())
        .ok_or("no ES256 signature")?;
    key.verify(input.as_bytes(), &signature)
        .map_err(|_| "the signature does not verify")?;
    let (header, claims) = input.split_once('.').ok_or("not a JWT")?;
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap_or_default())
        .map_err(|_| "no header")?;
    if header["alg"] != "ES256" {
        return Err(format!("alg {}", header["alg"]));
    }
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).unwrap_or_default())
        .map_err(|_| "no claims".into())
}

/// A UnifiedPush server: `Authorization: vapid t=JWT, k=KEY` whose token the key signed for
/// this origin, not expired and not more than a day ahead; TTL, Urgency and the aes128gcm
/// coding present.
pub async fn web_push() -> Running {
    let script = Arc::new(Script::default());
    async fn push(
        State((script, origin)): State<(Arc<Script>, Arc<Mutex<String>>)>,
        Path(topic): Path<String>,
        headers: HeaderMap,
        body: Bytes,
    ) -> Response {
        let origin = origin.lock().unwrap().clone();
        let checked = check_web_push(&headers, &origin);
        let request = Received {
            path: format!("/push/{topic}"),
            headers,
            body,
        };
        script.answer(request, checked, StatusCode::CREATED)
    }
    let origin = Arc::new(Mutex::new(String::new()));
    let router = Router::new()
        .route("/push/{topic}", post(push))
        .with_state((script.clone(), origin.clone()));
    let address = serve(router).await;
    *origin.lock().unwrap() = format!("http://{address}");
    Running { address, script }
}

fn check_web_push(headers: &HeaderMap, origin: &str) -> Result<(), String> {
    let authorization = header(headers, "authorization");
    let rest = authorization
        .strip_prefix("vapid ")
        .ok_or("no vapid authorization")?;
    let mut token = "";
    let mut key = "";
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(value) = part.strip_prefix("t=") {
            token = value;
        } else if let Some(value) = part.strip_prefix("k=") {
            key = value;
        }
    }
    let key = URL_SAFE_NO_PAD
        .decode(key)
        .ok()
        .and_then(|bytes| p256::ecdsa::VerifyingKey::from_sec1_bytes(&bytes).ok())
        .ok_or("k= is not a P-256 key")?;
    let claims = verified_es256(token, &key)?;
    if claims["aud"] != origin {
        return Err(format!("aud {} is not {origin}", claims["aud"]));
    }
    let now = pocket_core::clock::now_unix();
    let exp = claims["exp"].as_u64().ok_or("no exp")?;
    if exp <= now || exp > now + 24 * 3600 {
        return Err(format!("exp {exp} is out of bounds"));
    }
    if !claims["sub"].as_str().unwrap_or("").starts_with("mailto:") {
        return Err("no sub".into());
    }
    for (name, wanted) in [("content-encoding", "aes128gcm"), ("urgency", "high")] {
        if header(headers, name) != wanted {
            return Err(format!("{name} is not {wanted}"));
        }
    }
    header(headers, "ttl")
        .parse::<u64>()
        .map_err(|_| "no TTL".to_string())?;
    Ok(())
}

type ApnsState = (
    Arc<Script>,
    Arc<(p256::ecdsa::VerifyingKey, &'static str, &'static str)>,
);

/// APNs over HTTP/2 (prior knowledge): a provider token `key` signed for `team`, with `key_id`,
/// `apns-topic` the app's, an alert push type and priority.
pub async fn apns(
    key: p256::ecdsa::VerifyingKey,
    key_id: &'static str,
    team: &'static str,
) -> Running {
    let script = Arc::new(Script::default());
    let checks = Arc::new((key, key_id, team));
    let router = Router::new()
        .route(
            "/3/device/{token}",
            post(
                |State((script, checks)): State<ApnsState>,
                 Path(token): Path<String>,
                 headers: HeaderMap,
                 body: Bytes| async move {
                    let checked = check_apns(&headers, &checks.0, checks.1, checks.2, &body);
                    let request = Received {
                        path: format!("/3/device/{token}"),
                        headers,
                        body,
                    };
                    script.answer(request, checked, StatusCode::OK)
                },
            ),
        )
        .with_state((script.clone(), checks));
    Running {
        address: serve(router).await,
        script,
    }
}

fn check_apns(
    headers: &HeaderMap,
    key: &p256::ecdsa::VerifyingKey,
    key_id: &str,
    team: &str,
    body: &[u8],
) -> Result<(), String> {
    let token = header(headers, "authorization")
        .strip_prefix("bearer ")
        .ok_or("no bearer token")?;
    let (header_part, _) = token.split_once('.').ok_or("not a JWT")?;
    let jwt_header: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header_part).unwrap_or_default())
            .map_err(|_| "no header")?;
    if jwt_header["kid"] != key_id {
        return Err("wrong kid".into());
    }
    let claims = verified_es256(token, key)?;
    if claims["iss"] != team || claims["iat"].as_u64().is_none() {
        return Err("wrong iss or no iat".into());
    }
    for (name, wanted) in [
        ("apns-topic", "org.pocket.test"),
        ("apns-push-type", "alert"),
        ("apns-priority", "10"),
    ] {
        if header(headers, name) != wanted {
            return Err(format!("{name} is not {wanted}"));
        }
    }
    let payload: Value = serde_json::from_slice(body).map_err(|_| "no JSON payload")?;
    if payload["aps"]["alert"]["title"].as_str().is_none() || payload.get("pocket").is_none() {
        return Err("no alert or no challenge".into());
    }
    Ok(())
}

/// FCM: `/token` exchanges an RS256 assertion the service account's key signed for an access
/// token; `/v1/projects/{project}/messages:send` takes it as a bearer token, and data whose
/// values are all strings.
pub async fn fcm(key: rsa::RsaPublicKey, client_email: &'static str) -> Running {
    let script = Arc::new(Script::default());
    type FcmState = (Arc<Script>, Arc<(rsa::RsaPublicKey, &'static str)>);
    async fn token(
        State((script, checks)): State<FcmState>,
        axum::Form(form): axum::Form<std::collections::HashMap<String, String>>,
    ) -> Response {
        match check_assertion(&form, &checks.0, checks.1) {
            Ok(()) => axum::Json(json!({"access_token": "ya29.stand-in", "expires_in": 3599, "token_type": "Bearer"}))
                .into_response(),
            Err(why) => {
                script.refused.lock().unwrap().push(why.clone());
                (StatusCode::BAD_REQUEST, why).into_response()
            }
        }
    }
    async fn send(
        State((script, _)): State<FcmState>,
        Path(project): Path<String>,
        headers: HeaderMap,
        body: Bytes,
    ) -> Response {
        let checked = check_fcm_send(&headers, &body);
        let request = Received {
            path: format!("/v1/projects/{project}"),
            headers,
            body,
        };
        script.answer(request, checked, StatusCode::OK)
    }
    let router = Router::new()
        .route("/token", post(token))
        .route("/v1/projects/{project}/messages:send", post(send))
        .with_state((script.clone(), Arc::new((key, client_email))));
    Running {
        address: serve(router).await,
        script,
    }
}

fn check_assertion(
    form: &std::collections::HashMap<String, String>,
    key: &rsa::RsaPublicKey,
    client_email: &str,
) -> Result<(), String> {
    use rsa::signature::Verifier as _;
    if form.get("grant_type").map(String::as_str)
        != Some("urn:ietf:params:oauth:grant-type:jwt-bearer")
    {
        return Err("wrong grant_type".into());
    }
    let assertion = form.get("assertion").ok_or("no assertion")?;
    let (input, signature) = assertion.rsplit_once('.').ok_or("not a JWT")?;
    let signature = rsa::pkcs1v15::Signature::try_from(
        URL_SAFE_NO_PAD
            .decode(signature)
            .unwrap_or_default()
            .as_slice(),
    )
    .map_err(|_| "no signature")?;
    rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key.clone())
        .verify(input.as_bytes(), &signature)
        .map_err(|_| "the assertion's signature does not verify")?;
    let claims: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(input.split_once('.').ok_or("not a JWT")?.1)
            .unwrap_or_default(),
    )
    .map_err(|_| "no claims")?;
    if claims["iss"] != client_email
        || claims["scope"] != "https://www.googleapis.com/auth/firebase.messaging"
    {
        return Err("wrong iss or scope".into());
    }
    Ok(())
}

fn check_fcm_send(headers: &HeaderMap, body: &[u8]) -> Result<(), String> {
    if header(headers, "authorization") != "Bearer ya29.stand-in" {
        return Err("not the access token".into());
    }
    let body: Value = serde_json::from_slice(body).map_err(|_| "no JSON")?;
    let data = body["message"]["data"].as_object().ok_or("no data")?;
    if !data.values().all(Value::is_string) {
        return Err("a data value that is not a string".into());
    }
    if body["message"]["android"]["priority"] != "HIGH" {
        return Err("not high priority".into());
    }
    Ok(())
}
