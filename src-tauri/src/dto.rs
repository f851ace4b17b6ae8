//! Everything that crosses IPC to the webview. None of these types can hold a secret.

use pocket_core::otp::Code;
use pocket_core::vault::Account;
use serde::{Deserialize, Serialize};

use crate::error::IpcError;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountDto {
    pub id: String,
    pub issuer: String,
    pub name: String,
    /// "totp" or "steam".
    pub kind: &'static str,
    pub digits: u8,
    pub period: Option<u32>,
}

impl From<&Account> for AccountDto {
    fn from(account: &Account) -> AccountDto {
        AccountDto {
            id: account.id.clone(),
            issuer: account.issuer.clone(),
            name: account.name.clone(),
            kind: account.params.kind.as_str(),
            digits: account.params.digits,
            period: account.params.period(),
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeDto {
    pub id: String,
    pub code: Option<String>,
    pub next_code: Option<String>,
    /// Unix milliseconds, so the UI can draw the countdown without another call.
    pub valid_from_ms: Option<u64>,
    pub valid_until_ms: Option<u64>,
    /// Why there is no code for this account (a locked keychain, a missing secret).
    pub error: Option<IpcError>,
}

impl CodeDto {
    pub fn new(id: String, result: Result<Code, pocket_core::Error>) -> CodeDto {
        match result {
            Ok(code) => CodeDto {
                id,
                code: Some(code.current),
                next_code: code.next,
                valid_from_ms: code.valid_from.map(|s| s * 1000),
                valid_until_ms: code.valid_until.map(|s| s * 1000),
                error: None,
            },
            Err(error) => CodeDto {
                id,
                code: None,
                next_code: None,
                valid_from_ms: None,
                valid_until_ms: None,
                error: Some(error.into()),
            },
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodesDto {
    /// When the codes were computed, in Unix milliseconds: the UI measures its clock against it.
    pub now_ms: u64,
    pub codes: Vec<CodeDto>,
}

/// An account typed in by hand. Optional fields take the common defaults.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ManualAccountInput {
    pub issuer: String,
    pub name: String,
    pub secret: String,
    pub algorithm: Option<String>,
    pub digits: Option<u8>,
    pub period: Option<u32>,
}

/// One QR code a scan found, described without its secret.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScanItemDto {
    /// "account", "duplicate", "invalid", "push" or "other".
    pub kind: &'static str,
    /// For accounts: the handle `add_scanned` takes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<IpcError>,
    /// For other content: its start, to quote back to the user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview: Option<String>,
}

impl ScanItemDto {
    pub fn kind(kind: &'static str) -> ScanItemDto {
        ScanItemDto {
            kind,
            pending_id: None,
            issuer: None,
            name: None,
            error: None,
            preview: None,
        }
    }

    pub fn account(pending_id: String, issuer: String, name: String) -> ScanItemDto {
        ScanItemDto {
            pending_id: Some(pending_id),
            issuer: Some(issuer),
            name: Some(name),
            ..ScanItemDto::kind("account")
        }
    }

    /// An account that is already in Pocket: nothing to add.
    pub fn duplicate(issuer: String, name: String) -> ScanItemDto {
        ScanItemDto {
            issuer: Some(issuer),
            name: Some(name),
            ..ScanItemDto::kind("duplicate")
        }
    }

    /// Something Pocket cannot add, and why; with the account's label when it is known.
    pub fn invalid(label: Option<String>, error: pocket_core::Error) -> ScanItemDto {
        ScanItemDto {
            name: label,
            error: Some(error.into()),
            ..ScanItemDto::kind("invalid")
        }
    }

    pub fn other(preview: String) -> ScanItemDto {
        ScanItemDto {
            preview: Some(preview),
            ..ScanItemDto::kind("other")
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ScanReportDto {
    pub items: Vec<ScanItemDto>,
    /// Set when a code is one part of a Google Authenticator export spread over several.
    pub batch: Option<BatchDto>,
}

/// Part `part` (from 1) of `of` QR codes.
#[derive(Debug, Clone, Copy, Serialize)]
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
