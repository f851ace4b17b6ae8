//! What the phone does with privacyIDEA smartphone containers: register from a scanned code,
//! sync, move to a new phone, unregister. The vault's lock is never held across a request.

use crate::container::{self, ContainerKey, ContainerLink, Deletion, Held, client_tokens, plan};
use crate::error::{Error, Result};
use crate::push::{PushClient, parse_enrollment, transport_risk};
use crate::vault::{ContainerState, SharedVault, StoredContainer, exclusive};

/// How the phone names itself to the server (privacyIDEA shows it with the container).
pub fn this_device() -> (String, String) {
    let model = match std::env::consts::OS {
        "linux" => "Linux",
        "android" => "Android",
        "ios" => "iOS",
        "macos" => "macOS",
        "windows" => "Windows",
        other => other,
    };
    ("Pocket".to_string(), model.to_string())
}

/// What a registration asks of the user before it can go ahead, if anything.
pub fn registration_needs(
    link_text: &str,
    now: u64,
) -> Result<(ContainerLink, Option<crate::error::TransportRisk>)> {
    let link = ContainerLink::parse(link_text)?;
    if link.expired(now) {
        return Err(Error::ContainerLinkExpired);
    }
    let risk = link.risk();
    Ok((link, risk))
}

/// What one sync did.
#[derive(Debug, Default)]
pub struct SyncReport {
    pub added: usize,
    pub removed: usize,
    pub joined: usize,
    /// Tokens the server dropped that stay, because its policy forbids the phone to delete.
    pub kept_by_policy: usize,
    /// Tokens that could not be set up, by serial, with why.
    pub failures: Vec<(String, Error)>,
}

/// A registration, and how its first sync went (the registration stands either way).
#[derive(Debug)]
pub struct Registered {
    pub container: StoredContainer,
    pub first_sync: Result<SyncReport>,
}

/// What the user gave and chose for a registration.
#[derive(Debug, Default, Clone)]
pub struct RegistrationChoices<'a> {
    /// The passphrase the link asks for, if it asks.
    pub passphrase: Option<&'a str>,
    /// The user accepted a server reached insecurely.
    pub allow_insecure: bool,
    /// Accounts the user ticked for the server to recognise (see
    /// [`crate::vault::Vault::offerable_accounts`]); their codes go at the first sync only.
    pub offer: &'a [String],
}

/// Registers the container a `pia://container/` code names, then syncs it. A server reached
/// insecurely needs `allow_insecure`, asked for before any connection; a link that asks for
/// a passphrase needs one. On a refusal nothing stays stored.
pub async fn register(
    vault: &SharedVault,
    client: &PushClient,
    link_text: &str,
    choices: RegistrationChoices<'_>,
    now: u64,
) -> Result<Registered> {
    let RegistrationChoices {
        passphrase,
        allow_insecure,
        offer,
    } = choices;
    let (link, risk) = registration_needs(link_text, now)?;
    if let Some(risk) = risk
        && !allow_insecure
    {
        return Err(Error::InsecureServer {
            host: link.server.host_str().unwrap_or_default().to_string(),
            risk,
        });
    }
    let passphrase = passphrase.map(str::trim).filter(|p| !p.is_empty());
    if link.passphrase_prompt.is_some() && passphrase.is_none() {
        return Err(Error::PassphraseRequired);
    }
    if exclusive(vault).has_container(&link)? {
        return Err(Error::DuplicateAccount);
    }
    let key = ContainerKey::generate();
    let id = exclusive(vault).begin_container(&link, &key, offer, now)?;
    let (brand, model) = this_device();
    let policies =
        match container::finalize(client, &link, &key, (&brand, &model), passphrase).await {
            Ok(policies) => policies,
            Err(error) => {
                if let Err(cleanup) = exclusive(vault).abandon_container(&id) {
                    log::warn!("could not clear a refused registration: {cleanup}");
                }
                return Err(error);
            }
        };
    // Over an unchecked connection the registration's reply cannot restrict the phone either.
    let policies = match risk {
        None => policies,
        Some(_) => policies.loosened_from(&Default::default()),
    };
    let container = exclusive(vault).finish_container(&id, &policies)?;
    let first_sync = sync(vault, client, &id, now).await;
    Ok(Registered {
        container: exclusive(vault).container(&id).unwrap_or(container),
        first_sync,
    })
}

