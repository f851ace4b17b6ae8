//! A real privacyIDEA server on 127.0.0.1 with SQLite, configured through its REST API, for
//! the push interop tests. `make test` installs it into a cached venv ($PRIVACYIDEA_VENV).

use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use serde_json::Value;
use tempfile::TempDir;

use super::http;
use super::privacyidea_setup as setup;
use super::process::{Guarded, free_port, listening};

pub struct PrivacyIdea {
    pub base: String,
    admin_token: String,
    http: reqwest::Client,
    _server: Guarded,
    _dir: TempDir,
}

/// How a test's login went, as `/validate/check` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub authentication: String,
    pub value: bool,
}

impl PrivacyIdea {
    pub async fn start() -> Result<PrivacyIdea> {
        let venv = setup::venv()?;
        let dir = tempfile::Builder::new().prefix("pocket-pi-").tempdir()?;
        let config = setup::prepare(&venv, dir.path())?;

        let port = free_port()?;
        let mut command = Command::new(venv.join("bin/pi-manage"));
        command
            .args(["run", "-h", "127.0.0.1", "-p", &port.to_string()])
            .env("PRIVACYIDEA_CONFIGFILE", &config)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.path().join("server.log"))?);
        let server = Guarded::spawn("privacyIDEA", &mut command)?;
        listening("privacyIDEA", port, Duration::from_secs(60)).await?;
        let base = format!("http://127.0.0.1:{port}");
        let http = http::client()?;
        let auth: Value = http
            .post(format!("{base}/auth"))
            .form(&[("username", "admin"), ("password", "admin-password")])
            .send()
            .await?
            .json()
            .await?;
        let admin_token = auth["result"]["value"]["token"]
            .as_str()
            .context("no admin token")?
            .to_string();
        let pi = PrivacyIdea {
            base,
            admin_token,
            http,
            _server: server,
            _dir: dir,
        };
        pi.set_policy(
            "pocket-enrollment",
            "enrollment",
            &format!(
                "push_firebase_configuration=poll only, push_registration_url={}/ttype/push, push_ttl=10, push_ssl_verify=0",
                pi.base
            ),
        )
        .await?;
        pi.set_policy(
            "pocket-texts",
            "authentication",
            "push_text_on_mobile=Log in to the Pocket test service?, push_title_on_mobile=Pocket interop",
        )
        .await?;
        Ok(pi)
    }

    /// The registration URL the phone talks to.
    pub fn push_url(&self) -> String {
        format!("{}/ttype/push", self.base)
    }

    pub async fn admin(
        &self,
        method: reqwest::Method,
        path: &str,
        form: &[(&str, &str)],
    ) -> Result<Value> {
        let text = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("Authorization", &self.admin_token)
            .form(form)
            .send()
            .await?
            .text()
            .await?;
        let reply: Value = serde_json::from_str(&text)
            .with_context(|| format!("{path} answered what is not JSON: {text:.300}"))?;
        ensure!(reply["result"]["status"] == true, "{path}: {reply}");
        Ok(reply)
    }

    pub async fn set_policy(&self, name: &str, scope: &str, action: &str) -> Result<()> {
        self.admin(
            reqwest::Method::POST,
            &format!("/policy/{name}"),
            &[("scope", scope), ("action", action), ("active", "true")],
        )
        .await?;
        Ok(())
    }

    pub async fn delete_policy(&self, name: &str) -> Result<()> {
        self.admin(reqwest::Method::DELETE, &format!("/policy/{name}"), &[])
            .await?;
        Ok(())
    }

    /// Push tokens enrolled from now on are woken through pocket-relay at `gateway`: an HTTP
    /// gateway that allows push, posting the registration and the challenge as JSON with the
    /// relay's secret in an (encrypted) header, and the enrollment policy naming it.
    pub async fn use_relay(&self, gateway: &str, secret: &str) -> Result<()> {
        self.admin(
            reqwest::Method::POST,
            "/smsgateway",
            &[
                ("name", "pocket-relay"),
                (
                    "module",
                    "privacyidea.lib.smsprovider.HttpSMSProvider.HttpSMSProvider",
                ),
                ("option.URL", gateway),
                ("option.HTTP_METHOD", "POST"),
                ("option.SEND_DATA_AS_JSON", "yes"),
                ("option.ALLOW_PUSH", "yes"),
                ("option.registration", "{phone}"),
                ("option.message", "{message}"),
                ("header.X-Pocket-Relay-Secret", secret),
                // Kept encrypted in privacyIDEA's database.
                ("secret.header.X-Pocket-Relay-Secret", "1"),
            ],
        )
        .await?;
        self.set_policy(
            "pocket-enrollment",
            "enrollment",
            &format!(
                "push_firebase_configuration=pocket-relay, push_registration_url={}/ttype/push, push_ttl=10, push_ssl_verify=0",
                self.base
            ),
        )
        .await
    }

    /// The registration privacyIDEA keeps for the token `serial` (its `firebase_token`).
    pub async fn registration(&self, serial: &str) -> Result<String> {
        let reply: Value = self
            .http
            .get(format!("{}/token/?serial={serial}", self.base))
            .header("Authorization", &self.admin_token)
            .send()
            .await?
            .json()
            .await?;
        Ok(
            reply["result"]["value"]["tokens"][0]["info"]["firebase_token"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        )
    }

    /// A new push token with no user; returns its enrollment URI (the QR code's text).
    pub async fn enroll_push(&self) -> Result<String> {
        let reply = self
            .admin(
                reqwest::Method::POST,
                "/token/init",
                &[("type", "push"), ("genkey", "1")],
            )
            .await?;
        Ok(reply["detail"]["pushurl"]["value"]
            .as_str()
            .context("no pushurl")?
            .to_string())
    }

    /// Starts a login for `serial`, as the relying application would; returns the transaction
    /// id and the whole reply (which names the number to pick under number matching).
    pub async fn trigger(&self, serial: &str) -> Result<(String, Value)> {
        let reply = self
            .admin(
                reqwest::Method::POST,
                "/validate/triggerchallenge",
                &[("serial", serial)],
            )
            .await?;
        let id = reply["detail"]["transaction_id"]
            .as_str()
            .context("no transaction id")?
            .to_string();
        Ok((id, reply))
    }

    /// Whether the phone's answer has been accepted.
    pub async fn poll_transaction(&self, transaction_id: &str) -> Result<bool> {
        let reply: Value = self
            .http
            .get(format!("{}/validate/polltransaction", self.base))
            .query(&[("transaction_id", transaction_id)])
            .send()
            .await?
            .json()
            .await?;
        Ok(reply["result"]["value"] == true)
    }

    /// Finishes the login the way a web login page does.
    pub async fn check(&self, serial: &str, transaction_id: &str) -> Result<Check> {
        self.check_with(serial, transaction_id, "").await
    }

    /// Finishes the login with what the user typed (code-to-phone: the code the phone shows).
    pub async fn check_with(
        &self,
        serial: &str,
        transaction_id: &str,
        pass: &str,
    ) -> Result<Check> {
        let reply: Value = self
            .http
            .post(format!("{}/validate/check", self.base))
            .form(&[
                ("serial", serial),
                ("pass", pass),
                ("transaction_id", transaction_id),
            ])
            .send()
            .await?
            .json()
            .await?;
        let authentication = reply["result"]["authentication"]
            .as_str()
            .unwrap_or("")
            .to_string();
        if reply["result"]["status"] != true {
            bail!("validate/check failed: {reply}");
        }
        Ok(Check {
            authentication,
            value: reply["result"]["value"] == true,
        })
    }
}

