//! A stored account as the rest of the app sees it: everything but the secret.

use crate::otp::OtpParams;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub issuer: String,
    pub name: String,
    pub params: OtpParams,
}

/// Where an account is in the two-store write protocol (see `Vault`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountState {
    Pending,
    Active,
    Deleting,
}

impl AccountState {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountState::Pending => "pending",
            AccountState::Active => "active",
            AccountState::Deleting => "deleting",
        }
    }

    pub fn parse(text: &str) -> Option<AccountState> {
        match text {
            "pending" => Some(AccountState::Pending),
            "active" => Some(AccountState::Active),
            "deleting" => Some(AccountState::Deleting),
            _ => None,
        }
    }
}
