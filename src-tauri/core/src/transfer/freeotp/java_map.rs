//! The one shape of Java object serialisation FreeOTP 2's backup uses: a `java.util.HashMap`
//! of strings to strings. This is a reader of that shape only, never a general deserialiser:
//! any other class, any object that is not a string, any byte out of place ends the read.
//!
//! The stream: magic and version, a new object of a new class description (the class name,
//! its serialVersionUID, flags, its primitive fields), the fields' values, then the map's
//! own block of data (its capacity and size) and `size` key/value pairs, each a string, a
//! long string or a back reference to a string read earlier. Android before 7 wrote the
//! class with one field (`loadFactor`), later ones with two (`threshold` too): the fields are
//! read from the description rather than assumed.

use std::collections::BTreeMap;

use zeroize::{Zeroize, Zeroizing};

use super::super::MAX_BACKUP_BYTES;
use super::super::crypto::damaged;
use crate::error::Result;

const MAGIC: [u8; 4] = [0xAC, 0xED, 0x00, 0x05];
const TC_NULL: u8 = 0x70;
const TC_REFERENCE: u8 = 0x71;
const TC_CLASSDESC: u8 = 0x72;
const TC_OBJECT: u8 = 0x73;
const TC_STRING: u8 = 0x74;
const TC_BLOCKDATA: u8 = 0x77;
const TC_ENDBLOCKDATA: u8 = 0x78;
const TC_LONGSTRING: u8 = 0x7C;
/// Handles are numbered from here in the order objects appear.
const BASE_HANDLE: u32 = 0x7E_0000;
const HASH_MAP: &[u8] = b"java.util.HashMap";
/// `java.util.HashMap`'s serialVersionUID, the same on every Java and Android.
const HASH_MAP_UID: [u8; 8] = [0x05, 0x07, 0xDA, 0xC1, 0xC3, 0x16, 0x60, 0xD1];
/// A backup of a few hundred tokens holds some thousand strings; far more is not FreeOTP's.
const MAX_ENTRIES: usize = 100_000;

/// Whether `file` starts as a serialised `HashMap`: cheap, and enough to tell it apart.
pub(crate) fn looks_like_map(file: &[u8]) -> bool {
    let mut start = MAGIC.to_vec();
    start.extend_from_slice(&[TC_OBJECT, TC_CLASSDESC, 0, HASH_MAP.len() as u8]);
    start.extend_from_slice(HASH_MAP);
    file.starts_with(&start)
}

/// The map's strings, wiped when dropped (some hold key material).
pub(crate) struct StringMap(pub BTreeMap<String, Zeroizing<String>>);

impl Drop for StringMap {
    fn drop(&mut self) {
        // The values wipe themselves; the keys are token ids and the names of settings.
        let map = std::mem::take(&mut self.0);
        for (mut key, _) in map {
            key.zeroize();
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    /// The text the map holds so far, references counted at full length: a back reference
    /// costs five bytes of file and a copy of what it names.
    text_bytes: usize,
    /// The strings read so far by handle (the class description and the map take the first
    /// two handles and are not strings).
    strings: Vec<Option<Zeroizing<String>>>,
}

fn cut_short() -> crate::error::Error {
    damaged("the backup is cut short")
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(n).ok_or_else(cut_short)?;
        let taken = self.bytes.get(self.at..end).ok_or_else(cut_short)?;
        self.at = end;
        Ok(taken)
    }

    fn byte(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_be_bytes([self.byte()?, self.byte()?]))
    }

    fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn expect(&mut self, expected: &[u8], what: &str) -> Result<()> {
        if self.take(expected.len())? != expected {
            return Err(damaged(format!("{what} is not FreeOTP's")));
        }
        Ok(())
    }

    /// The class description: `java.util.HashMap`, primitive fields only, no superclass to
    /// speak of. Returns how many bytes the fields' values take.
    fn class_description(&mut self) -> Result<usize> {
        self.expect(&[TC_CLASSDESC, 0, HASH_MAP.len() as u8], "the stored class")?;
        self.expect(HASH_MAP, "the stored class")?;
        self.expect(&HASH_MAP_UID, "the stored class's version")?;
        self.strings.push(None);
        let _flags = self.byte()?;
        let fields = self.u16()?;
        let mut value_bytes = 0usize;
        for _ in 0..fields {
            let size = match self.byte()? {
                b'B' | b'Z' => 1,
                b'C' | b'S' => 2,
                b'F' | b'I' => 4,
                b'D' | b'J' => 8,
                _ => return Err(damaged("the stored map has a field that is not a number")),
            };
            let name_length = usize::from(self.u16()?);
            self.take(name_length)?;
            value_bytes += size;
        }
        // No class annotations, and no serialisable superclass.
        self.expect(&[TC_ENDBLOCKDATA, TC_NULL], "the stored class")?;
        Ok(value_bytes)
    }