/// Smartphone containers, as an administrator sets them up.
impl PrivacyIdea {
    /// The container policy every container test needs (the address phones reach), plus
    /// `extra` actions (`container_client_rollover`, `disable_client_token_deletion`…).
    pub async fn container_policy(&self, extra: &str) -> Result<()> {
        self.container_policy_at(&self.base, extra).await
    }

    /// `container_policy`, with phones told to reach the server at `base` (a proxy, say).
    pub async fn container_policy_at(&self, base: &str, extra: &str) -> Result<()> {
        let mut action = format!("privacyIDEA_server_url={base}/, container_registration_ttl=10");
        if !extra.is_empty() {
            action = format!("{action}, {extra}");
        }
        self.set_policy("pocket-container", "container", &action)
            .await
    }

    /// A new smartphone container; returns its serial.
    pub async fn init_container(&self) -> Result<String> {
        let reply = self
            .admin(
                reqwest::Method::POST,
                "/container/init",
                &[("type", "smartphone")],
            )
            .await?;
        Ok(reply["result"]["value"]["container_serial"]
            .as_str()
            .context("no container serial")?
            .to_string())
    }

    pub async fn add_to_container(&self, container: &str, token: &str) -> Result<()> {
        self.admin(
            reqwest::Method::POST,
            &format!("/container/{container}/add"),
            &[("serial", token)],
        )
        .await?;
        Ok(())
    }

