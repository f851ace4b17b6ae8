//! Damaged binary exports, byte by byte: FreeOTP 2's serialised map, a KeePass database, an
//! OpenPGP message and the zip exports.

use super::*;

const PROTON_PASS: &str = OTHER_APPS[OTHER_APPS.len() - 6];
const MA_FILE: &str = OTHER_APPS[OTHER_APPS.len() - 7];

/// xorshift's bytes, damaging a binary export: flipped, cut, inserted and lengthened bytes.
fn damage(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(5) {
            0 if at < bytes.len() => bytes[at] = rng.next() as u8,
            1 => bytes.truncate(at),
            2 => bytes.insert(at, rng.next() as u8),
            3 if at < bytes.len() => bytes[at] = [0x00, 0x7f, 0x80, 0xff][rng.below(4)],
            _ => bytes
                .splice(at..at, [0xff, 0xff, 0xff, 0x7f])
                .for_each(drop),
        }
    }
    bytes
}

/// A zip of `files`, deflated, as the zip exports travel.
fn zipped(files: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in files {
        archive
            .start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        archive.write_all(text.as_bytes()).unwrap();
    }
    archive.finish().unwrap().into_inner()
}

/// The binary exports: FreeOTP 2's serialised map, a KeePass 3.1 database and an OpenPGP
/// message (each with its key derivation cut to the least), and the zip exports.
fn binary_exports() -> Vec<Vec<u8>> {
    vec![
        include_bytes!("../fixtures/imports/freeotp-2-cheap.bin").to_vec(),
        include_bytes!("../fixtures/imports/keepass-3-cheap.kdbx").to_vec(),
        // GnuPG's password encryption of a link, its S2K count at the least.
        include_bytes!("../fixtures/imports/openpgp-cheap.pgp").to_vec(),
        zipped(&[("Proton Pass/data.json", PROTON_PASS)]),
        zipped(&[
            (
                "maFiles/manifest.json",
                r#"{"encrypted":false,"entries":[{"filename":"1.maFile","steamid":1}]}"#,
            ),
            ("maFiles/1.maFile", MA_FILE),
        ]),
        zipped(&[(
            "Accounts.txt",
            "otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP\n",
        )]),
    ]
}

#[test]
fn binary_exports_never_panic() {
    let seeds = binary_exports();
    // Each seed reads as it is: damage, not a broken seed, makes the failures.
    for seed in &seeds {
        let read = read_backup(seed, Some("password"));
        assert!(read.is_ok(), "{:?}", read.err());
    }
    let share = hammer_any(
        "read_backup",
        INPUTS_PER_PARSER / 100,
        |rng| {
            let seed = rng.pick(&seeds);
            damage(rng, seed)
        },
        |input| read_backup(input, Some("password")).is_ok(),
    );
    // Most damage to an authenticated file is caught; some (in a zip's slack, a KeePass
    // header's unused field) is harmless.
    assert!(share > 0.0 && share < 0.5, "a share of {share} accepted");
}
