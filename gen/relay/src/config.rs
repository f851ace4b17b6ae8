//! The relay's configuration: one TOML file, its keys in files beside it. Everything is read
//! and checked at start (and by `--check-config`), so a relay that runs can deliver.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use p256::pkcs8::DecodePrivateKey;
use serde::Deserialize;
use url::Url;
use zeroize::Zeroizing;

use crate::error::{RelayError, Result};

/// A configuration, a key or a service account is a few kilobytes.
const MAX_FILE_BYTES: u64 = 64 * 1024;
/// The gateway secret is a password between two machines: long and random.
pub const MIN_SECRET_CHARS: usize = 32;
const APNS_PRODUCTION: &str = "https://api.push.apple.com";
const APNS_DEVELOPMENT: &str = "https://api.sandbox.push.apple.com";
const FCM_API: &str = "https://fcm.googleapis.com";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    listen: SocketAddr,
    gateway_secret_file: PathBuf,
    webpush: Option<WebPushFile>,
    apns: Option<ApnsFile>,
    fcm: Option<FcmFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WebPushFile {
    vapid_key_file: PathBuf,
    subject: String,
    #[serde(default)]
    allow_private_endpoints: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApnsFile {
    key_file: PathBuf,
    key_id: String,
    team_id: String,
    topic: String,
    production_url: Option<Url>,
    development_url: Option<Url>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FcmFile {
    service_account_file: PathBuf,
    api_url: Option<Url>,
}

/// The fields of a Google service account file the relay uses.
#[derive(Deserialize)]
struct ServiceAccount {
    project_id: String,
    client_email: String,
    private_key: String,
    token_uri: Url,
}

pub struct Config {
    pub listen: SocketAddr,
    pub gateway_secret: Zeroizing<String>,
    pub webpush: Option<WebPushConfig>,
    pub apns: Option<ApnsConfig>,
    pub fcm: Option<FcmConfig>,
}

pub struct WebPushConfig {
    pub vapid_key: p256::ecdsa::SigningKey,
    /// A `mailto:` or `https:` address the push service can reach the relay's operator at.
    pub subject: String,
    /// Only for tests on one machine: endpoints on loopback and private networks.
    pub allow_private_endpoints: bool,
}

pub struct ApnsConfig {
    pub key: p256::ecdsa::SigningKey,
    pub key_id: String,
    pub team_id: String,
    /// The app's bundle id.
    pub topic: String,
    pub production_url: Url,
    pub development_url: Url,
}

pub struct FcmConfig {
    pub project_id: String,
    pub client_email: String,
    pub key: rsa::RsaPrivateKey,
    pub token_uri: Url,
    pub api_url: Url,
}

impl Config {
    /// Reads the file at `path`; key files named in it are read relative to its folder.
    pub fn load(path: &Path) -> Result<Config> {
        let text = read_small(path)?;
        let file: File = toml::from_str(&text).map_err(|e| RelayError::ConfigUnreadable {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let folder = path.parent().unwrap_or(Path::new("."));
        let beside = |name: &Path| folder.join(name);
        let gateway_secret = Zeroizing::new(
            read_small(&beside(&file.gateway_secret_file))?
                .trim()
                .to_string(),
        );
        if gateway_secret.chars().count() < MIN_SECRET_CHARS {
            return Err(RelayError::ConfigInvalid(format!(
                "the gateway secret has fewer than {MIN_SECRET_CHARS} characters"
            )));
        }
        let webpush = file
            .webpush
            .map(|w| -> Result<WebPushConfig> {
                if !(w.subject.starts_with("mailto:") || w.subject.starts_with("https://")) {
                    return Err(RelayError::ConfigInvalid(
                        "the Web Push subject is not a mailto: or https:// address".into(),
                    ));
                }
                Ok(WebPushConfig {
                    vapid_key: ec_key(&beside(&w.vapid_key_file), "VAPID key")?,
                    subject: w.subject,
                    allow_private_endpoints: w.allow_private_endpoints,
                })
            })
            .transpose()?;
        let apns = file
            .apns
            .map(|a| -> Result<ApnsConfig> {
                Ok(ApnsConfig {
                    key: ec_key(&beside(&a.key_file), "APNs key")?,
                    key_id: a.key_id,
                    team_id: a.team_id,
                    topic: a.topic,
                    production_url: a.production_url.unwrap_or_else(|| fixed(APNS_PRODUCTION)),
                    development_url: a.development_url.unwrap_or_else(|| fixed(APNS_DEVELOPMENT)),
                })
            })
            .transpose()?;
        let fcm =
            file.fcm
                .map(|f| -> Result<FcmConfig> {
                    let path = beside(&f.service_account_file);
                    let account: ServiceAccount = serde_json::from_str(&read_small(&path)?)
                        .map_err(|e| RelayError::KeyUnreadable {
                            what: "FCM service account",
                            reason: e.to_string(),
                        })?;
                    let pem = Zeroizing::new(account.private_key);
                    let key = rsa::RsaPrivateKey::from_pkcs8_pem(&pem).map_err(|e| {
                        RelayError::KeyUnreadable {
                            what: "FCM service account's key",
                            reason: e.to_string(),
                        }
                    })?;
                    Ok(FcmConfig {
                        project_id: account.project_id,
                        client_email: account.client_email,
                        key,
                        token_uri: account.token_uri,
                        api_url: f.api_url.unwrap_or_else(|| fixed(FCM_API)),
                    })
                })
                .transpose()?;
        if webpush.is_none() && apns.is_none() && fcm.is_none() {
            return Err(RelayError::ConfigInvalid(
                "no channel is configured: add [webpush], [apns] or [fcm]".into(),
            ));
        }
        Ok(Config {
            listen: file.listen,
            gateway_secret,
            webpush,
            apns,
            fcm,
        })
    }
}

fn fixed(url: &str) -> Url {
    Url::parse(url).expect("a fixed URL")
}

fn read_small(path: &Path) -> Result<Zeroizing<String>> {
    let unreadable = |reason: String| RelayError::ConfigUnreadable {
        path: path.display().to_string(),
        reason,
    };
    let length = std::fs::metadata(path)
        .map_err(|e| unreadable(e.to_string()))?
        .len();
    if length > MAX_FILE_BYTES {
        return Err(unreadable(format!("larger than {MAX_FILE_BYTES} bytes")));
    }
    std::fs::read_to_string(path)
        .map(Zeroizing::new)
        .map_err(|e| unreadable(e.to_string()))
}

/// A P-256 private key in PEM: PKCS#8 (Apple's `.p8`, `openssl genpkey`) or SEC1
/// (`openssl ecparam -genkey`).
fn ec_key(path: &Path, what: &'static str) -> Result<p256::ecdsa::SigningKey> {
    let pem = read_small(path)?;
    p256::SecretKey::from_pkcs8_pem(&pem)
        .or_else(|_| p256::SecretKey::from_sec1_pem(&pem))
        .map(p256::ecdsa::SigningKey::from)
        .map_err(|_| RelayError::KeyUnreadable {
            what,
            reason: "not a P-256 private key in PEM".into(),
        })
}
