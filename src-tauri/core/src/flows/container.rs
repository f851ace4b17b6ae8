//! What the phone does with privacyIDEA smartphone containers: register from a scanned code,
//! sync, move to a new phone, unregister. The vault's lock is never held across a request.

use crate::container::{self, ContainerKey, ContainerLink, Held, client_tokens, plan};
use crate::error::{Error, Result};
use crate::push::{PushClient, parse_enrollment, transport_risk};
use crate::vault::{ContainerState, SharedVault, StoredContainer, lock};

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
) -> Result<(ContainerLink, Option<crate::push::TransportRisk>)> {
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

/// Registers the container a `pia://container/` code names, then syncs it. A server reached
/// insecurely needs `allow_insecure`, asked for before any connection; a link that asks for
/// a passphrase needs one. On a refusal nothing stays stored.
pub async fn register(
    vault: &SharedVault,
    client: &PushClient,
    link_text: &str,
    passphrase: Option<&str>,
    allow_insecure: bool,
    now: u64,
) -> Result<Registered> {
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
    if lock(vault).has_container(&link)? {
        return Err(Error::DuplicateAccount);
    }
    let key = ContainerKey::generate();
    let id = lock(vault).begin_container(&link, &key, now)?;
    let (brand, model) = this_device();
    let policies =
        match container::finalize(client, &link, &key, (&brand, &model), passphrase).await {
            Ok(policies) => policies,
            Err(error) => {
                if let Err(cleanup) = lock(vault).abandon_container(&id) {
                    log::warn!("could not clear a refused registration: {cleanup}");
                }
                return Err(error);
            }
        };
    let container = lock(vault).finish_container(&id, &policies)?;
    let first_sync = sync(vault, client, &id, now).await;
    Ok(Registered {
        container: lock(vault).container(&id).unwrap_or(container),
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
    let (container, key, members, candidates) = {
        let mut vault = lock(vault);
        let container = vault.container(container_id)?;
        let key = vault.container_key(container_id)?;
        let members = vault.members(container_id)?;
        let candidates = vault.sync_candidates(&container, now)?;
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
    let sync_plan = match plan(&members, &candidates, reply.dict, &reply.policies) {
        Ok(sync_plan) => sync_plan,
        Err(error) => {
            record_failure(vault, container_id, &error);
            return Err(error);
        }
    };
    let applied = lock(vault).apply_sync(container_id, &sync_plan, &reply.policies, now)?;
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
        lock(vault).set_container_error(container_id, error.code())?;
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
    let containers = lock(vault).containers()?;
    let mut results = Vec::new();
    for container in containers {
        let result = sync(vault, client, &container.id, now).await;
        results.push((container, result));
    }
    Ok(results)
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
    // The user accepted how the container's server is reached; a push token elsewhere is
    // held to the usual rule.
    let same_server = enrollment.url.host_str() == container.server.host_str();
    if let Some(risk) = transport_risk(&enrollment.url, enrollment.verify_tls)
        && !same_server
    {
        return Err(Error::InsecureServer {
            host: enrollment.url.host_str().unwrap_or_default().to_string(),
            risk,
        });
    }
    let old = lock(vault)
        .members(&container.id)?
        .into_iter()
        .find(|m| m.serial == serial)
        .map(|m| m.held);
    super::push::roll_out(vault, client, &enrollment, now, Some(&container.id)).await?;
    if let Some(Held::Push(old)) = old {
        lock(vault).retire_push_token(&old)?;
    }
    Ok(())
}

/// Asks the server for a registration code for a new phone, where its policy allows that.
/// The container moves once the new phone scans it.
pub async fn move_to_new_phone(
    vault: &SharedVault,
    client: &PushClient,
    container_id: &str,
) -> Result<String> {
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
    let (container, key) = registered(vault, container_id)?;
    if container.policies.disable_client_container_unregister {
        return Err(Error::ManagedByServer("unregister the container"));
    }
    match container::terminate(client, &container.server(), &key).await {
        // Gone already at the server: the phone lets go too.
        Ok(()) | Err(Error::ContainerNotRegistered) => {
            lock(vault).remove_container(container_id, false)
        }
        Err(error) => {
            record_failure(vault, container_id, &error);
            Err(error)
        }
    }
}

/// Removes a container from the phone without asking the server (after it moved away, or was
/// unregistered there), with its tokens: their secrets no longer work.
pub fn forget(vault: &SharedVault, container_id: &str) -> Result<()> {
    lock(vault).remove_container(container_id, true)
}

fn registered(
    vault: &SharedVault,
    container_id: &str,
) -> Result<(StoredContainer, std::sync::Arc<ContainerKey>)> {
    let vault = lock(vault);
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
    let mut vault = lock(vault);
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
