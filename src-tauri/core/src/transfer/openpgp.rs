//! OpenPGP messages encrypted with a password (Proton Pass's encrypted export, WinAuth's):
//! armored or binary, opened with the `pgp` library, and what is inside read as whatever
//! file it is. The library parses the message (which derives nothing), then every password
//! packet it would try is priced from that parse before any key is derived: iterated and
//! salted hashing is bounded by the format, Argon2 is not; more than a few password packets
//! are refused before the parse. A message encrypted to someone's key rather than a
//! password is an export locked to that app's account.

use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};

use zeroize::Zeroizing;

use super::crypto::damaged;
use super::kdf::{KdfBudget, KdfCost};
use super::{Format, Imported, MAX_BACKUP_BYTES};
use crate::error::{Error, Result};

const ARMOR: &str = "-----BEGIN PGP MESSAGE-----";
const SKESK: u8 = 3;
const PKESK: u8 = 1;
const MARKER: u8 = 10;
const PADDING: u8 = 21;
/// Exports have one password packet; a few more would be odd, thousands hostile.
const MAX_SESSION_PACKETS: usize = 8;

pub struct OpenPgp;

fn is_armored(file: &[u8]) -> bool {
    super::text(file).is_some_and(|t| t.trim_start().starts_with(ARMOR))
}

/// The tag of the packet a binary message starts with, if it starts like one.
fn first_tag(bytes: &[u8]) -> Option<u8> {
    let first = *bytes.first()?;
    match first {
        0xC0..=0xFF => Some(first & 0x3F),
        0x80..=0xBF => Some((first >> 2) & 0x0F),
        _ => None,
    }
}

/// A binary message that starts with a whole, plausible password or key packet: other
/// binary files (andOTP's old backups are random bytes) rarely look like one.
fn is_binary_message(file: &[u8]) -> bool {
    if super::text(file).is_some() || !matches!(first_tag(file), Some(SKESK | PKESK)) {
        return false;
    }
    match packet(file) {
        Ok((SKESK, [4, cipher, s2k, ..], _)) => {
            (1..=13).contains(cipher) && [0, 1, 3, 4].contains(s2k)
        }
        Ok((SKESK, [6, ..], _)) => true,
        Ok((PKESK, [3 | 6, ..], _)) => true,
        _ => false,
    }
}

/// The message's packets, unarmored.
fn binary(file: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    if !is_armored(file) {
        return Ok(Zeroizing::new(file.to_vec()));
    }
    let mut bytes = Zeroizing::new(Vec::new());
    pgp::armor::Dearmor::new(file)
        .take(MAX_BACKUP_BYTES as u64)
        .read_to_end(&mut bytes)
        .map_err(|e| damaged(format!("the message's armor is not readable: {e}")))?;
    Ok(bytes)
}

/// One packet's tag and body, and what follows it.
fn packet(bytes: &[u8]) -> Result<(u8, &[u8], &[u8])> {
    let cut = || damaged("the message is cut short");
    let first = *bytes.first().ok_or_else(cut)?;
    let (tag, length, header): (u8, usize, usize) = if first & 0x40 != 0 {
        // New format: one, two or five length octets (a partial length never starts a
        // password packet).
        let octet = usize::from(*bytes.get(1).ok_or_else(cut)?);
        match octet {
            0..=191 => (first & 0x3F, octet, 2),
            192..=223 => {
                let second = usize::from(*bytes.get(2).ok_or_else(cut)?);
                (first & 0x3F, ((octet - 192) << 8) + second + 192, 3)
            }
            255 => {
                let b = bytes.get(2..6).ok_or_else(cut)?;
                (
                    first & 0x3F,
                    u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize,
                    6,
                )
            }
            _ => return Err(damaged("the message's packets are not readable")),
        }
    } else {
        // Old format: the length's size in the tag octet's last two bits.
        let tag = (first >> 2) & 0x0F;
        match first & 0x03 {
            0 => (tag, usize::from(*bytes.get(1).ok_or_else(cut)?), 2),
            1 => {
                let b = bytes.get(1..3).ok_or_else(cut)?;
                (tag, usize::from(u16::from_be_bytes([b[0], b[1]])), 3)
            }
            2 => {
                let b = bytes.get(1..5).ok_or_else(cut)?;
                (
                    tag,
                    u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize,
                    5,
                )
            }
            _ => return Err(damaged("the message's packets are not readable")),
        }
    };
    let end = header.checked_add(length).ok_or_else(cut)?;
    let body = bytes.get(header..end).ok_or_else(cut)?;
    Ok((tag, body, &bytes[end..]))
}