    fn string(&mut self) -> Result<Zeroizing<String>> {
        let length = match self.byte()? {
            TC_STRING => usize::from(self.u16()?),
            TC_LONGSTRING => {
                let b = self.take(8)?;
                let length = u64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
                usize::try_from(length).map_err(|_| cut_short())?
            }
            TC_REFERENCE => {
                let handle = self.u32()?;
                let index = handle.checked_sub(BASE_HANDLE).map(|i| i as usize);
                let named = index
                    .and_then(|i| self.strings.get(i))
                    .and_then(|s| s.clone())
                    .ok_or_else(|| damaged("the backup refers to something it does not hold"))?;
                self.count(named.len())?;
                return Ok(named);
            }
            _ => return Err(damaged("the backup holds something other than text")),
        };
        let text = modified_utf8(self.take(length)?)?;
        self.count(text.len())?;
        self.strings.push(Some(text.clone()));
        Ok(text)
    }

    fn count(&mut self, length: usize) -> Result<()> {
        self.text_bytes = self.text_bytes.saturating_add(length);
        if self.text_bytes > MAX_BACKUP_BYTES {
            return Err(damaged("the backup holds more text than any backup does"));
        }
        Ok(())
    }
}

/// Java's "modified UTF-8": UTF-8 of UTF-16 code units, each at most three bytes (a NUL is
/// two bytes, characters past U+FFFF are their two surrogates).
fn modified_utf8(bytes: &[u8]) -> Result<Zeroizing<String>> {
    let bad = || damaged("the backup holds text that is not valid");
    let mut units: Zeroizing<Vec<u16>> = Zeroizing::new(Vec::with_capacity(bytes.len()));
    let mut i = 0;
    let continuation = |at: usize| {
        bytes
            .get(at)
            .filter(|b| *b & 0xC0 == 0x80)
            .map(|b| u16::from(b & 0x3F))
    };
    while i < bytes.len() {
        let first = bytes[i];
        let (unit, width) = match first {
            0x01..=0x7F => (u16::from(first), 1),
            0xC0..=0xDF => {
                let second = continuation(i + 1).ok_or_else(bad)?;
                ((u16::from(first & 0x1F) << 6) | second, 2)
            }
            0xE0..=0xEF => {
                let second = continuation(i + 1).ok_or_else(bad)?;
                let third = continuation(i + 2).ok_or_else(bad)?;
                ((u16::from(first & 0x0F) << 12) | (second << 6) | third, 3)
            }
            _ => return Err(bad()),
        };
        units.push(unit);
        i += width;
    }
    String::from_utf16(&units)
        .map(Zeroizing::new)
        .map_err(|_| bad())
}

