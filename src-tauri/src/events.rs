//! Events the Rust side sends to the UI; mirrored by ui/src/lib/api/events.ts.

/// A verified login request arrived (payload: `PushRequestDto`).
pub const PUSH_REQUEST: &str = "push-request";

/// How the last automatic backup went (payload: `BackupStatusDto`).
pub const BACKUP_STATUS: &str = "backup-status";

/// A round of container syncs finished (payload: `ContainerSyncedDto[]`).
pub const CONTAINERS_SYNCED: &str = "containers-synced";
