//! Every app Pocket imports from, against an independent writer of that app's format
//! (tests/peers/export_as.py, export_more.py and export_vaults.py: Python, cryptography,
//! libsodium, pyzipper, pykeepass, Info-ZIP and GnuPG, written from each app's published
//! format): every variant, plain and encrypted, reads back to exactly the accounts written,
//! and each encrypted one answers a missing or wrong password, a copy cut short and, where
//! the file names its own key-derivation settings, settings no real export has, each with
//! its own error.

use anyhow::{Context, Result, ensure};
use pocket_core::transfer::{identify, read_backup};
use pocket_tests::tools::run_peer;
use serde_json::Value;

mod variants;

use variants::{ACCOUNTS, VARIANTS};

const PASSWORD: &str = "pässword 1";

fn code(result: pocket_core::Result<pocket_core::transfer::Imported>) -> String {
    match result {
        Ok(imported) => format!("read {} accounts", imported.accounts.len()),
        Err(error) => error.code().to_string(),
    }
}

#[test]
fn every_format_reads_what_an_independent_writer_wrote() -> Result<()> {
    for variant in VARIANTS {
        let what = variant.what();
        let file = variant.write(false).with_context(|| what.clone())?;
        let format = identify(&file).with_context(|| what.clone())?;
        ensure!(
            format.name() == variant.format,
            "{what} read as {}",
            format.name()
        );
        ensure!(
            format.is_encrypted(&file) == variant.encrypted,
            "{what}: encrypted?"
        );
        let password = variant.encrypted.then_some(PASSWORD);
        let imported = read_backup(&file, password).with_context(|| what.clone())?;
        let skipped: Vec<(&str, &str)> = imported
            .skipped
            .iter()
            .map(|s| (s.label.as_str(), s.reason.code()))
            .collect();
        let trash: &[(&str, &str)] = match (variant.with_trash, variant.format) {
            (true, _) => &[("Old site (old)", "in_trash")],
            (false, "duo") => &[("Work VPN", "unsupported_otp_type")],
            (false, _) => &[],
        };
        ensure!(skipped == trash, "{what}: {:?}", imported.skipped);
        let mut expected = variant
            .accounts()
            .iter()
            .map(|a| variant.as_written(a).draft())
            .collect::<Result<Vec<_>>>()?;
        if variant.unordered {
            expected.sort_by_key(|a| a.label().to_lowercase());
        }
        ensure!(
            imported.accounts == expected,
            "{what}:\n{:#?}\nvs\n{expected:#?}",
            imported.accounts
        );
    }
    Ok(())
}

#[test]
fn a_wrong_password_a_copy_cut_short_and_hostile_settings_each_say_so() -> Result<()> {
    for variant in VARIANTS.iter().filter(|v| v.encrypted) {
        let what = variant.what();
        let file = variant.write(false)?;
        let missing = code(read_backup(&file, None));
        ensure!(
            missing == "backup_password_required",
            "{what} without: {missing}"
        );
        let wrong = code(read_backup(&file, Some("pässword 2")));
        ensure!(wrong == "wrong_backup_password", "{what} wrong: {wrong}");

        // Cut short: text formats at 60 %, binary ones inside their header (in the middle
        // of an AEAD's ciphertext a cut is a failed tag, as a wrong password is).
        let binary = std::str::from_utf8(&file).is_err();
        let cut = if binary { 30 } else { file.len() * 6 / 10 };
        let damaged = code(read_backup(&file[..cut], Some(PASSWORD)));
        let expected = match variant.cut_is_wrong_password {
            true => ["backup_damaged", "wrong_backup_password"].as_slice(),
            false => &["backup_damaged"],
        };
        ensure!(
            expected.contains(&damaged.as_str()),
            "{what} cut short: {damaged}"
        );

        if variant.settings_in_file {
            let hostile = variant.write(true)?;
            let started = std::time::Instant::now();
            let refused = code(read_backup(&hostile, Some(PASSWORD)));
            ensure!(refused == "backup_too_costly", "{what} hostile: {refused}");
            ensure!(
                started.elapsed() < std::time::Duration::from_secs(1),
                "{what}: refused only after {:?}",
                started.elapsed()
            );
        }
    }
    Ok(())
}

#[test]
fn plain_copies_cut_short_are_damaged_not_unknown() -> Result<()> {
    for variant in VARIANTS
        .iter()
        .filter(|v| !v.encrypted && !matches!(v.format, "bitwarden_csv" | "ente_text"))
    {
        let file = variant.write(false)?;
        let damaged = code(read_backup(&file[..file.len() * 6 / 10], None));
        // A backup sealed with the app's default password, cut at a block's end, no longer
        // opens with it: it asks for one.
        let asks = variant.cut_is_wrong_password && damaged == "backup_password_required";
        ensure!(
            damaged == "backup_damaged" || asks,
            "{} cut short: {damaged}",
            variant.what()
        );
    }
    Ok(())
}

/// KeePass with a key file, alone or with a password, in both versions: the key file is
/// needed, and a wrong one is a wrong key.
#[test]
fn keepass_databases_open_with_their_key_file() -> Result<()> {
    let accounts: Vec<Value> = ACCOUNTS.iter().map(|a| a.as_json()).collect();
    let expected = ACCOUNTS
        .iter()
        .map(|a| a.draft())
        .collect::<Result<Vec<_>>>()?;
    let folder = tempfile::tempdir()?;
    let key_path = folder.path().join("db.keyx");
    for writer in ["keepass-key-file", "keepass-3-key-file"] {
        for password in [Some(PASSWORD), None] {
            let key_arg = key_path.to_string_lossy().into_owned();
            let mut args = vec![writer, "--key-file", &key_arg];
            if let Some(password) = password {
                args.extend(["--password", password]);
            }
            let file = run_peer(
                "export_as.py",
                &args,
                serde_json::to_string(&accounts)?.as_bytes(),
            )?;
            let key_file = std::fs::read(&key_path)?;
            let read = |password: Option<&str>, key: Option<&[u8]>| {
                let mut kdf = pocket_core::transfer::KdfBudget::default();
                pocket_core::transfer::read_keepass(&file, password, key, &mut kdf)
            };
            let what = format!("{writer} (password {password:?})");
            let imported = read(password, Some(&key_file)).with_context(|| what.clone())?;
            ensure!(
                imported.accounts == expected,
                "{what}: {:#?}",
                imported.accounts
            );
            let without_key = code(read(password, None));
            let expected_without = match password {
                Some(_) => "wrong_backup_password",
                None => "backup_password_required",
            };
            ensure!(
                without_key == expected_without,
                "{what} without its key file: {without_key}"
            );
            let mut other_key = key_file.clone();
            other_key[0] ^= 1;
            let wrong = code(read(password, Some(&other_key)));
            ensure!(
                wrong == "wrong_backup_password",
                "{what} with another key file: {wrong}"
            );
        }
    }
    Ok(())
}