/// What a password packet's string-to-key asks for (RFC 9580 §3.7), as the library parsed it.
fn s2k_cost(s2k: Option<&pgp::types::StringToKey>) -> Result<KdfCost> {
    use pgp::types::StringToKey;
    match s2k {
        Some(StringToKey::Simple { .. } | StringToKey::Salted { .. }) => Ok(KdfCost::pbkdf2(1)),
        // Iterated and salted: `count` bytes hashed, at most some 65 MB, twice over for a
        // key longer than the hash; an HMAC iteration of PBKDF2 hashes about 128.
        Some(StringToKey::IteratedAndSalted { count, .. }) => {
            let coded = u32::from(*count);
            let hashed = (16 + (coded & 15)) << ((coded >> 4) + 6);
            Ok(KdfCost::pbkdf2(hashed / 64))
        }
        // Argon2: passes, lanes, and 2^m KiB.
        Some(StringToKey::Argon2 { t, m_enc, .. }) => {
            if *m_enc > 31 {
                return Err(Error::BackupTooCostly);
            }
            Ok(KdfCost::argon2(1u32 << m_enc, u32::from(*t)))
        }
        _ => Err(damaged(
            "the message's key derivation is not one Pocket reads",
        )),
    }
}

/// Counts the password and key packets before the encrypted data, passing over markers
/// and padding as the library does, so that a flood of them is refused before it parses
/// them all.
fn count_session_packets(bytes: &[u8]) -> Result<usize> {
    let mut count = 0;
    let mut rest = bytes;
    while let Some(tag @ (SKESK | PKESK | MARKER | PADDING)) = first_tag(rest) {
        let (_, _, after) = packet(rest)?;
        if matches!(tag, SKESK | PKESK) {
            count += 1;
            if count > MAX_SESSION_PACKETS {
                return Err(damaged(
                    "the message has more password packets than any export",
                ));
            }
        }
        rest = after;
    }
    Ok(count)
}

/// Prices every password packet of the parsed message, all of which the library tries,
/// before it derives any key; a message with key packets only is locked to someone's key.
fn price(message: &pgp::composed::Message<'_>, kdf: &mut KdfBudget) -> Result<()> {
    let pgp::composed::Message::Encrypted { esk, .. } = message else {
        return Err(damaged("the message is not encrypted"));
    };
    let mut costs = Vec::new();
    for packet in esk {
        if let pgp::composed::Esk::SymKeyEncryptedSessionKey(password) = packet {
            costs.push(s2k_cost(password.s2k())?);
        }
    }
    if costs.is_empty() {
        return Err(match esk.is_empty() {
            true => damaged("the message holds no password packet"),
            false => Error::ExportTiedToAccount,
        });
    }
    kdf.spend(&costs)
}

/// The message's content, opened with `password`.
pub(crate) fn decrypt(
    file: &[u8],
    password: &str,
    kdf: &mut KdfBudget,
) -> Result<Zeroizing<Vec<u8>>> {
    let bytes = binary(file)?;
    count_session_packets(&bytes)?;
    // The library is not ours to vouch for on every damaged message: a panic in it is a
    // damaged file, not a crash.
    catch_unwind(AssertUnwindSafe(|| open(&bytes, password, kdf)))
        .map_err(|_| damaged("the message is not readable"))?
}

