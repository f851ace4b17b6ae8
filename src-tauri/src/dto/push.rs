//! Push tokens, login requests, answers and the history.

use pocket_core::error::TransportRisk;
use pocket_core::push::PushRequest;
use pocket_core::vault::{Outcome, RequestRecord, StoredPushToken};
use serde::{Deserialize, Serialize};

/// How a push server is reached that the user had to accept: the error code that asked.
#[derive(Debug, Clone, Copy, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "TransportRisk"))]
#[serde(rename_all = "snake_case")]
pub enum RiskDto {
    InsecureServer,
    CertificateUnchecked,
}

impl From<TransportRisk> for RiskDto {
    fn from(risk: TransportRisk) -> RiskDto {
        match risk {
            TransportRisk::PlainHttp => RiskDto::InsecureServer,
            TransportRisk::CertificateUnchecked => RiskDto::CertificateUnchecked,
        }
    }
}

/// A push token in the account list. The server's key and the phone's key stay behind.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "PushToken"))]
#[serde(rename_all = "camelCase")]
pub struct PushTokenDto {
    pub id: String,
    pub serial: String,
    pub label: String,
    pub issuer: String,
    /// The server's host, so the user can tell two services apart.
    pub host: String,
    /// What the user accepted when setting it up; shown in the list.
    pub risk: Option<RiskDto>,
}

impl From<&StoredPushToken> for PushTokenDto {
    fn from(stored: &StoredPushToken) -> PushTokenDto {
        PushTokenDto {
            id: stored.id.clone(),
            serial: stored.token.serial.clone(),
            label: stored.token.label.clone(),
            issuer: stored.token.issuer.clone(),
            host: stored.token.url.host_str().unwrap_or_default().to_string(),
            risk: stored.token.risk().map(RiskDto::from),
        }
    }
}

/// A verified login request, for the prompt.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "PushRequest"))]
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
    #[cfg_attr(test, ts(type = "number"))]
    pub expires_at_ms: u64,
    /// The server asks for the unlock step before an Accept (privacyIDEA's app_force_unlock).
    pub unlock_required: bool,
}

impl PushRequestDto {
    pub fn new(token: &StoredPushToken, request: &PushRequest) -> Self {
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
            unlock_required: token.token.unlock.is_some(),
        }
    }
}

/// The user's answer to a request.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "PushAnswer"))]
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

/// What became of a request.
#[derive(Debug, Clone, Copy, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Outcome"))]
#[serde(rename_all = "snake_case")]
pub enum OutcomeDto {
    Pending,
    Sending,
    Accepted,
    Declined,
    Expired,
    Failed,
}

impl From<Outcome> for OutcomeDto {
    fn from(outcome: Outcome) -> OutcomeDto {
        match outcome {
            Outcome::Pending => OutcomeDto::Pending,
            Outcome::Sending => OutcomeDto::Sending,
            Outcome::Accepted => OutcomeDto::Accepted,
            Outcome::Declined => OutcomeDto::Declined,
            Outcome::Expired => OutcomeDto::Expired,
            Outcome::Failed => OutcomeDto::Failed,
        }
    }
}

/// What became of an answer, with the code to type on the login page where the server gave
/// one (privacyIDEA's code-to-phone).
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "PushAnswered"))]
#[serde(rename_all = "camelCase")]
pub struct AnsweredDto {
    pub outcome: OutcomeDto,
    pub display_code: Option<String>,
}

impl From<pocket_core::flows::Answered> for AnsweredDto {
    fn from(answered: pocket_core::flows::Answered) -> AnsweredDto {
        AnsweredDto {
            outcome: answered.outcome.into(),
            display_code: answered.display_code,
        }
    }
}

/// One line of the history screen.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "HistoryItem"))]
#[serde(rename_all = "camelCase")]
pub struct HistoryDto {
    pub issuer: String,
    pub serial: String,
    pub title: String,
    pub question: String,
    #[cfg_attr(test, ts(type = "number"))]
    pub received_at_ms: u64,
    pub outcome: OutcomeDto,
    pub detail: String,
}

impl From<&RequestRecord> for HistoryDto {
    fn from(record: &RequestRecord) -> HistoryDto {
        HistoryDto {
            issuer: record.issuer.clone(),
            serial: record.serial.clone(),
            title: record.title.clone(),
            question: record.question.clone(),
            received_at_ms: record.received_at * 1000,
            outcome: record.outcome.into(),
            detail: record.detail.clone(),
        }
    }
}
