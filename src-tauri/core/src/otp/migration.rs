//! Google Authenticator's export (`otpauth-migration://offline?data=…`): URL-encoded base64
//! of a protobuf `MigrationPayload`, read here with a small protobuf reader of our own.

use base64::Engine;
use url::Url;

use super::draft::AccountDraft;
use super::params::{Algorithm, DEFAULT_PERIOD, OtpKind, OtpParams};
use super::secret::SecretKey;
use crate::error::{Error, Result};

/// One QR code of an export: the accounts in it, those that cannot be imported, and where it
/// stands in a batch of several codes.
#[derive(Debug)]
pub struct MigrationPart {
    pub accounts: Vec<AccountDraft>,
    pub skipped: Vec<SkippedAccount>,
    pub batch: Option<Batch>,
}

#[derive(Debug)]
pub struct SkippedAccount {
    /// What the user knows it by: issuer and name as far as the export has them.
    pub label: String,
    pub reason: Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batch {
    /// Zero-based position of this code in the batch.
    pub index: u32,
    pub size: u32,
    pub id: i32,
}

pub fn parse_migration(text: &str) -> Result<MigrationPart> {
    let invalid = |reason: &str| Error::invalid("data", reason);
    let url = Url::parse(text.trim()).map_err(|_| invalid("this is not an export link"))?;
    if !url.scheme().eq_ignore_ascii_case("otpauth-migration") {
        return Err(invalid("this is not an export link"));
    }
    let data = url
        .query_pairs()
        .find(|(name, _)| name == "data")
        .map(|(_, value)| value.into_owned())
        .ok_or(Error::MissingParameter("data"))?;
    // A query parser reads `+` as a space; in base64 it was a `+`.
    let data = data.replace(' ', "+");
    let payload = base64::engine::general_purpose::STANDARD
        .decode(data.trim_end_matches('='))
        .or_else(|_| {
            base64::engine::general_purpose::STANDARD_NO_PAD.decode(data.trim_end_matches('='))
        })
        .map_err(|_| invalid("it is not base64"))?;
    read_payload(&payload)
}

fn read_payload(bytes: &[u8]) -> Result<MigrationPart> {
    let mut part = MigrationPart {
        accounts: Vec::new(),
        skipped: Vec::new(),
        batch: None,
    };
    let (mut size, mut index, mut id) = (None, None, 0i32);
    let mut reader = Reader(bytes);
    while let Some((field, value)) = reader.field()? {
        match (field, value) {
            (1, Value::Bytes(entry)) => match read_entry(entry)? {
                Ok(draft) => part.accounts.push(draft),
                Err(skipped) => part.skipped.push(skipped),
            },
            (3, Value::Varint(v)) => size = Some(v as u32),
            (4, Value::Varint(v)) => index = Some(v as u32),
            (5, Value::Varint(v)) => id = v as i32,
            _ => {} // version, and whatever later versions add
        }
    }
    if let Some(size) = size.filter(|&s| s > 1) {
        part.batch = Some(Batch {
            index: index.unwrap_or(0),
            size,
            id,
        });
    }
    Ok(part)
}

/// One `OtpParameters`: an account, or the reason it cannot be imported.
fn read_entry(bytes: &[u8]) -> Result<std::result::Result<AccountDraft, SkippedAccount>> {
    let (mut secret, mut name, mut issuer) = (Vec::new(), String::new(), String::new());
    let (mut algorithm, mut digits, mut kind, mut counter) = (0, 0, 0, 0u64);
    let mut reader = Reader(bytes);
    while let Some((field, value)) = reader.field()? {
        match (field, value) {
            (1, Value::Bytes(v)) => secret = v.to_vec(),
            (2, Value::Bytes(v)) => name = String::from_utf8_lossy(v).into_owned(),
            (3, Value::Bytes(v)) => issuer = String::from_utf8_lossy(v).into_owned(),
            (4, Value::Varint(v)) => algorithm = v,
            (5, Value::Varint(v)) => digits = v,
            (6, Value::Varint(v)) => kind = v,
            (7, Value::Varint(v)) => counter = v,
            _ => {}
        }
    }
    // Exports often repeat the issuer in the name, as in a Key URI label.
    let name = match name.split_once(':') {
        Some((prefix, rest)) if issuer.is_empty() || prefix.trim() == issuer.trim() => {
            if issuer.is_empty() {
                issuer = prefix.trim().to_string();
            }
            rest.trim().to_string()
        }
        _ => name.trim().to_string(),
    };
    let label = match (issuer.is_empty(), name.is_empty()) {
        (false, false) => format!("{issuer} ({name})"),
        (false, true) => issuer.clone(),
        _ => name.clone(),
    };
    let draft = (|| {
        let algorithm = match algorithm {
            0 | 1 => Algorithm::Sha1,
            2 => Algorithm::Sha256,
            3 => Algorithm::Sha512,
            4 => return Err(Error::invalid("algorithm", "MD5 is not supported")),
            _ => return Err(Error::invalid("algorithm", "unknown algorithm")),
        };
        let digits = match digits {
            0 | 1 => 6,
            2 => 8,
            _ => return Err(Error::invalid("digits", "unknown number of digits")),
        };
        let kind = match kind {
            0 | 2 => OtpKind::Totp {
                period: DEFAULT_PERIOD,
            },
            1 => OtpKind::Hotp { counter },
            other => return Err(Error::UnsupportedOtpType(format!("type {other}"))),
        };
        AccountDraft::new(
            &issuer,
            &name,
            SecretKey::from_bytes(secret)?,
            OtpParams {
                kind,
                algorithm,
                digits,
            },
        )
    })();
    Ok(draft.map_err(|reason| SkippedAccount { label, reason }))
}

enum Value<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Fixed,
}