/// Syncs one container: the phone's list signed, the server's reply verified and decrypted,
/// then its changes applied at once. Nothing changes unless the whole reply was good.
pub async fn sync(
    vault: &SharedVault,
    client: &PushClient,
    container_id: &str,
    now: u64,
) -> Result<SyncReport> {
    // Two syncs of one list would both apply: the second on what the first replaced.
    let _one_at_a_time = CONTAINER_WORK.lock().await;
    let (container, key, members, candidates) = {
        let mut vault = exclusive(vault);
        let container = vault.container(container_id)?;
        let key = vault.container_key(container_id)?;
        let members = vault.members(container_id)?;
        // The accounts the user chose at registration, once: recorded as sent before they go.
        let candidates = vault.take_offer(container_id, now)?;
        (container, key, members, candidates)
    };
    let tokens = client_tokens(&members, &candidates);
    let reply = match container::synchronize(client, &container.server(), &key, &tokens).await {
        Ok(reply) => reply,
        Err(error) => {
            record_failure(vault, container_id, &error);
            return Err(error);
        }
    };
    // A reply over a connection anyone could have answered deletes nothing, and may lift the
    // server's restrictions but not add any.
    let (deletion, policies) = match transport_risk(&container.server, container.verify_tls) {
        None => (Deletion::Trusted, reply.policies),
        Some(_) => (
            Deletion::Released,
            reply.policies.loosened_from(&container.policies),
        ),
    };
    let sync_plan = match plan(&members, &candidates, reply.dict, &policies, deletion) {
        Ok(sync_plan) => sync_plan,
        Err(error) => {
            record_failure(vault, container_id, &error);
            return Err(error);
        }
    };
    let applied = exclusive(vault).apply_sync(container_id, &sync_plan, &policies, now)?;
    let mut report = SyncReport {
        added: applied.added,
        removed: applied.removed,
        joined: applied.joined,
        kept_by_policy: sync_plan.kept_by_policy,
        failures: sync_plan.skipped,
    };
    for (serial, link) in sync_plan.add_push {
        match add_push_token(vault, client, &container, &serial, &link, now).await {
            Ok(()) => report.added += 1,
            Err(error) => report.failures.push((serial, error)),
        }
    }
    if let Some((_, error)) = report.failures.first() {
        exclusive(vault).set_container_error(container_id, error.code())?;
    }
    Ok(report)
}

/// Syncs every container, one result each. Those that looked moved or unregistered are
/// tried too: a refusal an attacker on the way forged must not stop syncing for good, and a
/// good sync makes them registered again.
pub async fn sync_all(
    vault: &SharedVault,
    client: &PushClient,
    now: u64,
) -> Result<Vec<(StoredContainer, Result<SyncReport>)>> {
    let containers = exclusive(vault).containers()?;
    let mut results = Vec::new();
    for container in containers {
        let result = sync(vault, client, &container.id, now).await;
        results.push((container, result));
    }
    Ok(results)
}

/// How often containers sync while the app runs.
pub const CONTAINER_SYNC_INTERVAL: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Keeps containers in step with their servers: a sync at once, then every `interval`, and
/// whenever `wake` is notified (after a push login, on "Sync now"); `on_round` gets each
/// round's results. Runs until its task is dropped.
pub async fn run_container_sync(
    vault: SharedVault,
    client: PushClient,
    wake: std::sync::Arc<tokio::sync::Notify>,
    interval: std::time::Duration,
    now: fn() -> u64,
    mut on_round: impl FnMut(Vec<(StoredContainer, Result<SyncReport>)>),
) {
    loop {
        match sync_all(&vault, &client, now()).await {
            Ok(results) => on_round(results),
            Err(error) => log::warn!("container sync: {error}"),
        }
        // Whichever comes first: the interval, or a wake-up.
        let _ = tokio::time::timeout(interval, wake.notified()).await;
    }
}

