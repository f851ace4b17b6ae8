//! `pocket-gen device`: a headless phone on pocket-core's push code, for QA, scripts and load
//! tests. Its state (SQLite and owner-only key files) lives in one folder.

mod wakeup;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use pocket_core::clock::now_unix;
use pocket_core::container::{Held, is_container_link};
use pocket_core::flows::{
    RegistrationChoices, enroll, move_to_new_phone, poll_once, register_container,
    registration_needs, sync_containers, unregister_container,
};
use pocket_core::push::{Answer, DeclineReason, PushClient};
use pocket_core::vault::SharedVault;
use pocket_core::vault::{FileStore, OfferableAccount, Vault};
use serde_json::json;

/// What `enroll` is given besides the link.
#[derive(Debug, Default, Clone)]
pub struct EnrollOptions {
    /// The passphrase a container registration asks for.
    pub passphrase: Option<String>,
    /// Go ahead with a server reached insecurely.
    pub allow_insecure: bool,
    /// Let a container's server recognise the accounts set up here before that it could:
    /// their codes go with its first sync, once. Without it, no code leaves.
    pub offer_held: bool,
}

/// A login request as `poll` and `wakeup receive` print it.
fn request_line(
    token: &pocket_core::vault::StoredPushToken,
    request: &pocket_core::push::PushRequest,
) -> String {
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
}

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

    /// Enrolls from the QR code's text (a push token, or a container registration); returns
    /// a JSON line describing what was added.
    pub async fn enroll(&self, uri: &str, options: &EnrollOptions) -> Result<String> {
        if is_container_link(uri) {
            return self.register(uri, options).await;
        }
        let enrolled = enroll(
            &self.vault,
            &self.client,
            uri,
            options.allow_insecure,
            now_unix(),
        )
        .await?;
        let token = &enrolled.token;
        // The QA phone says yes to the code account the server offers, as a user would.
        let code_account = match enrolled.offered_account.clone() {
            Some(draft) => Some(
                pocket_core::vault::exclusive(&self.vault)
                    .add(draft, now_unix())?
                    .id,
            ),
            None => None,
        };
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
                    .map(|(token, request)| request_line(token, request))
                    .collect());
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    /// Answers the newest open request (or the one with `nonce`); returns the outcome, and
    /// the code to type on the login page where the server gave one (code-to-phone).
    pub async fn answer(
        &self,
        nonce: Option<&str>,
        choice: AnswerChoice,
    ) -> Result<(&'static str, Option<String>)> {
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
        let answered = pocket_core::flows::answer(
            &self.vault,
            &self.client,
            &token_id,
            &request.nonce,
            answer,
            now_unix(),
        )
        .await?;
        Ok((answered.outcome.as_str(), answered.display_code))
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

/// Containers: register, sync, move, unregister.
impl Device {
    async fn register(&self, uri: &str, options: &EnrollOptions) -> Result<String> {
        // The user's choice, made here for every account the server could recognise.
        let offer: Vec<OfferableAccount> = if options.offer_held {
            let (link, _) = registration_needs(uri, now_unix())?;
            self.vault
                .lock()
                .map_err(|_| anyhow::anyhow!("state lock poisoned"))?
                .offerable_accounts(&link.issuer)?
        } else {
            Vec::new()
        };
        let offer_ids: Vec<String> = offer.iter().map(|a| a.id.clone()).collect();
        let choices = RegistrationChoices {
            passphrase: options.passphrase.as_deref(),
            allow_insecure: options.allow_insecure,
            offer: &offer_ids,
        };
        let registered =
            register_container(&self.vault, &self.client, uri, choices, now_unix()).await?;
        let container = &registered.container;
        let (tokens, sync_error) = match &registered.first_sync {
            Ok(report) => (report.added + report.joined, None),
            Err(error) => (0, Some(error.code())),
        };
        if let Err(error) = &registered.first_sync {
            eprintln!("registered, but the first sync failed: {error}");
        }
        let offered: Vec<String> = offer
            .iter()
            .map(|a| format!("{} ({})", a.issuer, a.name))
            .collect();
        Ok(json!({
            "container": container.serial,
            "issuer": container.issuer,
            "offered": offered,
            "tokens": tokens,
            "sync_error": sync_error,
        })
        .to_string())
    }

    /// Syncs every container: one JSON line per token held afterwards, and one message per
    /// container that could not be synced.
    pub async fn sync(&self) -> Result<(Vec<String>, Vec<String>)> {
        let results = sync_containers(&self.vault, &self.client, now_unix()).await?;
        let mut failures = Vec::new();
        for (container, result) in &results {
            match result {
                Ok(report) => {
                    for (serial, error) in &report.failures {
                        eprintln!("{}: token {serial} not set up: {error}", container.serial);
                    }
                    if report.kept_by_policy > 0 {
                        eprintln!(
                            "{}: {} token(s) the server dropped stay (its policy forbids deleting)",
                            container.serial, report.kept_by_policy
                        );
                    }
                }
                Err(error) => failures.push(format!(
                    "container {} could not be synced ({}): {error}",
                    container.serial,
                    error.code()
                )),
            }
        }
        Ok((self.held_tokens()?, failures))
    }

    /// Adds a code account from its link; returns its id as a JSON line.
    pub fn add(&self, uri: &str) -> Result<String> {
        let draft = pocket_core::otp::parse_uri(uri)?;
        let account = self.lock()?.add(draft, now_unix())?;
        Ok(json!({"id": account.id, "issuer": account.issuer, "name": account.name}).to_string())
    }

    /// Every container's tokens, as JSON lines.
    fn held_tokens(&self) -> Result<Vec<String>> {
        let vault = self.lock()?;
        let mut lines = Vec::new();
        for container in vault.containers()? {
            for member in vault.members(&container.id)? {
                let (kind, id) = match &member.held {
                    Held::Account(id) => ("account", id),
                    Held::Push(id) => ("push", id),
                };
                lines.push(
                    json!({
                        "serial": member.serial,
                        "type": member.tokentype,
                        "container": container.serial,
                        "state": container.state.as_str(),
                        "held_as": kind,
                        "id": id,
                    })
                    .to_string(),
                );
            }
        }
        Ok(lines)
    }

    /// The code of the container token `serial`: the current one, or for HOTP the next
    /// (its counter saved first).
    pub fn code_of(&self, serial: &str) -> Result<String> {
        let mut vault = self.lock()?;
        let mut account = None;
        for container in vault.containers()? {
            account = account.or(vault
                .members(&container.id)?
                .into_iter()
                .find(|m| m.serial == serial)
                .map(|m| m.held));
        }
        let id = match account {
            Some(Held::Account(id)) => id,
            Some(Held::Push(_)) => bail!("{serial} is a push token: it has no code"),
            None => bail!("no container token {serial}: sync first"),
        };
        match vault.code(&id, now_unix()) {
            Err(pocket_core::Error::CounterBased) => Ok(vault.next_code(&id)?.current),
            other => Ok(other?.current),
        }
    }

    /// A registration link for a new phone; the container moves there once it registers.
    pub async fn transfer(&self, serial: Option<&str>) -> Result<String> {
        let container = {
            let vault = self.lock()?;
            let containers = vault.containers()?;
            let mut matching = containers
                .into_iter()
                .filter(|c| serial.is_none_or(|s| s == c.serial));
            match (matching.next(), matching.next()) {
                (Some(one), None) => one,
                (None, _) => bail!("no container to move: enroll one first"),
                (Some(_), Some(_)) => bail!("several containers: say which with --container"),
            }
        };
        Ok(move_to_new_phone(&self.vault, &self.client, &container.id).await?)
    }

    /// Unregisters every container; one line each.
    pub async fn unregister(&self) -> Result<Vec<String>> {
        let containers = self.lock()?.containers()?;
        let mut lines = Vec::new();
        for container in containers {
            unregister_container(&self.vault, &self.client, &container.id)
                .await
                .with_context(|| format!("unregister {}", container.serial))?;
            lines.push(json!({"unregistered": container.serial}).to_string());
        }
        Ok(lines)
    }

    /// This machine's clock against each enrolled server, as JSON lines.
    pub async fn clock(&self) -> Result<Vec<String>> {
        let measured = pocket_core::flows::measure_servers(&self.vault, &self.client).await?;
        Ok(measured
            .into_iter()
            .map(|(server, result)| {
                match result {
                    Ok(sample) => json!({
                        "server": server,
                        "offset_seconds": sample.offset_ms as f64 / 1000.0,
                        "uncertainty_seconds": sample.uncertainty_ms as f64 / 1000.0,
                    }),
                    Err(error) => json!({"server": server, "error": error.to_string()}),
                }
                .to_string()
            })
            .collect())
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Vault>> {
        self.vault
            .lock()
            .map_err(|_| anyhow::anyhow!("state lock poisoned"))
    }
}

pub enum AnswerChoice {
    Accept,
    Decline(Option<String>),
    Choice(String),
}