/// Reads a serialised `HashMap<String, String>`.
pub(crate) fn read_string_map(bytes: &[u8]) -> Result<StringMap> {
    let mut reader = Reader {
        bytes,
        at: 0,
        text_bytes: 0,
        strings: Vec::new(),
    };
    reader.expect(&MAGIC, "the file's header")?;
    reader.expect(&[TC_OBJECT], "the stored object")?;
    let value_bytes = reader.class_description()?;
    // The map itself takes the next handle.
    reader.strings.push(None);
    reader.take(value_bytes)?;
    // The map's own data: its capacity and its size.
    reader.expect(&[TC_BLOCKDATA, 8], "the stored map")?;
    let _capacity = reader.u32()?;
    let size = reader.u32()? as usize;
    if size > MAX_ENTRIES {
        return Err(damaged(
            "the backup says it holds more than any backup does",
        ));
    }
    let mut map = StringMap(BTreeMap::new());
    for _ in 0..size {
        let key = reader.string()?;
        let value = reader.string()?;
        map.0.insert(key.as_str().to_owned(), value);
    }
    reader.expect(&[TC_ENDBLOCKDATA], "the end of the stored map")?;
    if reader.at != bytes.len() {
        return Err(damaged("the backup goes on after its end"));
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A map as Android 6 (one field) writes it, by hand: two strings, then a back reference.
    fn android_6_map() -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&[TC_OBJECT, TC_CLASSDESC, 0, 17]);
        out.extend_from_slice(HASH_MAP);
        out.extend_from_slice(&HASH_MAP_UID);
        out.extend_from_slice(&[0x03, 0, 1, b'F', 0, 10]);
        out.extend_from_slice(b"loadFactor");
        out.extend_from_slice(&[TC_ENDBLOCKDATA, TC_NULL]);
        out.extend_from_slice(&0.75f32.to_be_bytes());
        out.extend_from_slice(&[TC_BLOCKDATA, 8, 0, 0, 0, 4, 0, 0, 0, 2]);
        for text in ["a", "z\u{e9}\u{1F600}\0"] {
            let encoded: Vec<u8> = text
                .encode_utf16()
                .flat_map(|unit| match unit {
                    1..=0x7F => vec![unit as u8],
                    0 | 0x80..=0x7FF => vec![0xC0 | (unit >> 6) as u8, 0x80 | (unit & 0x3F) as u8],
                    _ => vec![
                        0xE0 | (unit >> 12) as u8,
                        0x80 | ((unit >> 6) & 0x3F) as u8,
                        0x80 | (unit & 0x3F) as u8,
                    ],
                })
                .collect();
            out.push(TC_STRING);
            out.extend_from_slice(&(encoded.len() as u16).to_be_bytes());
            out.extend_from_slice(&encoded);
        }
        // Key "b", value: the string with handle 2 ("a").
        out.extend_from_slice(&[TC_STRING, 0, 1, b'b', TC_REFERENCE, 0, 0x7E, 0, 2]);
        out.push(TC_ENDBLOCKDATA);
        out
    }

    #[test]
    fn reads_one_field_maps_modified_utf8_and_back_references() {
        let bytes = android_6_map();
        assert!(looks_like_map(&bytes));
        let map = read_string_map(&bytes).unwrap();
        let pairs: Vec<(&str, &str)> = map
            .0
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(pairs, [("a", "z\u{e9}\u{1F600}\0"), ("b", "a")]);
    }

    #[test]
    fn anything_else_is_refused_with_a_reason() {
        let bytes = android_6_map();
        let refused = |bytes: &[u8]| read_string_map(bytes).err().map(|e| e.to_string());
        for cut in [3, 30, bytes.len() - 1] {
            assert_eq!(
                refused(&bytes[..cut]).as_deref(),
                Some("this file is damaged: the backup is cut short"),
                "{cut}"
            );
        }
        let mut other_class = bytes.clone();
        other_class[10] = b'X';
        assert!(refused(&other_class).unwrap().contains("stored class"));
        let mut object_value = bytes.clone();
        let at = bytes.len() - 6;
        object_value[at] = TC_OBJECT;
        assert!(refused(&object_value).unwrap().contains("other than text"));
        // A reference to the map itself, or past what was read.
        for handle in [1u8, 9] {
            let mut reference = bytes.clone();
            let last = reference.len() - 2;
            reference[last] = handle;
            assert!(refused(&reference).unwrap().contains("does not hold"));
        }
        let mut huge = bytes.clone();
        let block = bytes.windows(2).position(|w| w == [TC_BLOCKDATA, 8]);
        let size_at = block.unwrap() + 6;
        huge[size_at..size_at + 4].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(refused(&huge).unwrap().contains("more than any backup"));
        let mut trailing = bytes.clone();
        trailing.push(0);
        assert!(refused(&trailing).unwrap().contains("after its end"));
        // A long string named again and again by reference: refused once the copies would
        // pass what any backup holds.
        let mut copies = bytes[..bytes.len() - 10].to_vec();
        let size_at = copies
            .windows(2)
            .position(|w| w == [TC_BLOCKDATA, 8])
            .unwrap()
            + 6;
        copies[size_at..size_at + 4].copy_from_slice(&20_004u32.to_be_bytes());
        // "b" (handle 4) → "a"; "c" (handle 5) → 4,000 bytes of "x" (handle 6).
        copies.extend_from_slice(&[TC_STRING, 0, 1, b'b', TC_REFERENCE, 0, 0x7E, 0, 2]);
        copies.extend_from_slice(&[TC_STRING, 0, 1, b'c', TC_LONGSTRING]);
        copies.extend_from_slice(&4_000u64.to_be_bytes());
        copies.extend_from_slice(&[b'x'; 4_000]);
        for n in 0..20_000u32 {
            let key = format!("{n:05}");
            copies.extend_from_slice(&[TC_STRING, 0, 5]);
            copies.extend_from_slice(key.as_bytes());
            // The handle of the 4,000-byte string "x…".
            copies.extend_from_slice(&[TC_REFERENCE, 0, 0x7E, 0, 6]);
        }
        copies.push(TC_ENDBLOCKDATA);
        assert!(
            refused(&copies)
                .unwrap()
                .contains("more text than any backup")
        );
        // A lone surrogate or a four-byte sequence is not modified UTF-8.
        assert!(modified_utf8(&[0xED, 0xA0, 0x80]).is_err());
        assert!(modified_utf8("😀".as_bytes()).is_err());
    }
}
