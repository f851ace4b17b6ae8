//! Icons imported with accounts: listed with the accounts, their images read one at a time.

use std::collections::HashMap;

use super::Vault;
use crate::error::Result;
use crate::otp::{AccountIcon, ImageFormat};

/// An account's icon as the list shows it: an image (read with [`Vault::icon`]), or letters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListedIcon {
    Image(ImageFormat),
    Label { text: String, colour: String },
}

impl Vault {
    /// The icon of each account that has one, by account id.
    pub fn listed_icons(&self) -> Result<HashMap<String, ListedIcon>> {
        Ok(self
            .db
            .icons_listed()?
            .into_iter()
            .map(|(id, icon)| {
                let listed = match icon {
                    AccountIcon::Image { format, .. } => ListedIcon::Image(format),
                    AccountIcon::Label { text, colour } => ListedIcon::Label { text, colour },
                };
                (id, listed)
            })
            .collect())
    }

    pub fn icon(&self, account_id: &str) -> Result<Option<AccountIcon>> {
        self.db.icon(account_id)
    }
}
