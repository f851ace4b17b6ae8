//! The SQL of imported account icons.

use rusqlite::{OptionalExtension, params};

use super::Db;
use crate::error::Result;
use crate::otp::{AccountIcon, ImageFormat};

const LABEL: &str = "label";

impl Db {
    pub fn set_icon(&self, account_id: &str, icon: &AccountIcon) -> Result<()> {
        let (format, data, colour) = match icon {
            AccountIcon::Image { format, bytes } => (format.as_str(), bytes.as_slice(), None),
            AccountIcon::Label { text, colour } => (LABEL, text.as_bytes(), Some(colour)),
        };
        self.conn.execute(
            "INSERT OR REPLACE INTO account_icons (account_id, format, data, colour)
             VALUES (?1, ?2, ?3, ?4)",
            params![account_id, format, data, colour],
        )?;
        Ok(())
    }

    pub fn icon(&self, account_id: &str) -> Result<Option<AccountIcon>> {
        let row = self
            .conn
            .query_row(
                "SELECT format, data, colour FROM account_icons WHERE account_id = ?1",
                params![account_id],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?, r.get(2)?)),
            )
            .optional()?;
        Ok(row.and_then(|(format, data, colour)| stored_icon(&format, data, colour)))
    }

    /// Every account's icon without the images' bytes: what the list needs to know.
    pub fn icons_listed(&self) -> Result<Vec<(String, AccountIcon)>> {
        let mut statement = self.conn.prepare(
            "SELECT account_id, format, CASE format WHEN 'label' THEN data ELSE x'' END, colour
             FROM account_icons",
        )?;
        let rows = statement.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Vec<u8>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut icons = Vec::new();
        for row in rows {
            let (id, format, data, colour) = row?;
            if let Some(icon) = stored_icon(&format, data, colour) {
                icons.push((id, icon));
            }
        }
        Ok(icons)
    }
}

fn stored_icon(format: &str, data: Vec<u8>, colour: Option<String>) -> Option<AccountIcon> {
    if format == LABEL {
        return Some(AccountIcon::Label {
            text: String::from_utf8(data).ok()?,
            colour: colour?,
        });
    }
    Some(AccountIcon::Image {
        format: ImageFormat::parse(format)?,
        bytes: data,
    })
}