    pub async fn remove_from_container(&self, container: &str, token: &str) -> Result<()> {
        self.admin(
            reqwest::Method::POST,
            &format!("/container/{container}/remove"),
            &[("serial", token)],
        )
        .await?;
        Ok(())
    }

    /// The registration code's text (`pia://container/…`), with a passphrase to ask for.
    pub async fn registration_link(
        &self,
        container: &str,
        passphrase: Option<&str>,
    ) -> Result<String> {
        let mut form = vec![("container_serial", container)];
        if let Some(passphrase) = passphrase {
            form.extend([
                ("passphrase_prompt", "Your company passphrase"),
                ("passphrase_response", passphrase),
            ]);
        }
        let reply = self
            .admin(
                reqwest::Method::POST,
                "/container/register/initialize",
                &form,
            )
            .await?;
        Ok(reply["result"]["value"]["container_url"]["value"]
            .as_str()
            .context("no registration link")?
            .to_string())
    }

    /// A new TOTP or HOTP token with no user: its serial and its otpauth:// link.
    pub async fn enroll_otp(&self, kind: &str) -> Result<(String, String)> {
        self.enroll_otp_with(kind, &[]).await
    }

    /// A new TOTP token that takes codes only `window` seconds either side of its time
    /// (privacyIDEA's default is 180): its serial and its otpauth:// link.
    pub async fn enroll_totp_within(&self, window: u32) -> Result<(String, String)> {
        self.enroll_otp_with("totp", &[("timeWindow", &window.to_string())])
            .await
    }

    async fn enroll_otp_with(
        &self,
        kind: &str,
        extra: &[(&str, &str)],
    ) -> Result<(String, String)> {
        let mut form = vec![("type", kind), ("genkey", "1")];
        form.extend_from_slice(extra);
        let reply = self
            .admin(reqwest::Method::POST, "/token/init", &form)
            .await?;
        let serial = reply["detail"]["serial"].as_str().context("no serial")?;
        let link = reply["detail"]["googleurl"]["value"]
            .as_str()
            .context("no googleurl")?;
        Ok((serial.to_string(), link.to_string()))
    }

    /// Whether `/validate/check` takes `otp` for the token `serial`.
    pub async fn validate(&self, serial: &str, otp: &str) -> Result<bool> {
        let reply: Value = self
            .http
            .post(format!("{}/validate/check", self.base))
            .form(&[("serial", serial), ("pass", otp)])
            .send()
            .await?
            .json()
            .await?;
        Ok(reply["result"]["value"] == true)
    }

    /// Sends a sync request's form body again, as an attacker who recorded it would; the
    /// error code of the refusal.
    pub async fn replay_sync(&self, body: Vec<u8>) -> Result<Option<i64>> {
        let reply: Value = self
            .http
            .post(format!("{}/container/synchronize", self.base))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await?
            .json()
            .await?;
        Ok(reply["result"]["error"]["code"].as_i64())
    }

    /// Asks for a challenge as the phone would; the error code when the server refuses.
    pub async fn container_challenge_error(&self, container: &str) -> Result<Option<i64>> {
        let reply: Value = self
            .http
            .post(format!("{}/container/challenge", self.base))
            .form(&[
                ("container_serial", container),
                ("scope", &format!("{}/container/synchronize", self.base)),
            ])
            .send()
            .await?
            .json()
            .await?;
        Ok(reply["result"]["error"]["code"].as_i64())
    }
}
