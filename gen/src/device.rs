//! `pocket-gen device`: a headless phone on pocket-core's push code, for QA, scripts and load
//! tests. Its state (SQLite and owner-only key files) lives in one folder.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use pocket_core::clock::now_unix;
use pocket_core::flows::{answer, enroll, poll_once};
use pocket_core::push::{Answer, DeclineReason, PushClient};
use pocket_core::vault::SharedVault;
use pocket_core::vault::{FileStore, Vault};
use serde_json::json;

pub struct Device {
    vault: SharedVault,
    client: PushClient,
}

impl Device {
    pub fn open(state: &Path) -> Result<Device> {
        Device::open_resolving(state, &[])
    }

    /// A device that reaches each server name in `resolve` at the address given, asking no
    /// resolver for it.
    pub fn open_resolving(
        state: &Path,
        resolve: &[(String, std::net::SocketAddr)],
    ) -> Result<Device> {
        let store = FileStore::open(&state.join("keys"))?;
        let vault = Vault::open(&state.join("pocket.sqlite"), Box::new(store))
            .with_context(|| format!("open the device state in {}", state.display()))?;
        let client = PushClient::with(|builder| {
            resolve
                .iter()
                .fold(builder, |b, (name, address)| b.resolve(name, *address))
        })?;
        Ok(Device {
            vault: Arc::new(Mutex::new(vault)),
            client,
        })
    }

    /// Enrolls from the QR code's text; returns a JSON line describing the token.
    pub async fn enroll(&self, uri: &str, allow_insecure: bool) -> Result<String> {
        let enrolled = enroll(&self.vault, &self.client, uri, allow_insecure, now_unix()).await?;
        let token = &enrolled.token;
        let code_account = enrolled.fallback_account.as_ref().map(|a| a.id.clone());
        Ok(json!({
            "id": token.id,
            "serial": token.token.serial,
            "issuer": token.token.issuer,
            "code_account": code_account,
        })
        .to_string())
    }

    /// Polls until at least one new request arrives or `wait` passes; one JSON line each.
    pub async fn poll(&self, wait: Duration) -> Result<Vec<String>> {
        let deadline = Instant::now() + wait;
        loop {
            let round = poll_once(&self.vault, &self.client, now_unix()).await?;
            for (token, error) in &round.failures {
                eprintln!("polling {token} failed: {error}");
            }
            if !round.new.is_empty() || Instant::now() >= deadline {
                return Ok(round
                    .new
                    .iter()
                    .map(|(token, request)| {
                        json!({
                            "token": token.id,
                            "serial": request.serial,
                            "nonce": request.nonce,
                            "title": request.title,
                            "question": request.question,
                            "presence_options": request.presence_options,
                            "takes_decline_reason": request.takes_decline_reason,
                        })
                        .to_string()
                    })
                    .collect());
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    /// Answers the newest open request (or the one with `nonce`); returns the outcome.
    pub async fn answer(&self, nonce: Option<&str>, choice: AnswerChoice) -> Result<&'static str> {
        let (token_id, request) = {
            let vault = self
                .vault
                .lock()
                .map_err(|_| anyhow::anyhow!("state lock poisoned"))?;
            let open = vault.open_requests(now_unix())?;
            open.into_iter()
                .rev()
                .find(|(_, request)| nonce.is_none_or(|n| n == request.nonce))
                .context("no open login request: poll first")?
        };
        let answer = match choice {
            AnswerChoice::Accept => Answer::Accept,
            AnswerChoice::Decline(reason) => Answer::Decline {
                reason: match reason.as_deref() {
                    None => None,
                    Some(text) => Some(DeclineReason::from_wire(text).with_context(|| {
                        format!("unknown reason {text:?}: use unknown_trigger or cancelled")
                    })?),
                },
            },
            AnswerChoice::Choice(option) => Answer::Presence(option),
        };
        let outcome =
            answer_request(&self.vault, &self.client, &token_id, &request.nonce, answer).await?;
        Ok(outcome)
    }
}

impl Device {
    /// The current code of the only code account, or of the one from `issuer`.
    pub fn code(&self, issuer: Option<&str>) -> Result<String> {
        let mut vault = self
            .vault
            .lock()
            .map_err(|_| anyhow::anyhow!("state lock poisoned"))?;
        let accounts: Vec<_> = vault
            .accounts()?
            .into_iter()
            .filter(|a| issuer.is_none_or(|i| a.issuer == i))
            .collect();
        let account = match accounts.as_slice() {
            [one] => one,
            [] => bail!("no code account: enroll first (pairings bring one)"),
            _ => bail!("several code accounts: say which with --issuer"),
        };
        Ok(vault.code(&account.id, now_unix())?.current)
    }
}

pub enum AnswerChoice {
    Accept,
    Decline(Option<String>),
    Choice(String),
}

async fn answer_request(
    vault: &SharedVault,
    client: &PushClient,
    token_id: &str,
    nonce: &str,
    choice: Answer,
) -> Result<&'static str> {
    Ok(answer(vault, client, token_id, nonce, choice, now_unix())
        .await?
        .as_str())
}