/// Protobuf's wire format, as far as this payload needs it.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn field(&mut self) -> Result<Option<(u64, Value<'a>)>> {
        if self.0.is_empty() {
            return Ok(None);
        }
        let key = self.varint()?;
        let value = match key & 7 {
            0 => Value::Varint(self.varint()?),
            1 => self.skip(8)?,
            2 => {
                let len = usize::try_from(self.varint()?).map_err(|_| malformed())?;
                let bytes = self.0.get(..len).ok_or_else(malformed)?;
                self.0 = &self.0[len..];
                Value::Bytes(bytes)
            }
            5 => self.skip(4)?,
            _ => return Err(malformed()),
        };
        Ok(Some((key >> 3, value)))
    }

    fn varint(&mut self) -> Result<u64> {
        let mut value = 0u64;
        for (i, &byte) in self.0.iter().enumerate().take(10) {
            value |= u64::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                self.0 = &self.0[i + 1..];
                return Ok(value);
            }
        }
        Err(malformed())
    }

    fn skip(&mut self, len: usize) -> Result<Value<'a>> {
        self.0 = self.0.get(len..).ok_or_else(malformed)?;
        Ok(Value::Fixed)
    }
}

fn malformed() -> Error {
    Error::invalid("data", "the export is damaged")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Protobuf encoding for the fixtures, the mirror of `Reader`.
    fn varint(mut v: u64, out: &mut Vec<u8>) {
        while v >= 0x80 {
            out.push((v as u8) | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }
    fn bytes_field(field: u64, bytes: &[u8], out: &mut Vec<u8>) {
        varint(field << 3 | 2, out);
        varint(bytes.len() as u64, out);
        out.extend_from_slice(bytes);
    }
    fn varint_field(field: u64, v: u64, out: &mut Vec<u8>) {
        varint(field << 3, out);
        varint(v, out);
    }
    fn entry(
        secret: &[u8],
        name: &str,
        issuer: &str,
        algorithm: u64,
        digits: u64,
        kind: u64,
    ) -> Vec<u8> {
        let mut out = Vec::new();
        bytes_field(1, secret, &mut out);
        bytes_field(2, name.as_bytes(), &mut out);
        bytes_field(3, issuer.as_bytes(), &mut out);
        varint_field(4, algorithm, &mut out);
        varint_field(5, digits, &mut out);
        varint_field(6, kind, &mut out);
        out
    }
    fn link(entries: &[Vec<u8>], batch: Option<(u64, u64)>) -> String {
        let mut payload = Vec::new();
        for e in entries {
            bytes_field(1, e, &mut payload);
        }
        varint_field(2, 1, &mut payload);
        if let Some((size, index)) = batch {
            varint_field(3, size, &mut payload);
            varint_field(4, index, &mut payload);
            varint_field(5, 4242, &mut payload);
        }
        let data = base64::engine::general_purpose::STANDARD.encode(payload);
        format!(
            "otpauth-migration://offline?data={}",
            url::form_urlencoded::byte_serialize(data.as_bytes()).collect::<String>()
        )
    }

    #[test]
    fn imports_what_it_can_and_says_why_it_skips_the_rest() {
        let secret = b"12345678901234567890";
        let part = parse_migration(&link(
            &[
                entry(secret, "GitHub:alice", "GitHub", 1, 1, 2),
                entry(secret, "bob@example.com", "", 2, 2, 0),
                entry(secret, "old", "Legacy", 4, 1, 2),
                entry(b"", "empty", "Broken", 1, 1, 2),
            ],
            None,
        ))
        .unwrap();
        assert_eq!(part.accounts.len(), 2);
        let (first, second) = (&part.accounts[0], &part.accounts[1]);
        assert_eq!(
            (first.issuer.as_str(), first.name.as_str()),
            ("GitHub", "alice")
        );
        assert_eq!(first.params, OtpParams::default_totp());
        assert_eq!(first.secret.as_bytes(), secret);
        assert_eq!(second.name, "bob@example.com");
        assert_eq!(
            (second.params.algorithm, second.params.digits),
            (Algorithm::Sha256, 8)
        );
        let reasons: Vec<_> = part
            .skipped
            .iter()
            .map(|s| (s.label.as_str(), s.reason.field()))
            .collect();
        assert_eq!(
            reasons,
            [
                ("Legacy (old)", Some("algorithm")),
                ("Broken (empty)", Some("secret"))
            ]
        );
        assert_eq!(part.batch, None);
    }

    #[test]
    fn knows_its_place_in_a_batch_and_survives_plus_as_space() {
        let text = link(&[entry(b"0123456789", "x", "Y", 0, 0, 1)], Some((3, 1)));
        let part = parse_migration(&text.replace("%2B", " ")).unwrap();
        assert_eq!(
            part.batch,
            Some(Batch {
                index: 1,
                size: 3,
                id: 4242
            })
        );
        assert_eq!(part.accounts[0].params.kind, OtpKind::Hotp { counter: 0 });
    }

    #[test]
    fn refuses_damaged_exports_without_panicking() {
        assert!(matches!(
            parse_migration("otpauth-migration://offline"),
            Err(Error::MissingParameter("data"))
        ));
        for bad in [
            "otpauth-migration://offline?data=!!!",
            "otpauth-migration://offline?data=CgUKAjEy", // an entry cut short
            "otpauth-migration://offline?data=%2F%2F%2F%2F", // a varint that never ends
            "https://example.com/?data=CgA=",
        ] {
            assert!(
                matches!(
                    parse_migration(bad),
                    Err(Error::InvalidParameter { param: "data", .. })
                ),
                "{bad}"
            );
        }
    }
}
