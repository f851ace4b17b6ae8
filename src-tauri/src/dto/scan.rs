//! What a scan found and what adding it added.

use serde::Serialize;

use super::accounts::AccountDto;
use super::push::{PushTokenDto, RiskDto};
use crate::error::IpcError;

/// One QR code a scan found, described without its secret.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ScanItem"))]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ScanItemDto {
    /// An account to add, under the handle `add_scanned` takes.
    Account {
        pending_id: String,
        issuer: String,
        name: String,
    },
    /// Already in Pocket: nothing to add.
    Duplicate { issuer: String, name: String },
    /// Something Pocket cannot add, and why; with the account's label when it is known.
    Invalid {
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        name: Option<String>,
        error: IpcError,
    },
    /// A push login to set up, with what the user must accept first.
    Push {
        pending_id: String,
        name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        risk: Option<RiskDto>,
    },
    /// A privacyIDEA container to register, with what the user must accept or type first.
    Container {
        pending_id: String,
        name: String,
        /// The server it registers with.
        host: String,
        /// Whether a passphrase typed goes to that server or is only signed.
        sends_passphrase: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        risk: Option<RiskDto>,
        /// The server's question, when it asks for a passphrase.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        passphrase_prompt: Option<String>,
        /// Accounts set up here before that the server may recognise, if the user ticks
        /// them: their codes go to it once. None is ticked unless the user ticks it.
        offerable: Vec<OfferableDto>,
    },
    /// Anything else: its start, to quote back to the user.
    Other { preview: String },
}

/// An account a container registration may offer its server, as the user knows it.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Offerable"))]
pub struct OfferableDto {
    pub id: String,
    pub issuer: String,
    pub name: String,
}

impl From<pocket_core::vault::OfferableAccount> for OfferableDto {
    fn from(account: pocket_core::vault::OfferableAccount) -> OfferableDto {
        OfferableDto {
            id: account.id,
            issuer: account.issuer,
            name: account.name,
        }
    }
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ScanReport"))]
pub struct ScanReportDto {
    pub items: Vec<ScanItemDto>,
    /// Set when a code is one part of a Google Authenticator export spread over several.
    pub batch: Option<BatchDto>,
}

/// Part `part` (from 1) of `of` QR codes.
#[derive(Debug, Clone, Copy, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Batch"))]
pub struct BatchDto {
    pub part: u32,
    pub of: u32,
}

impl From<pocket_core::otp::Batch> for BatchDto {
    fn from(batch: pocket_core::otp::Batch) -> BatchDto {
        BatchDto {
            part: batch.index + 1,
            of: batch.size,
        }
    }
}

/// What `add_scanned` added.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Added"))]
#[serde(tag = "kind", content = "value", rename_all = "camelCase")]
pub enum AddedDto {
    Account(AccountDto),
    PushToken(PushAddedDto),
    Container(super::containers::ContainerAddedDto),
}

/// A push token just set up, and the code account its server offers with it: kept under
/// `pendingId` until the user adds it (`add_scanned`) or lets it go.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "PushAdded"))]
#[serde(rename_all = "camelCase")]
pub struct PushAddedDto {
    pub token: PushTokenDto,
    pub offered: Option<OfferedAccountDto>,
}

/// A code account offered for the user's yes: what it is, and its handle.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "OfferedAccount"))]
#[serde(rename_all = "camelCase")]
pub struct OfferedAccountDto {
    pub pending_id: String,
    pub issuer: String,
    pub name: String,
}

/// What this build can scan with, and how the webview's camera sends its frames.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ScanCapabilities"))]
#[serde(rename_all = "camelCase")]
pub struct ScanCapabilitiesDto {
    /// "Scan the screen" (desktop builds).
    pub screen: bool,
    /// The system's own camera scanner (iOS) instead of the webview's camera.
    pub native_camera: bool,
    /// Pocket can open its page in the phone's settings (Android), where a blocked camera is
    /// allowed again.
    pub app_settings: bool,
    /// Frames go as raw bytes; where the IPC has none (Android), as base64 text.
    pub binary_frames: bool,
    pub frames: FramePlanDto,
}

/// How the webview's camera samples frames for `scan_frame`.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "FramePlan"))]
#[serde(rename_all = "camelCase")]
pub struct FramePlanDto {
    /// Frames are reduced until their longer side is at most this many pixels.
    pub max_side: u32,
    /// The least time from one frame to the next; a frame also waits for the previous
    /// one's answer.
    pub min_interval_ms: u32,
    /// The framing guide's side, as a percentage of the frame's shorter side.
    pub guide_percent: u32,
}

impl FramePlanDto {
    pub fn new() -> FramePlanDto {
        use pocket_core::scan;
        FramePlanDto {
            max_side: scan::FRAME_MAX_SIDE,
            min_interval_ms: scan::FRAME_MIN_INTERVAL_MS,
            guide_percent: scan::GUIDE_SHARE_PERCENT,
        }
    }
}
