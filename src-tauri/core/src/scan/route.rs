//! What a scanned text is for. Texts that hold secrets stay on the Rust side; only what the
//! user needs to decide crosses to the UI.

use crate::error::Error;
use crate::otp::{AccountDraft, parse_uri};

/// How much of an unrecognised text is quoted back to the user.
const PREVIEW_CHARS: usize = 60;

/// Its `Debug` names the kind only where the text holds secrets.
pub enum Scanned {
    /// An `otpauth://totp|hotp` account, ready to add.
    Account(AccountDraft),
    /// An `otpauth://` link that is not a valid account, and why.
    InvalidAccount(Error),
    /// A Google Authenticator export (`otpauth-migration://`), with its full text.
    MigrationExport(String),
    /// A push token enrollment (`otpauth://pipush/…` or `pia://…`), with its full text.
    PushEnrollment(String),
    /// A privacyIDEA smartphone container's registration (`pia://container/…`), with its
    /// full text.
    ContainerRegistration(String),
    /// Anything else, shortened for display.
    Other(String),
}

impl std::fmt::Debug for Scanned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scanned::Account(draft) => f.debug_tuple("Account").field(draft).finish(),
            Scanned::InvalidAccount(error) => f.debug_tuple("InvalidAccount").field(error).finish(),
            Scanned::MigrationExport(_) => f.write_str("MigrationExport(<redacted>)"),
            Scanned::PushEnrollment(_) => f.write_str("PushEnrollment(<redacted>)"),
            Scanned::ContainerRegistration(_) => f.write_str("ContainerRegistration(<redacted>)"),
            Scanned::Other(preview) => f.debug_tuple("Other").field(preview).finish(),
        }
    }
}

pub fn route(text: &str) -> Scanned {
    let trimmed = text.trim();
    let lower = trimmed.get(..24).unwrap_or(trimmed).to_ascii_lowercase();
    if lower.starts_with("otpauth-migration://") {
        Scanned::MigrationExport(trimmed.to_string())
    } else if crate::container::is_container_link(trimmed) {
        Scanned::ContainerRegistration(trimmed.to_string())
    } else if lower.starts_with("otpauth://pipush/") || lower.starts_with("pia://") {
        Scanned::PushEnrollment(trimmed.to_string())
    } else if lower.starts_with("otpauth://") {
        match parse_uri(trimmed) {
            Ok(draft) => Scanned::Account(draft),
            Err(error) => Scanned::InvalidAccount(error),
        }
    } else {
        Scanned::Other(preview(trimmed))
    }
}

/// The start of `text`, printable, with an ellipsis when cut.
fn preview(text: &str) -> String {
    let mut shown: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(PREVIEW_CHARS)
        .collect();
    if text.chars().count() > PREVIEW_CHARS {
        shown.push('…');
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_by_content() {
        let account = route("otpauth://totp/A:b?secret=JBSWY3DP");
        assert!(matches!(account, Scanned::Account(ref d) if d.issuer == "A"));
        assert!(matches!(
            route("OTPAUTH://TOTP/A:b?secret=JBSWY3DP"),
            Scanned::Account(_)
        ));
        assert!(matches!(
            route("otpauth://totp/A:b?secret=!!"),
            Scanned::InvalidAccount(ref e) if e.field() == Some("secret")
        ));
        assert!(matches!(
            route("otpauth-migration://offline?data=CgA%3D"),
            Scanned::MigrationExport(_)
        ));
        assert!(matches!(
            route("otpauth://pipush/PIPU0001?url=x&v=1"),
            Scanned::PushEnrollment(_)
        ));
        assert!(matches!(
            route("pia://PIPU0001?url=x&v=1"),
            Scanned::PushEnrollment(_)
        ));
        assert!(matches!(
            route("pia://container/SMPH0001?serial=SMPH0001&nonce=n"),
            Scanned::ContainerRegistration(_)
        ));
    }

    #[test]
    fn scanned_secrets_are_never_printed() {
        for text in [
            "otpauth-migration://offline?data=CiQKFFNFQ1JFVFNFQ1JFVFNFQ1JFVA%3D%3D",
            "otpauth://pipush/PIPU1?url=https%3A//x/ttype/push&enrollment_credential=c0ffee99&v=1",
            "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP",
        ] {
            let shown = format!("{:?}", route(text));
            for secret in ["CiQKFFNFQ1JFVFNF", "c0ffee99", "JBSWY3DPEHPK3PXP"] {
                assert!(!shown.contains(secret), "{shown}");
            }
        }
    }

    #[test]
    fn quotes_other_texts_shortened_and_printable() {
        match route(
            "https://example.com/a\nvery/long/path/that/goes/on/and/on/and/on/and/on/forever",
        ) {
            Scanned::Other(shown) => {
                assert_eq!(shown.chars().count(), PREVIEW_CHARS + 1);
                assert!(shown.starts_with("https://example.com/a very") && shown.ends_with('…'));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(route("hello"), Scanned::Other(ref s) if s == "hello"));
    }
}
