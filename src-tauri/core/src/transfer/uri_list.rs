//! Plain lists of otpauth:// links, one per line, as many apps export them; Google
//! Authenticator's otpauth-migration:// links, saved as text, read the same way.

use zeroize::Zeroizing;

use super::kdf::KdfBudget;
use super::{Format, Imported};
use crate::error::Result;
use crate::otp::{AccountDraft, SkippedAccount, format_uri, parse_migration, parse_uri};

const MIGRATION: &str = "otpauth-migration://";

fn starts_with(line: &str, scheme: &str) -> bool {
    line.get(..scheme.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
}

/// Text with `otpauth://` links, one per line (many apps export that way).
pub struct Links;

impl Format for Links {
    fn name(&self) -> &'static str {
        "links"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        super::text(file).is_some_and(|text| {
            text.lines().any(|line| {
                let line = line.trim();
                starts_with(line, "otpauth://") || starts_with(line, MIGRATION)
            })
        })
    }

    fn read(&self, file: &[u8], _: Option<&str>, _: &mut KdfBudget) -> Result<Imported> {
        read_uri_list(super::text(file).unwrap_or_default())
    }
}

/// Reads a list; blank lines and `#` comments are passed over, other lines that are not
/// links Pocket can take are listed with their line number and the reason.
pub fn read_uri_list(text: &str) -> Result<Imported> {
    let mut imported = Imported::default();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if starts_with(line, MIGRATION) {
            match parse_migration(line) {
                Ok(part) => {
                    imported.accounts.extend(part.accounts);
                    imported.skipped.extend(part.skipped);
                }
                Err(reason) => imported.skipped.push(SkippedAccount {
                    label: format!("line {}", number + 1),
                    reason,
                }),
            }
            continue;
        }
        match parse_uri(line) {
            Ok(draft) => imported.accounts.push(draft),
            Err(reason) => imported.skipped.push(SkippedAccount {
                label: format!("line {}", number + 1),
                reason,
            }),
        }
    }
    Ok(imported)
}

/// One canonical link per line.
pub fn write_uri_list(accounts: &[AccountDraft]) -> Zeroizing<String> {
    let mut text = Zeroizing::new(String::new());
    for draft in accounts {
        text.push_str(&format_uri(draft));
        text.push('\n');
    }
    text
}
