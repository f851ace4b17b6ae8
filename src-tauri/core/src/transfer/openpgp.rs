//! OpenPGP messages encrypted with a password (Proton Pass's encrypted export, WinAuth's):
//! armored or binary, opened with the `pgp` library, and what is inside read as whatever
//! file it is. Before the library derives a key, the message's password packets (SKESK) are
//! read here and their key derivations priced: iterated and salted hashing is bounded by the
//! format, Argon2 is not. A message encrypted to someone's key rather than a password is an
//! export locked to that app's account.

use std::io::Read;

use zeroize::Zeroizing;

use super::crypto::damaged;
use super::kdf::{KdfBudget, KdfCost};
use super::{Format, Imported, MAX_BACKUP_BYTES};
use crate::error::{Error, Result};

const ARMOR: &str = "-----BEGIN PGP MESSAGE-----";
const SKESK: u8 = 3;
const PKESK: u8 = 1;

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
    let (tag, length, header) = if first & 0x40 != 0 {
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
    let end = header + length;
    let body = bytes.get(header..end).ok_or_else(cut)?;
    Ok((tag, body, &bytes[end..]))
}

/// What a password packet's string-to-key asks for (RFC 9580 §3.7).
fn s2k_cost(s2k: &[u8]) -> Result<KdfCost> {
    let bad = || damaged("the message's key derivation is not readable");
    match s2k {
        // Simple and salted: one hash.
        [0, ..] | [1, ..] => Ok(KdfCost::pbkdf2(1)),
        // Iterated and salted: `count` bytes hashed, at most some 65 MB; an HMAC iteration
        // of PBKDF2 hashes about 128.
        [3, _hash, salt @ ..] if salt.len() > 8 => {
            let coded = u32::from(salt[8]);
            let count = (16 + (coded & 15)) << ((coded >> 4) + 6);
            Ok(KdfCost::pbkdf2(count / 128))
        }
        // Argon2: a 16-byte salt, passes, lanes, and 2^m KiB.
        [4, rest @ ..] if rest.len() >= 19 => {
            let (passes, exponent) = (rest[16], rest[18]);
            if exponent > 31 {
                return Err(Error::BackupTooCostly);
            }
            Ok(KdfCost::argon2(1u32 << exponent, u32::from(passes)))
        }
        _ => Err(bad()),
    }
}

/// Prices every password packet before the library runs any; a key packet means the
/// message is not for a password.
fn price(message: &[u8], kdf: &mut KdfBudget) -> Result<()> {
    let mut costs = Vec::new();
    let mut rest = message;
    loop {
        let (tag, body, after) = packet(rest)?;
        match tag {
            SKESK => {
                let s2k = match body {
                    [4, _cipher, s2k @ ..] => s2k,
                    [5, _cipher, _aead, s2k @ ..] => s2k,
                    [6, _count, _cipher, _aead, length, s2k @ ..] => s2k
                        .get(..usize::from(*length))
                        .ok_or_else(|| damaged("the message is cut short"))?,
                    _ => return Err(damaged("the message's password packet is not readable")),
                };
                costs.push(s2k_cost(s2k)?);
            }
            PKESK => return Err(Error::ExportTiedToAccount),
            _ => break,
        }
        rest = after;
    }
    if costs.is_empty() {
        return Err(damaged("the message holds no password packet"));
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
    price(&bytes, kdf)?;
    let message = pgp::composed::Message::from_bytes(bytes.as_slice())
        .map_err(|e| damaged(format!("the message is not readable: {e}")))?;
    // A wrong password and a damaged message fail the same check: the session key opens
    // nothing, or the integrity code does not match.
    let mut message = message
        .decrypt_with_password(&pgp::types::Password::from(password))
        .map_err(|_| Error::WrongBackupPassword)?;
    if message.is_compressed() {
        message = message
            .decompress()
            .map_err(|e| damaged(format!("the message's contents are not readable: {e}")))?;
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

    /// A password packet (version 4, AES-256) with `s2k`, then the start of encrypted data.
    fn message(s2k: &[u8]) -> Vec<u8> {
        let mut body = vec![4, 9];
        body.extend_from_slice(s2k);
        let mut bytes = vec![0xC3, body.len() as u8];
        bytes.extend_from_slice(&body);
        bytes.extend_from_slice(&[0xD2, 3, 1, 0, 0]);
        bytes
    }

    #[test]
    fn password_packets_are_priced_before_the_library_runs() {
        // Iterated and salted at the format's most (count octet 255): within the budget.
        let mut iterated = vec![3, 8];
        iterated.extend_from_slice(&[0; 8]);
        iterated.push(255);
        price(&message(&iterated), &mut KdfBudget::default()).unwrap();
        // Argon2 at 2^31 KiB (2 TiB), and at 1 GiB with 1,000 passes: refused unrun.
        let argon2 = |passes: u8, exponent: u8| {
            let mut s2k = vec![4];
            s2k.extend_from_slice(&[0; 16]);
            s2k.extend_from_slice(&[passes, 4, exponent]);
            message(&s2k)
        };
        price(&argon2(3, 16), &mut KdfBudget::default()).unwrap();
        for hostile in [argon2(1, 31), argon2(250, 20), argon2(1, 40)] {
            let refused = price(&hostile, &mut KdfBudget::default()).unwrap_err();
            assert_eq!(refused.code(), "backup_too_costly");
        }
        // Encrypted to a key, not a password.
        let for_a_key = [0xC1, 3, 3, 0, 0];
        assert_eq!(
            price(&for_a_key, &mut KdfBudget::default())
                .unwrap_err()
                .code(),
            "export_tied_to_account"
        );
        // Cut inside the packet.
        let whole = message(&iterated);
        assert_eq!(
            price(&whole[..6], &mut KdfBudget::default())
                .unwrap_err()
                .code(),
            "backup_damaged"
        );
    }
}