fn open(bytes: &[u8], password: &str, kdf: &mut KdfBudget) -> Result<Zeroizing<Vec<u8>>> {
    // Parsing reads the packets, derives nothing.
    let message = pgp::composed::Message::from_bytes(bytes)
        .map_err(|e| damaged(format!("the message is not readable: {e}")))?;
    price(&message, kdf)?;
    // A wrong password and a damaged message fail the same check: the session key opens
    // nothing, or the integrity code does not match.
    let message = message
        .decrypt_with_password(&pgp::types::Password::from(password))
        .map_err(|_| Error::WrongBackupPassword)?
        .decompress()
        .map_err(|e| damaged(format!("the message's contents are not readable: {e}")))?;
    if message.is_encrypted() {
        return Err(damaged("the message holds another encrypted message"));
    }
    let mut plain = Zeroizing::new(Vec::new());
    message
        .take(MAX_BACKUP_BYTES as u64 + 1)
        .read_to_end(&mut plain)
        .map_err(|_| Error::WrongBackupPassword)?;
    if plain.len() > MAX_BACKUP_BYTES {
        return Err(Error::BackupTooLarge);
    }
    Ok(plain)
}

impl Format for OpenPgp {
    fn name(&self) -> &'static str {
        "openpgp"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        is_armored(file) || is_binary_message(file)
    }

    fn is_encrypted(&self, _: &[u8]) -> bool {
        true
    }

    fn read(&self, file: &[u8], password: Option<&str>, kdf: &mut KdfBudget) -> Result<Imported> {
        let password = password.ok_or(Error::BackupPasswordRequired)?;
        let plain = decrypt(file, password, kdf)?;
        let inside = super::identify(&plain)?;
        if inside.name() == self.name() {
            return Err(damaged("the message holds another encrypted message"));
        }
        inside.read(&plain, Some(password), kdf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A password packet (version 4, AES-256) with `s2k`.
    fn password_packet(s2k: &[u8]) -> Vec<u8> {
        let mut body = vec![4, 9];
        body.extend_from_slice(s2k);
        let mut bytes = vec![0xC3, body.len() as u8];
        bytes.extend_from_slice(&body);
        bytes
    }

    fn argon2(passes: u8, exponent: u8) -> Vec<u8> {
        let mut s2k = vec![4];
        s2k.extend_from_slice(&[0; 16]);
        s2k.extend_from_slice(&[passes, 4, exponent]);
        password_packet(&s2k)
    }

    /// `packets`, then encrypted data (SEIPD v1) of a few bytes.
    fn message(packets: &[Vec<u8>]) -> Vec<u8> {
        let mut bytes = packets.concat();
        bytes.extend_from_slice(&[0xD2, 0x13, 1]);
        bytes.extend_from_slice(&[0; 18]);
        bytes
    }

    fn priced(bytes: &[u8]) -> Result<()> {
        count_session_packets(bytes)?;
        let parsed = pgp::composed::Message::from_bytes(bytes).map_err(|_| damaged("parse"))?;
        price(&parsed, &mut KdfBudget::default())
    }

    #[test]
    fn every_password_packet_is_priced_before_the_library_runs() {
        // Iterated and salted at the format's most (count octet 255): within the budget.
        let mut iterated = vec![3, 8];
        iterated.extend_from_slice(&[0; 8]);
        iterated.push(255);
        priced(&message(&[password_packet(&iterated)])).unwrap();
        priced(&message(&[argon2(3, 16)])).unwrap();
        // Argon2 at 2^31 KiB (2 TiB), 1 GiB with 250 passes, or behind a cheap packet and
        // a marker (the library tries them all): refused unrun.
        let marker = vec![0xCA, 3, b'P', b'G', b'P'];
        for hostile in [
            message(&[argon2(1, 31)]),
            message(&[argon2(250, 20)]),
            message(&[
                argon2(3, 16),
                marker.clone(),
                argon2(32, 21),
                argon2(32, 21),
            ]),
        ] {
            assert_eq!(priced(&hostile).unwrap_err().code(), "backup_too_costly");
        }
        // More password packets than any export has, markers between them passed over.
        let flood: Vec<Vec<u8>> = (0..20)
            .flat_map(|_| [argon2(1, 3), marker.clone()])
            .collect();
        let refused = priced(&message(&flood)).unwrap_err();
        assert!(
            refused.to_string().contains("more password packets"),
            "{refused}"
        );
    }
}
