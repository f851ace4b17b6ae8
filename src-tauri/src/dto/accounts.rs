//! Accounts and their codes, as the list shows them.

use pocket_core::otp::Code;
use pocket_core::vault::{Account, ListedIcon};
use serde::{Deserialize, Serialize};

use crate::error::IpcError;

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Account"))]
#[serde(rename_all = "camelCase")]
pub struct AccountDto {
    pub id: String,
    pub issuer: String,
    pub name: String,
    #[cfg_attr(test, ts(type = "'totp' | 'hotp' | 'steam'"))]
    pub kind: &'static str,
    pub digits: u8,
    pub period: Option<u32>,
    /// The icon an import brought; without one the UI draws the issuer's.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub icon: Option<AccountIconDto>,
}

/// An imported icon: an image, which the UI reads with `account_icon` when its row is on
/// screen, or letters on a colour (`#rrggbb`).
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "AccountIcon"))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum AccountIconDto {
    Image,
    Label { text: String, colour: String },
}

impl AccountDto {
    pub fn with_icon(self, icon: Option<ListedIcon>) -> AccountDto {
        let icon = icon.map(|icon| match icon {
            ListedIcon::Image(_) => AccountIconDto::Image,
            ListedIcon::Label { text, colour } => AccountIconDto::Label { text, colour },
        });
        AccountDto { icon, ..self }
    }
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
            icon: None,
        }
    }
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "AccountCode"))]
#[serde(rename_all = "camelCase")]
pub struct CodeDto {
    pub id: String,
    pub code: Option<String>,
    pub next_code: Option<String>,
    /// Unix milliseconds, so the UI can draw the countdown without another call.
    #[cfg_attr(test, ts(type = "number | null"))]
    pub valid_from_ms: Option<u64>,
    #[cfg_attr(test, ts(type = "number | null"))]
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
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Codes"))]
#[serde(rename_all = "camelCase")]
pub struct CodesDto {
    /// When the codes were computed, in Unix milliseconds: the UI measures its clock against it.
    #[cfg_attr(test, ts(type = "number"))]
    pub now_ms: u64,
    pub codes: Vec<CodeDto>,
}

/// What the home screen shows first (`home_screen`).
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Home"))]
#[serde(rename_all = "camelCase")]
pub struct HomeDto {
    pub accounts: Vec<AccountDto>,
    pub push_tokens: Vec<super::PushTokenDto>,
    pub containers: Vec<super::ContainerDto>,
    /// The codes of the first rows.
    pub codes: CodesDto,
    /// How many rows the list draws first (the rest as they scroll into view).
    pub first_rows: usize,
    /// Codes show as dots until tapped: known before the first one is drawn.
    pub hide_codes: bool,
}

/// An account typed in by hand. Optional fields take the common defaults. Its `Debug` leaves
/// the secret out.
#[derive(Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ManualAccountInput {
    pub issuer: String,
    pub name: String,
    pub secret: String,
    #[cfg_attr(test, ts(optional))]
    pub algorithm: Option<String>,
    #[cfg_attr(test, ts(optional))]
    pub digits: Option<u8>,
    #[cfg_attr(test, ts(optional))]
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
