//! Google Authenticator's export written: `otpauth-migration://offline?data=…` links, as many
//! as the accounts need, for any app that scans Google's transfer codes. The format has no
//! period and no Steam codes, and only 6 or 8 digits: accounts it cannot carry are listed with
//! the reason, never dropped silently.

use base64::Engine;

use super::draft::AccountDraft;
use super::migration::SkippedAccount;
use super::params::{Algorithm, DEFAULT_PERIOD, OtpKind};
use crate::error::Error;

/// The most payload bytes in one code: small enough that a phone scans it off a screen at a
/// glance (Google's own app puts about ten accounts in one).
const MAX_PART_BYTES: usize = 700;

/// The export's codes, in order, and the accounts it cannot carry.
#[derive(Debug)]
pub struct MigrationExport {
    pub links: Vec<zeroize::Zeroizing<String>>,
    pub skipped: Vec<SkippedAccount>,
}

/// Writes `accounts` as Google transfer links; `batch_id` ties the parts together.
pub fn write_migration(accounts: &[AccountDraft], batch_id: i32) -> MigrationExport {
    let mut entries: Vec<zeroize::Zeroizing<Vec<u8>>> = Vec::new();
    let mut skipped = Vec::new();
    for account in accounts {
        match entry(account) {
            Ok(bytes) => entries.push(bytes),
            Err(reason) => skipped.push(SkippedAccount {
                label: account.label(),
                reason,
            }),
        }
    }
    let mut parts: Vec<Vec<&zeroize::Zeroizing<Vec<u8>>>> = Vec::new();
    let mut size = 0;
    for entry in &entries {
        if parts.is_empty() || size + entry.len() > MAX_PART_BYTES {
            parts.push(Vec::new());
            size = 0;
        }
        size += entry.len();
        if let Some(part) = parts.last_mut() {
            part.push(entry);
        }
    }
    let count = parts.len();
    let links = parts
        .iter()
        .enumerate()
        .map(|(index, part)| {
            let mut payload = zeroize::Zeroizing::new(Vec::new());
            for entry in part {
                bytes_field(&mut payload, 1, entry);
            }
            varint_field(&mut payload, 2, 1);
            varint_field(&mut payload, 3, count as u64);
            varint_field(&mut payload, 4, index as u64);
            varint_field(&mut payload, 5, batch_id as u32 as u64);
            let data = base64::engine::general_purpose::STANDARD.encode(&*payload);
            let data: String = url::form_urlencoded::byte_serialize(data.as_bytes()).collect();
            zeroize::Zeroizing::new(format!("otpauth-migration://offline?data={data}"))
        })
        .collect();
    MigrationExport { links, skipped }
}

/// One `OtpParameters` message, or why Google's format cannot hold the account.
fn entry(account: &AccountDraft) -> Result<zeroize::Zeroizing<Vec<u8>>, Error> {
    let params = &account.params;
    let (kind, counter) = match params.kind {
        OtpKind::Totp {
            period: DEFAULT_PERIOD,
        } => (2, None),
        OtpKind::Totp { .. } => return Err(Error::NotInGoogleFormat("period")),
        OtpKind::Hotp { counter } => (1, Some(counter)),
        OtpKind::Steam => return Err(Error::NotInGoogleFormat("kind")),
    };
    let digits = match params.digits {
        6 => 1,
        8 => 2,
        _ => return Err(Error::NotInGoogleFormat("digits")),
    };
    let algorithm = match params.algorithm {
        Algorithm::Sha1 => 1,
        Algorithm::Sha256 => 2,
        Algorithm::Sha512 => 3,
    };
    let mut out = zeroize::Zeroizing::new(Vec::new());
    bytes_field(&mut out, 1, account.secret.as_bytes());
    bytes_field(&mut out, 2, account.name.as_bytes());
    bytes_field(&mut out, 3, account.issuer.as_bytes());
    varint_field(&mut out, 4, algorithm);
    varint_field(&mut out, 5, digits);
    varint_field(&mut out, 6, kind);
    if let Some(counter) = counter {
        varint_field(&mut out, 7, counter);
    }
    Ok(out)
}

fn varint(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn varint_field(out: &mut Vec<u8>, field: u64, value: u64) {
    varint(out, field << 3);
    varint(out, value);
}

fn bytes_field(out: &mut Vec<u8>, field: u64, bytes: &[u8]) {
    varint(out, (field << 3) | 2);
    varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::{OtpParams, SecretKey, parse_migration};

    fn account(issuer: &str, name: &str, params: OtpParams) -> AccountDraft {
        let secret = SecretKey::from_bytes(format!("{issuer}{name}-secret-bytes").into_bytes());
        AccountDraft::new(issuer, name, secret.unwrap(), params).unwrap()
    }

    #[test]
    fn every_account_google_can_carry_reads_back_and_the_rest_are_named() {
        let mut accounts: Vec<AccountDraft> = (0..40)
            .map(|i| {
                account(
                    "Corp Single Sign-On",
                    &format!("user{i}@corp.example"),
                    OtpParams::default_totp(),
                )
            })
            .collect();
        accounts.push(account(
            "Bank",
            "bob",
            OtpParams {
                kind: OtpKind::Hotp { counter: 1 << 40 },
                algorithm: Algorithm::Sha512,
                digits: 8,
            },
        ));
        let steam = account("Steam", "gamer", OtpParams::steam());
        let minute = account(
            "Slow",
            "x",
            OtpParams {
                kind: OtpKind::Totp { period: 60 },
                ..OtpParams::default_totp()
            },
        );
        let seven = account(
            "Seven",
            "y",
            OtpParams {
                digits: 7,
                ..OtpParams::default_totp()
            },
        );
        accounts.extend([steam, minute, seven]);

        let export = write_migration(&accounts, 1234);
        assert!(export.links.len() > 1, "{} parts", export.links.len());
        let skipped: Vec<(&str, &str)> = export
            .skipped
            .iter()
            .map(|s| (s.label.as_str(), s.reason.field().unwrap_or_default()))
            .collect();
        assert_eq!(
            skipped,
            [
                ("Steam (gamer)", "kind"),
                ("Slow (x)", "period"),
                ("Seven (y)", "digits")
            ]
        );
        assert!(
            export
                .skipped
                .iter()
                .all(|s| s.reason.code() == "not_in_google_format")
        );
        let mut read = Vec::new();
        for (index, link) in export.links.iter().enumerate() {
            let part = parse_migration(link).unwrap();
            let batch = part.batch.unwrap();
            assert_eq!(
                (batch.index as usize, batch.size as usize, batch.id),
                (index, export.links.len(), 1234)
            );
            assert!(part.skipped.is_empty());
            read.extend(part.accounts);
        }
        assert_eq!(read, accounts[..41]);
    }
}
