//! Events the Rust side sends to the UI; mirrored by ui/src/lib/api/events.ts.

/// A verified login request arrived (payload: `PushRequestDto`).
pub const PUSH_REQUEST: &str = "push-request";

/// How the last automatic backup went (payload: `BackupStatusDto`).
pub const BACKUP_STATUS: &str = "backup-status";

/// A round of container syncs finished (payload: `ContainerSyncedDto[]`).
pub const CONTAINERS_SYNCED: &str = "containers-synced";

/// The lock shut or opened (payload: `LockChangedDto`).
pub const LOCK_CHANGED: &str = "lock-changed";

/// A login request arrived while locked (no payload: its details wait for the unlock).
pub const PUSH_WAITING: &str = "push-waiting";

/// A new clock measurement came (payload: `ClockStatusDto`).
pub const CLOCK_CHANGED: &str = "clock-changed";

/// How login requests reach this device changed: a distributor came, went or answered (no
/// payload: Settings reads it again).
pub const LOGIN_REQUESTS_CHANGED: &str = "login-requests-changed";