/// A push token that came by sync: its rollout at once, as a member of the container. One
/// the phone had under the same serial (new secrets after a rollover) goes once the new one
/// works.
async fn add_push_token(
    vault: &SharedVault,
    client: &PushClient,
    container: &StoredContainer,
    serial: &str,
    link: &str,
    now: u64,
) -> Result<()> {
    let enrollment = parse_enrollment(link)?;
    push_token_allowed(&enrollment.url, enrollment.verify_tls, container)?;
    let old = exclusive(vault)
        .members(&container.id)?
        .into_iter()
        .find(|m| m.serial == serial)
        .map(|m| m.held);
    super::push::roll_out(vault, client, &enrollment, now, Some(&container.id)).await?;
    if let Some(Held::Push(old)) = old {
        exclusive(vault).retire_push_token(&old)?;
    }
    Ok(())
}

/// Whether a push token a sync brought may be set up without asking: it lives on the
/// container's own server (anywhere else, a sync could make the phone make keys for and post
/// to any address), and is reached no more weakly than the user accepted for the container.
fn push_token_allowed(url: &url::Url, verify_tls: bool, container: &StoredContainer) -> Result<()> {
    if url.host_str() != container.server.host_str() {
        return Err(Error::ServerReply(format!(
            "a push token on {} came with a container of {}",
            url.host_str().unwrap_or_default(),
            container.server.host_str().unwrap_or_default()
        )));
    }
    let accepted = transport_risk(&container.server, container.verify_tls);
    match transport_risk(url, verify_tls) {
        Some(risk) if !(url.origin() == container.server.origin() && accepted == Some(risk)) => {
            Err(Error::InsecureServer {
                host: url.host_str().unwrap_or_default().to_string(),
                risk,
            })
        }
        _ => Ok(()),
    }
}

/// Asks the server for a registration code for a new phone, where its policy allows that.
/// The container moves once the new phone scans it.
pub async fn move_to_new_phone(
    vault: &SharedVault,
    client: &PushClient,
    container_id: &str,
) -> Result<String> {
    let _one_at_a_time = CONTAINER_WORK.lock().await;
    let (container, key) = registered(vault, container_id)?;
    if !container.policies.container_client_rollover {
        return Err(Error::ManagedByServer("move the container to a new phone"));
    }
    container::rollover(client, &container.server(), &key)
        .await
        .inspect_err(|error| record_failure(vault, container_id, error))
}

/// Unregisters the container at the server, where its policy allows that; its tokens stay on
/// the phone as the phone's own.
pub async fn unregister(
    vault: &SharedVault,
    client: &PushClient,
    container_id: &str,
) -> Result<()> {
    let _one_at_a_time = CONTAINER_WORK.lock().await;
    let (container, key) = registered(vault, container_id)?;
    if container.policies.disable_client_container_unregister {
        return Err(Error::ManagedByServer("unregister the container"));
    }
    match container::terminate(client, &container.server(), &key).await {
        // Gone already at the server: the phone lets go too.
        Ok(()) | Err(Error::ContainerNotRegistered) => {
            exclusive(vault).remove_container(container_id, false)
        }
        Err(error) => {
            record_failure(vault, container_id, &error);
            Err(error)
        }
    }
}

/// Removes a container from this phone only ("Remove from this phone"), in any state.
pub fn forget(vault: &SharedVault, container_id: &str) -> Result<()> {
    let mut vault = exclusive(vault);
    let container = vault.container(container_id)?;
    // Whatever its state: a server that refuses or is gone must not strand its tokens here.
    // The server is not told. Its tokens go with it only where what the phone knows of it
    // came over a checked connection; else (a "moved" anyone on the way could have written)
    // they stay, as the user's own. The user's own accounts that joined always stay.
    let checked = transport_risk(&container.server, container.verify_tls).is_none();
    vault.remove_container(container_id, checked)
}

