//! What a scan found, item by item, for the user to decide on: the texts of every code in a
//! picture (or one pasted link), routed and read, Google exports opened, accounts already in
//! Pocket marked. The app keeps what may be added on its side and shows the rest.

use super::route::{Scanned, route};
use crate::container::ContainerLink;
use crate::error::TransportRisk;
use crate::error::{Error, Result};
use crate::otp::{AccountDraft, Batch, parse_migration};
use crate::push::parse_enrollment;

/// One thing a scan found.
#[derive(Debug)]
pub enum ScanItem {
    /// An account to offer.
    Account(AccountDraft),
    /// An account Pocket has already (same issuer and secret): nothing to add.
    Duplicate { issuer: String, name: String },
    /// Something Pocket cannot add, and why; with the account's label when it is known.
    Invalid { label: Option<String>, error: Error },
    /// A push login to set up, described by its issuer and serial, with what the user must
    /// accept first. `text` is the enrollment link: it holds the credential.
    Push {
        text: String,
        label: String,
        risk: Option<TransportRisk>,
    },
    /// A privacyIDEA smartphone container to register, with what the user must accept or
    /// type first. `text` is the registration link: it holds the one-time challenge.
    Container {
        text: String,
        label: String,
        /// The issuer the link names: accounts of that issuer may be offered to the server
        /// (`Vault::offerable_accounts`).
        issuer: String,
        /// The server it registers with, so the user sees who asks for the passphrase.
        host: String,
        risk: Option<TransportRisk>,
        passphrase_prompt: Option<String>,
        /// Whether the passphrase goes to the server (checked against its user store) or is
        /// only signed.
        sends_passphrase: bool,
    },
    /// A code that is not for an authenticator, shortened for display.
    Other(String),
}

/// Everything a scan found, in order.
#[derive(Debug, Default)]
pub struct ScanReport {
    pub items: Vec<ScanItem>,
    /// Set when a code is one part of a Google Authenticator export spread over several.
    pub batch: Option<Batch>,
}

/// Reads every text a scan found; `known` says whether an account is in Pocket already. A
/// failing `known` (a locked keychain) offers the account anyway: adding it will say why.
pub fn classify(
    texts: &[String],
    mut known: impl FnMut(&AccountDraft) -> Result<bool>,
) -> ScanReport {
    let mut report = ScanReport::default();
    let mut offer = |draft: AccountDraft, items: &mut Vec<ScanItem>| {
        if known(&draft).unwrap_or(false) {
            items.push(ScanItem::Duplicate {
                issuer: draft.issuer,
                name: draft.name,
            });
        } else {
            items.push(ScanItem::Account(draft));
        }
    };
    for text in texts {
        match route(text) {
            Scanned::Account(draft) => offer(draft, &mut report.items),
            Scanned::InvalidAccount(error) => {
                report.items.push(ScanItem::Invalid { label: None, error })
            }
            Scanned::MigrationExport(text) => match parse_migration(&text) {
                Ok(part) => {
                    for draft in part.accounts {
                        offer(draft, &mut report.items);
                    }
                    report
                        .items
                        .extend(part.skipped.into_iter().map(|s| ScanItem::Invalid {
                            label: Some(s.label),
                            error: s.reason,
                        }));
                    report.batch = report.batch.or(part.batch);
                }
                Err(error) => report.items.push(ScanItem::Invalid { label: None, error }),
            },
            Scanned::PushEnrollment(text) => report.items.push(match parse_enrollment(&text) {
                Ok(enrollment) => ScanItem::Push {
                    label: format!("{} ({})", enrollment.issuer, enrollment.serial),
                    risk: enrollment.risk(),
                    text,
                },
                Err(error) => ScanItem::Invalid { label: None, error },
            }),
            Scanned::ContainerRegistration(text) => {
                report.items.push(match ContainerLink::parse(&text) {
                    Ok(link) => ScanItem::Container {
                        label: format!("{} ({})", link.issuer, link.serial),
                        issuer: link.issuer.clone(),
                        host: link.server.host_str().unwrap_or_default().to_string(),
                        risk: link.risk(),
                        sends_passphrase: link.passphrase_prompt.is_some() && link.send_passphrase,
                        passphrase_prompt: link.passphrase_prompt,
                        text,
                    },
                    Err(error) => ScanItem::Invalid { label: None, error },
                })
            }
            Scanned::Other(preview) => report.items.push(ScanItem::Other(preview)),
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCOUNT: &str = "otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME";

    #[test]
    fn each_text_becomes_an_item_to_decide_on() {
        let texts = [
            ACCOUNT,
            "otpauth://totp/ACME:bob?secret=KRSXG5CTMVRXEZLU&issuer=ACME",
            "otpauth://totp/X:y?secret=!!",
            "otpauth://pipush/PIPU1?url=http%3A//mfa.corp.example/ttype/push&ttl=10&issuer=Corp&enrollment_credential=ab&v=1&serial=PIPU1",
            "pia://container/SMPH1?issuer=Corp&ttl=10&nonce=ab&time=2026-12-02T09%3A14%3A07%2B00%3A00&url=https%3A//pi.corp.example/&serial=SMPH1&key_algorithm=secp384r1&hash_algorithm=SHA256&ssl_verify=True&passphrase=PIN&send_passphrase=False",
            "https://example.com/menu",
        ]
        .map(str::to_string);
        // Alice is in Pocket already.
        let report = classify(&texts, |draft| Ok(draft.name == "alice"));
        let kinds: Vec<&str> = report
            .items
            .iter()
            .map(|item| match item {
                ScanItem::Account(_) => "account",
                ScanItem::Duplicate { .. } => "duplicate",
                ScanItem::Invalid { .. } => "invalid",
                ScanItem::Push { .. } => "push",
                ScanItem::Container { .. } => "container",
                ScanItem::Other(_) => "other",
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "duplicate",
                "account",
                "invalid",
                "push",
                "container",
                "other"
            ]
        );
        match &report.items[4] {
            ScanItem::Container {
                label,
                risk,
                passphrase_prompt,
                ..
            } => {
                assert_eq!(label, "Corp (SMPH1)");
                assert_eq!((*risk, passphrase_prompt.as_deref()), (None, Some("PIN")));
            }
            other => panic!("{other:?}"),
        }
        match &report.items[3] {
            ScanItem::Push { label, risk, .. } => {
                assert_eq!(label, "Corp (PIPU1)");
                assert_eq!(*risk, Some(TransportRisk::PlainHttp));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_account_is_offered_when_the_keychain_cannot_say() {
        let report = classify(&[ACCOUNT.to_string()], |_| Err(Error::KeychainLocked));
        assert!(matches!(report.items[..], [ScanItem::Account(_)]));
    }
}
