//! Plain lists of otpauth:// links, one per line, as many apps export them.

use zeroize::Zeroizing;

use super::Imported;
use crate::error::{Error, Result};
use crate::otp::{AccountDraft, SkippedAccount, format_uri, parse_uri};

/// Reads a list; blank lines and `#` comments are passed over, other lines that are not
/// links Pocket can take are listed with their line number and the reason.
pub fn read_uri_list(text: &str) -> Result<Imported> {
    let mut imported = Imported::default();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
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
    if imported.accounts.is_empty()
        && imported
            .skipped
            .iter()
            .all(|s| s.reason.code() == "not_otpauth_uri")
    {
        return Err(Error::BackupUnreadable(
            "this file holds no otpauth:// links".into(),
        ));
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