/// Container work that reads and then rewrites a container's tokens, one at a time: the
/// background runner, "Sync now", a registration's first sync, moving and unregistering.
static CONTAINER_WORK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn registered(
    vault: &SharedVault,
    container_id: &str,
) -> Result<(StoredContainer, std::sync::Arc<ContainerKey>)> {
    let vault = exclusive(vault);
    let container = vault.container(container_id)?;
    match container.state {
        ContainerState::Moved => return Err(Error::ContainerMoved),
        ContainerState::Unregistered => return Err(Error::ContainerNotRegistered),
        _ => {}
    }
    let key = vault.container_key(container_id)?;
    Ok((container, key))
}

/// The failure, stored for the list: a move or an unregistration changes the container's
/// state.
fn record_failure(vault: &SharedVault, container_id: &str, error: &Error) {
    let mut vault = exclusive(vault);
    let stored = match error {
        Error::ContainerMoved => {
            vault.set_container_state(container_id, ContainerState::Moved, error.code())
        }
        Error::ContainerNotRegistered => {
            vault.set_container_state(container_id, ContainerState::Unregistered, error.code())
        }
        _ => vault.set_container_error(container_id, error.code()),
    };
    if let Err(failed) = stored {
        log::warn!("could not note a container's failure: {failed}");
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::vault::{MemoryStore, Vault};

    /// A vault in `dir` with its secrets in memory.
    fn memory_vault(dir: &tempfile::TempDir) -> SharedVault {
        Arc::new(Mutex::new(
            Vault::open(
                &dir.path().join("pocket.sqlite"),
                Box::new(MemoryStore::default()),
            )
            .unwrap(),
        ))
    }

    fn link(server: &str, ssl_verify: &str, passphrase: &str) -> String {
        format!(
            "pia://container/SMPH1?issuer=Corp&ttl=10&nonce=abc&time={}&url={server}&serial=SMPH1&key_algorithm=secp384r1&hash_algorithm=SHA256&ssl_verify={ssl_verify}&passphrase={passphrase}&send_passphrase=False",
            crate::clock::iso8601(crate::clock::now_unix())
                .replace(':', "%3A")
                .replace('+', "%2B")
        )
    }

    /// Every refusal here comes before any connection: the servers named do not exist.
    #[tokio::test]
    async fn what_the_user_must_give_or_accept_is_asked_before_anything_is_sent() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(MemoryStore::default());
        let vault: SharedVault = Arc::new(Mutex::new(
            Vault::open(&dir.path().join("pocket.sqlite"), Box::new(store.clone())).unwrap(),
        ));
        let client = PushClient::new().unwrap();
        let now = crate::clock::now_unix();
        let cases = [
            (
                link("https%3A//pi.corp.test/", "False", ""),
                None,
                "certificate_unchecked",
            ),
            (
                link("http%3A//pi.corp.test/", "True", ""),
                None,
                "insecure_server",
            ),
            (
                link("https%3A//pi.corp.test/", "True", "Company%20PIN"),
                None,
                "passphrase_required",
            ),
            (
                link("https%3A//pi.corp.test/", "True", "")
                    .replace("ttl=10", "ttl=0")
                    .replace("time=2", "time=1"),
                Some("x"),
                "container_link_expired",
            ),
        ];
        for (text, passphrase, code) in cases {
            let choices = RegistrationChoices {
                passphrase,
                ..Default::default()
            };
            let error = register(&vault, &client, &text, choices, now)
                .await
                .unwrap_err();
            assert_eq!(error.code(), code, "{text}");
        }
        assert!(exclusive(&vault).containers().unwrap().is_empty());
        assert!(store.is_empty());
    }

    fn stored(server: &str, verify_tls: bool) -> StoredContainer {
        StoredContainer {
            id: "c1".into(),
            serial: "SMPH1".into(),
            issuer: "Corp".into(),
            server: url::Url::parse(server).unwrap(),
            verify_tls,
            state: ContainerState::Registered,
            policies: Default::default(),
            last_sync_at: None,
            last_error: String::new(),
        }
    }

    #[test]
    fn a_synced_push_token_stays_on_its_containers_server_and_no_weaker() {
        let url = |u: &str| url::Url::parse(u).unwrap();
        let checked = stored("https://pi.corp.test/", true);
        let allowed = |u: &str, verify, c: &StoredContainer| {
            push_token_allowed(&url(u), verify, c).map_err(|e| e.code())
        };
        assert_eq!(
            allowed("https://pi.corp.test/ttype/push", true, &checked),
            Ok(())
        );
        assert_eq!(
            allowed("https://elsewhere.test/ttype/push", true, &checked),
            Err("server_reply")
        );
        assert_eq!(
            allowed("http://pi.corp.test/ttype/push", true, &checked),
            Err("insecure_server")
        );
        assert_eq!(
            allowed("https://pi.corp.test/ttype/push", false, &checked),
            Err("certificate_unchecked")
        );
        // What the user accepted for the container, on its own origin, holds for its tokens.
        let unchecked = stored("https://pi.corp.test/", false);
        assert_eq!(
            allowed("https://pi.corp.test/ttype/push", false, &unchecked),
            Ok(())
        );
        assert_eq!(
            allowed("https://pi.corp.test:8443/ttype/push", false, &unchecked),
            Err("certificate_unchecked")
        );
        assert_eq!(
            allowed("http://pi.corp.test/ttype/push", false, &unchecked),
            Err("insecure_server")
        );
    }

    #[tokio::test(start_paused = true)]
    async fn containers_sync_at_once_then_every_interval_and_when_woken() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::time::Duration;
        let dir = tempfile::tempdir().unwrap();
        let vault = memory_vault(&dir);
        let wake = Arc::new(tokio::sync::Notify::new());
        let rounds = Arc::new(AtomicUsize::new(0));
        let counted = rounds.clone();
        let runner = tokio::spawn(run_container_sync(
            vault,
            PushClient::new().unwrap(),
            wake.clone(),
            CONTAINER_SYNC_INTERVAL,
            || 0,
            move |_| {
                counted.fetch_add(1, Ordering::SeqCst);
            },
        ));
        let after = |seconds| tokio::time::sleep(Duration::from_secs(seconds));
        after(1).await;
        assert_eq!(rounds.load(Ordering::SeqCst), 1, "no sync at start");
        after(CONTAINER_SYNC_INTERVAL.as_secs() - 2).await;
        assert_eq!(rounds.load(Ordering::SeqCst), 1, "a sync before its time");
        after(2).await;
        assert_eq!(
            rounds.load(Ordering::SeqCst),
            2,
            "no sync after the interval"
        );
        wake.notify_one();
        after(1).await;
        assert_eq!(rounds.load(Ordering::SeqCst), 3, "woken, no sync");
        runner.abort();
    }

    #[test]
    fn any_container_can_be_removed_from_this_phone_and_an_unchecked_one_leaves_its_tokens() {
        use crate::container::SyncPlan;
        use crate::otp::{AccountDraft, OtpParams, SecretKey};
        // Still registered, its server refusing or gone: the phone can let it go all the
        // same. Its tokens go with it only where what the phone knows came over a checked
        // connection; over an unchecked one (a "moved" anyone could have written) they stay.
        for (ssl_verify, tokens_stay) in [("True", 0), ("False", 1)] {
            let dir = tempfile::tempdir().unwrap();
            let vault = memory_vault(&dir);
            let text = link("https%3A//pi.corp.test/", ssl_verify, "");
            let link = ContainerLink::parse(&text).unwrap();
            let id = {
                let mut vault = exclusive(&vault);
                let id = vault
                    .begin_container(&link, &ContainerKey::generate(), &[], 0)
                    .unwrap();
                vault.finish_container(&id, &Default::default()).unwrap();
                let secret = SecretKey::from_bytes(b"a company secret....".to_vec()).unwrap();
                let draft =
                    AccountDraft::new("Corp", "alice", secret, OtpParams::default_totp()).unwrap();
                let plan = SyncPlan {
                    add_accounts: vec![("TOTP1".into(), draft)],
                    ..Default::default()
                };
                vault
                    .apply_sync(&id, &plan, &Default::default(), 1)
                    .unwrap();
                id
            };
            forget(&vault, &id).unwrap();
            let vault = exclusive(&vault);
            assert!(vault.containers().unwrap().is_empty(), "{ssl_verify}");
            assert_eq!(vault.accounts().unwrap().len(), tokens_stay, "{ssl_verify}");
        }
    }
}
