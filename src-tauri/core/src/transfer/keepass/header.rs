//! A KeePass database's outer header, read only as far as pricing its key derivation needs:
//! the file names its own (AES-KDF rounds, Argon2 memory, passes and lanes), and the library
//! that opens it runs whatever it is given. The fields the library reads by fixed size are
//! checked here too, so that a short field is a damaged file rather than a crash.

use super::super::crypto::damaged;
use super::super::kdf::KdfCost;
use crate::error::{Error, Result};

pub(super) const SIGNATURE: [u8; 8] = [0x03, 0xD9, 0xA2, 0x9A, 0x67, 0xFB, 0x4B, 0xB5];

const END: u8 = 0;
const COMPRESSION: u8 = 3;
const TRANSFORM_ROUNDS: u8 = 6;
const INNER_STREAM: u8 = 10;
const KDF_PARAMETERS: u8 = 11;

const AES_KDF: [[u8; 16]; 2] = [
    // KeePass's, and KeePassXC's own for KDBX 4.
    *b"\xc9\xd9\xf3\x9a\x62\x8a\x44\x60\xbf\x74\x0d\x08\xc1\x8a\x4f\xea",
    *b"\x7c\x02\xbb\x82\x79\xa7\x4a\xc0\x92\x7d\x11\x4a\x00\x64\x82\x38",
];
const ARGON2: [[u8; 16]; 2] = [
    // Argon2d, Argon2id.
    *b"\xef\x63\x6d\xdf\x8c\x29\x44\x4b\x91\xf7\xa9\xa4\x03\xe3\x0a\x0c",
    *b"\x9e\x29\x8b\x19\x56\xdb\x47\x73\xb2\x3d\xfc\x3e\xc6\xf0\xa1\xe6",
];

/// The most Argon2 lanes a database may ask for: each is a thread while the key is derived.
/// KeePassXC uses twice the cores of the machine that made it.
pub(super) const MAX_LANES: u64 = 64;

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len());
        let end = end.ok_or_else(|| damaged("the database's header is cut short"))?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

fn number(bytes: &[u8]) -> Result<u64> {
    match bytes.len() {
        4 => Ok(u64::from(u32::from_le_bytes([
            bytes[0], bytes[1], bytes[2], bytes[3],
        ]))),
        8 => Ok(u64::from_le_bytes(bytes.try_into().unwrap_or_default())),
        _ => Err(damaged(
            "a number in the database's header has the wrong size",
        )),
    }
}

/// The key derivation the database's header asks for, priced.
pub(super) fn kdf_cost(file: &[u8]) -> Result<KdfCost> {
    let mut cursor = Cursor { bytes: file, at: 0 };
    if cursor.take(8)? != SIGNATURE {
        return Err(damaged("this is not a KeePass 2 database"));
    }
    let _minor = cursor.u16()?;
    let major = cursor.u16()?;
    if !(3..=4).contains(&major) {
        return Err(damaged(format!(
            "KeePass database version {major} is not known"
        )));
    }
    let mut cost = None;
    loop {
        let id = cursor.u8()?;
        let length = match major {
            3 => usize::from(cursor.u16()?),
            _ => cursor.u32()? as usize,
        };
        let data = cursor.take(length)?;
        match id {
            END => break,
            COMPRESSION | INNER_STREAM if data.len() != 4 => {
                return Err(damaged(
                    "a field of the database's header has the wrong size",
                ));
            }
            TRANSFORM_ROUNDS if major == 3 => cost = Some(KdfCost::aes_kdf(number(data)?)),
            KDF_PARAMETERS if major == 4 => cost = Some(kdf_parameters(data)?),
            _ => {}
        }
    }
    cost.ok_or_else(|| damaged("the database's header names no key derivation"))
}

/// KDBX 4's `VariantDictionary` of the derivation's settings.
fn kdf_parameters(data: &[u8]) -> Result<KdfCost> {
    let mut cursor = Cursor { bytes: data, at: 0 };
    if cursor.u16()? >> 8 != 1 {
        return Err(damaged(
            "the key derivation's settings are of an unknown version",
        ));
    }
    let (mut uuid, mut rounds, mut memory, mut passes, mut lanes) = (None, None, None, None, None);
    loop {
        let kind = cursor.u8()?;
        if kind == 0 {
            break;
        }
        let key_length = cursor.u32()? as usize;
        let key = cursor.take(key_length)?;
        let value_length = cursor.u32()? as usize;
        let value = cursor.take(value_length)?;
        // Numbers are u32 (0x04) or u64 (0x05); the library reads them by that size.
        let sized = match kind {
            0x04 | 0x0C => value.len() == 4,
            0x05 | 0x0D => value.len() == 8,
            0x08 => value.len() == 1,
            _ => true,
        };
        if !sized {
            return Err(damaged("a key-derivation setting has the wrong size"));
        }
        match key {
            b"$UUID" => uuid = Some(value),
            b"R" => rounds = Some(number(value)?),
            b"M" => memory = Some(number(value)?),
            b"I" => passes = Some(number(value)?),
            b"P" => lanes = Some(number(value)?),
            _ => {}
        }
    }
    let missing = || damaged("the key derivation's settings are incomplete");
    let uuid = uuid.ok_or_else(missing)?;
    if AES_KDF.iter().any(|known| known == uuid) {
        return Ok(KdfCost::aes_kdf(rounds.ok_or_else(missing)?));
    }
    if ARGON2.iter().any(|known| known == uuid) {
        let (memory, passes, lanes) = (
            memory.ok_or_else(missing)?,
            passes.ok_or_else(missing)?,
            lanes.ok_or_else(missing)?,
        );
        if lanes == 0 || lanes > MAX_LANES {
            return Err(Error::BackupTooCostly);
        }
        let kib = u32::try_from(memory / 1024).unwrap_or(u32::MAX);
        let passes = u32::try_from(passes).unwrap_or(u32::MAX);
        return Ok(KdfCost::argon2(kib, passes));
    }
    Err(damaged(
        "the database's key derivation is not one KeePass knows",
    ))
}
