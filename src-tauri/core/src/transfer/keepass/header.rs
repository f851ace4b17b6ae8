//! A KeePass database's outer header, read only as far as pricing its key derivation needs:
//! the file names its own (AES-KDF rounds, Argon2 memory, passes and lanes), and the library
//! that opens it runs whatever it is given. The fields the library reads by fixed size are
//! checked here too, so that a short field is a damaged file rather than a crash.

use super::super::crypto::damaged;
use super::super::kdf::KdfCost;
use crate::error::{Error, Result};

pub(super) const SIGNATURE: [u8; 8] = [0x03, 0xD9, 0xA2, 0x9A, 0x67, 0xFB, 0x4B, 0xB5];

const END: u8 = 0;
const CIPHER: u8 = 2;
const COMPRESSION: u8 = 3;
const MASTER_SEED: u8 = 4;
const TRANSFORM_SEED: u8 = 5;
const TRANSFORM_ROUNDS: u8 = 6;
const OUTER_IV: u8 = 7;
const STREAM_START: u8 = 9;
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

/// The most lanes times passes: the library starts a thread per lane four times a pass, so
/// this bounds the threads one derivation starts (KeePassXC's settings stay far below).
const MAX_LANE_PASSES: u64 = 4_096;

/// What the header says, as far as Pocket needs it.
pub(super) struct Header {
    /// 3 (KDBX 3.1) or 4.
    pub major: u16,
    pub cost: KdfCost,
}

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

/// The header's version and its key derivation, priced; a field the library reads at a
/// fixed size that has another is a damaged file, said here rather than found there.
pub(super) fn read(file: &[u8]) -> Result<Header> {
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
        let sized = match id {
            CIPHER => data.len() == 16,
            COMPRESSION | INNER_STREAM => data.len() == 4,
            MASTER_SEED | TRANSFORM_SEED | STREAM_START => data.len() == 32,
            TRANSFORM_ROUNDS => data.len() == 8,
            OUTER_IV => data.len() == 12 || data.len() == 16,
            _ => true,
        };
        if !sized {
            return Err(damaged(
                "a field of the database's header has the wrong size",
            ));
        }
        match id {
            END => break,
            TRANSFORM_ROUNDS if major == 3 => cost = Some(KdfCost::aes_kdf(number(data)?)),
            KDF_PARAMETERS if major == 4 => cost = Some(kdf_parameters(data)?),
            _ => {}
        }
    }
    let cost = cost.ok_or_else(|| damaged("the database's header names no key derivation"))?;
    Ok(Header { major, cost })
}

/// KDBX 4's `VariantDictionary` of the derivation's settings.
fn kdf_parameters(data: &[u8]) -> Result<KdfCost> {
    let mut cursor = Cursor { bytes: data, at: 0 };
    if cursor.u16()? >> 8 != 1 {
        return Err(damaged(
            "the key derivation's settings are of an unknown version",
        ));
    }
    let (mut uuid, mut seed, mut rounds) = (None, None, None);
    let (mut memory, mut passes, mut lanes) = (None, None, None);
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
            b"S" => seed = Some(value),
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
        if seed.is_none_or(|seed| seed.len() != 32) {
            return Err(damaged("the key derivation's seed is not 32 bytes"));
        }
        return Ok(KdfCost::aes_kdf(rounds.ok_or_else(missing)?));
    }
    if ARGON2.iter().any(|known| known == uuid) {
        let (memory, passes, lanes) = (
            memory.ok_or_else(missing)?,
            passes.ok_or_else(missing)?,
            lanes.ok_or_else(missing)?,
        );
        if lanes == 0 || passes == 0 || memory < lanes * 8 * 1024 {
            return Err(damaged("the key derivation's settings are not valid"));
        }
        if lanes > MAX_LANES || lanes.saturating_mul(passes) > MAX_LANE_PASSES {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A KDBX 4 header whose key derivation has `items` (type, key, value).
    fn kdbx4(items: &[(u8, &str, Vec<u8>)]) -> Vec<u8> {
        let mut dictionary = vec![0x00, 0x01];
        for (kind, key, value) in items {
            dictionary.push(*kind);
            dictionary.extend_from_slice(&(key.len() as u32).to_le_bytes());
            dictionary.extend_from_slice(key.as_bytes());
            dictionary.extend_from_slice(&(value.len() as u32).to_le_bytes());
            dictionary.extend_from_slice(value);
        }
        dictionary.push(0);
        let mut file = SIGNATURE.to_vec();
        file.extend_from_slice(&[0, 0, 4, 0]);
        for (id, data) in [
            (CIPHER, vec![0; 16]),
            (OUTER_IV, vec![0; 16]),
            (KDF_PARAMETERS, dictionary),
        ] {
            file.push(id);
            file.extend_from_slice(&(data.len() as u32).to_le_bytes());
            file.extend_from_slice(&data);
        }
        file.extend_from_slice(&[END, 4, 0, 0, 0, b'\r', b'\n', b'\r', b'\n']);
        file
    }

    fn argon2(memory: u64, passes: u64, lanes: u32) -> Vec<u8> {
        kdbx4(&[
            (0x42, "$UUID", ARGON2[1].to_vec()),
            (0x42, "S", vec![0; 32]),
            (0x05, "M", memory.to_le_bytes().to_vec()),
            (0x05, "I", passes.to_le_bytes().to_vec()),
            (0x04, "P", lanes.to_le_bytes().to_vec()),
        ])
    }

    fn code(file: &[u8]) -> &'static str {
        read(file).err().map_or("read", |e| e.code())
    }

    #[test]
    fn the_key_derivation_is_priced_and_its_settings_checked() {
        let ordinary = read(&argon2(64 << 20, 10, 8)).unwrap();
        assert_eq!(
            (ordinary.major, ordinary.cost),
            (4, KdfCost::argon2(64 << 10, 10))
        );
        // Lanes past the cap, and lanes times passes past the threads it would start.
        assert_eq!(code(&argon2(64 << 20, 2, 65)), "backup_too_costly");
        assert_eq!(code(&argon2(1 << 20, 9_000, 64)), "backup_too_costly");
        // Settings Argon2 itself refuses are damage, not a wrong password later.
        assert_eq!(code(&argon2(1024, 2, 8)), "backup_damaged");
        assert_eq!(code(&argon2(64 << 20, 0, 8)), "backup_damaged");
        // AES-KDF without its 32-byte seed.
        let aes = |seed: usize| {
            kdbx4(&[
                (0x42, "$UUID", AES_KDF[0].to_vec()),
                (0x05, "R", 60_000u64.to_le_bytes().to_vec()),
                (0x42, "S", vec![0; seed]),
            ])
        };
        assert_eq!(read(&aes(32)).unwrap().cost, KdfCost::aes_kdf(60_000));
        assert_eq!(code(&aes(16)), "backup_damaged");
        // A number of the wrong size, a field cut short, an unknown derivation.
        let mut short = argon2(64 << 20, 10, 8);
        let at = short.windows(2).position(|w| w == [0x05, 1]).unwrap();
        short[at] = 0x04;
        assert_eq!(code(&short), "backup_damaged");
        let whole = argon2(64 << 20, 10, 8);
        for cut in [10, 20, whole.len() - 3] {
            assert_eq!(code(&whole[..cut]), "backup_damaged", "{cut}");
        }
        let unknown = kdbx4(&[(0x42, "$UUID", vec![7; 16])]);
        assert_eq!(code(&unknown), "backup_damaged");
    }
}
