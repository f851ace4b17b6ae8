//! privacyIDEA smartphone containers as the list shows them: a group, its tokens, how its
//! last sync went and what the server's policy lets the phone do.

use pocket_core::container::Held;
use pocket_core::flows::SyncReport;
use pocket_core::vault::{ContainerState, StoredContainer};
use serde::Serialize;

use super::push::RiskDto;
use crate::error::IpcError;

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Container"))]
#[serde(rename_all = "camelCase")]
pub struct ContainerDto {
    pub id: String,
    pub serial: String,
    pub issuer: String,
    pub host: String,
    #[cfg_attr(test, ts(type = "'registered' | 'moved' | 'unregistered'"))]
    pub state: &'static str,
    /// Unix seconds of the last good sync.
    pub last_sync_at: Option<u64>,
    /// The error kind of the last sync, when it failed.
    #[cfg_attr(test, ts(type = "ErrorCode | null"))]
    pub last_error: Option<String>,
    /// The ids of its accounts and push tokens, in the list's order.
    pub account_ids: Vec<String>,
    pub push_token_ids: Vec<String>,
    pub can_move: bool,
    pub can_unregister: bool,
    pub can_delete_tokens: bool,
    pub risk: Option<RiskDto>,
}

impl ContainerDto {
    pub fn new(
        container: &StoredContainer,
        members: &[pocket_core::container::Member],
    ) -> ContainerDto {
        let (mut account_ids, mut push_token_ids) = (Vec::new(), Vec::new());
        for member in members {
            match &member.held {
                Held::Account(id) => account_ids.push(id.clone()),
                Held::Push(id) => push_token_ids.push(id.clone()),
            }
        }
        let registered = container.state == ContainerState::Registered;
        ContainerDto {
            id: container.id.clone(),
            serial: container.serial.clone(),
            issuer: container.issuer.clone(),
            host: container.server.host_str().unwrap_or_default().to_string(),
            state: match container.state {
                ContainerState::Moved => "moved",
                ContainerState::Unregistered => "unregistered",
                _ => "registered",
            },
            last_sync_at: container.last_sync_at,
            last_error: Some(container.last_error.clone()).filter(|e| !e.is_empty()),
            account_ids,
            push_token_ids,
            can_move: registered && container.policies.container_client_rollover,
            can_unregister: registered && !container.policies.disable_client_container_unregister,
            can_delete_tokens: !registered || !container.policies.disable_client_token_deletion,
            risk: pocket_core::push::transport_risk(&container.server, container.verify_tls)
                .map(RiskDto::from),
        }
    }
}

/// A registration just made, and how its first sync went.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ContainerAdded"))]
#[serde(rename_all = "camelCase")]
pub struct ContainerAddedDto {
    pub container: ContainerDto,
    /// Tokens the first sync brought.
    pub tokens: usize,
    pub sync_error: Option<IpcError>,
}

/// One container's sync, for "Sync now".
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ContainerSynced"))]
#[serde(rename_all = "camelCase")]
pub struct ContainerSyncedDto {
    pub container_id: String,
    pub added: usize,
    pub removed: usize,
    pub kept_by_policy: usize,
    pub error: Option<IpcError>,
}

impl ContainerSyncedDto {
    pub fn new(
        container: &StoredContainer,
        result: &Result<SyncReport, pocket_core::Error>,
    ) -> Self {
        match result {
            Ok(report) => ContainerSyncedDto {
                container_id: container.id.clone(),
                added: report.added + report.joined,
                removed: report.removed,
                kept_by_policy: report.kept_by_policy,
                error: report.failures.first().map(|(_, e)| IpcError::from(e)),
            },
            Err(error) => ContainerSyncedDto {
                container_id: container.id.clone(),
                added: 0,
                removed: 0,
                kept_by_policy: 0,
                error: Some(IpcError::from(error)),
            },
        }
    }
}

/// A registration code for a new phone, as text and as a picture.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ContainerTransfer"))]
#[serde(rename_all = "camelCase")]
pub struct ContainerTransferDto {
    pub link: String,
    /// An SVG data URI of the link's QR code.
    pub qr: String,
}
