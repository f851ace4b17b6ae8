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

/// An account typed in by hand. Optional fields take the common defaults. Its `Debug` leaves
/// the secret out.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ManualAccountInput {
    pub issuer: String,
    pub name: String,
    pub secret: String,
    pub algorithm: Option<String>,
    pub digits: Option<u8>,
    pub period: Option<u32>,
}

impl std::fmt::Debug for ManualAccountInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ManualAccountInput")
            .field("issuer", &self.issuer)
            .field("name", &self.name)
            .field("secret", &"<redacted>")
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits)
            .field("period", &self.period)
            .finish()
    }
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
    /// For push enrollments the user must accept first: "insecure_server" (plain HTTP) or
    /// "certificate_unchecked" (sslverify=0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk: Option<&'static str>,
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
            risk: None,
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

    /// A push login enrollment, with what the user must accept before it is set up.
    pub fn push(
        pending_id: String,
        label: String,
        risk: Option<pocket_core::push::TransportRisk>,
    ) -> ScanItemDto {
        ScanItemDto {
            pending_id: Some(pending_id),
            name: Some(label),
            risk: risk.map(|r| r.code()),
            ..ScanItemDto::kind("push")
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

/// What `add_scanned` added.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "camelCase")]
pub enum AddedDto {
    Account(AccountDto),
    PushToken(PushAddedDto),
}

/// A push token just set up, and the code account its server sent along, if Pocket took it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PushAddedDto {
    pub token: PushTokenDto,
    pub also_added: Option<AccountDto>,
}

impl From<&pocket_core::push::Enrolled> for PushAddedDto {
    fn from(enrolled: &pocket_core::push::Enrolled) -> PushAddedDto {
        PushAddedDto {
            token: PushTokenDto::from(&enrolled.token),
            also_added: enrolled.fallback_account.as_ref().map(AccountDto::from),
        }
    }
}

/// A push token in the account list. The server's key and the phone's key stay behind.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PushTokenDto {
    pub id: String,
    pub serial: String,
    pub label: String,
    pub issuer: String,
    /// The server's host, so the user can tell two services apart.
    pub host: String,
    /// What the user accepted when setting it up: "insecure_server" or
    /// "certificate_unchecked"; shown in the list.
    pub risk: Option<&'static str>,
}

impl From<&pocket_core::vault::StoredPushToken> for PushTokenDto {
    fn from(stored: &pocket_core::vault::StoredPushToken) -> PushTokenDto {
        PushTokenDto {
            id: stored.id.clone(),
            serial: stored.token.serial.clone(),
            label: stored.token.label.clone(),
            issuer: stored.token.issuer.clone(),
            host: stored.token.url.host_str().unwrap_or_default().to_string(),
            risk: stored.token.risk().map(|r| r.code()),
        }
    }
}

/// A verified login request, for the prompt.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PushRequestDto {
    pub token_id: String,
    pub nonce: String,
    pub issuer: String,
    pub label: String,
    pub serial: String,
    pub title: String,
    /// Plain text: the UI never renders it as markup.
    pub question: String,
    pub presence_options: Vec<String>,
    pub takes_decline_reason: bool,
    pub expires_at_ms: u64,
}

impl PushRequestDto {
    pub fn new(
        token: &pocket_core::vault::StoredPushToken,
        request: &pocket_core::push::PushRequest,
    ) -> Self {
        PushRequestDto {
            token_id: token.id.clone(),
            nonce: request.nonce.clone(),
            issuer: token.token.issuer.clone(),
            label: token.token.label.clone(),
            serial: token.token.serial.clone(),
            title: request.title.clone(),
            question: request.question.clone(),
            presence_options: request.presence_options.clone(),
            takes_decline_reason: request.takes_decline_reason,
            expires_at_ms: request.expires_at * 1000,
        }
    }
}

/// The user's answer to a request.
#[derive(Debug, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum AnswerInput {
    Accept,
    /// `notMe`: "This wasn't me", sent with the reason where the server takes one.
    Decline {
        not_me: bool,
    },
    Choice {
        option: String,
    },
}

/// One line of the history screen.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryDto {
    pub issuer: String,
    pub serial: String,
    pub title: String,
    pub question: String,
    pub received_at_ms: u64,
    /// "pending", "sending", "accepted", "declined", "expired" or "failed".
    pub outcome: &'static str,
    pub detail: String,
}

impl From<&pocket_core::vault::RequestRecord> for HistoryDto {
    fn from(record: &pocket_core::vault::RequestRecord) -> HistoryDto {
        HistoryDto {
            issuer: record.issuer.clone(),
            serial: record.serial.clone(),
            title: record.title.clone(),
            question: record.question.clone(),
            received_at_ms: record.received_at * 1000,
            outcome: record.outcome.as_str(),
            detail: record.detail.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shapes ui/src/lib/api/types.ts sends.
    #[test]
    fn answers_read_as_the_ui_writes_them() {
        let read = |json: &str| serde_json::from_str::<AnswerInput>(json).unwrap();
        assert!(matches!(read(r#"{"kind":"accept"}"#), AnswerInput::Accept));
        assert!(matches!(
            read(r#"{"kind":"decline","notMe":true}"#),
            AnswerInput::Decline { not_me: true }
        ));
        assert!(
            matches!(read(r#"{"kind":"choice","option":"17"}"#), AnswerInput::Choice { option } if option == "17")
        );
        assert!(serde_json::from_str::<AnswerInput>(r#"{"kind":"maybe"}"#).is_err());
    }

    #[test]
    fn a_typed_secret_is_never_printed() {
        let input: ManualAccountInput = serde_json::from_str(
            r#"{"issuer":"GitHub","name":"alice","secret":"JBSWY3DPEHPK3PXP"}"#,
        )
        .unwrap();
        let shown = format!("{input:?}");
        assert!(
            shown.contains("alice") && !shown.contains("JBSWY3DPEHPK3PXP"),
            "{shown}"
        );
    }
}
