//! Every app Pocket imports from, against an independent writer of that app's format
//! (tests/peers/export_as.py: Python, pyca/cryptography and libsodium, written from each
//! app's published format): every variant, plain and encrypted, reads back to exactly the
//! accounts written, and each encrypted one answers a missing or wrong password, a copy cut
//! short and, where the file names its own key-derivation settings, settings no real export
//! has, each with its own error.

use anyhow::{Context, Result, ensure};
use pocket_core::otp::{AccountDraft, Algorithm, OtpKind, OtpParams, SecretKey};
use pocket_core::transfer::{identify, read_backup};
use pocket_tests::tools::run_peer;
use serde_json::{Value, json};

const PASSWORD: &str = "pässword 1";

/// One account as the writer takes it, and as Pocket must read it.
struct Account {
    issuer: &'static str,
    name: &'static str,
    secret: &'static str,
    kind: OtpKind,
    algorithm: Algorithm,
    digits: u8,
}

const ACCOUNTS: &[Account] = &[
    Account {
        issuer: "GitHub",
        name: "alice@example.com",
        secret: "JBSWY3DPEHPK3PXP",
        kind: OtpKind::Totp { period: 30 },
        algorithm: Algorithm::Sha1,
        digits: 6,
    },
    Account {
        issuer: "Bänk Zürich",
        name: "bob",
        secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        kind: OtpKind::Totp { period: 60 },
        algorithm: Algorithm::Sha256,
        digits: 8,
    },
    Account {
        issuer: "Strong",
        name: "erin",
        secret: "MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK",
        kind: OtpKind::Totp { period: 15 },
        algorithm: Algorithm::Sha512,
        digits: 7,
    },
    Account {
        issuer: "Counter Co",
        name: "carol",
        secret: "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU",
        kind: OtpKind::Hotp { counter: 42 },
        algorithm: Algorithm::Sha1,
        digits: 6,
    },
    Account {
        issuer: "Mail Host",
        name: "zoë@example.org",
        secret: "OBQXG43XN5ZGIIDPNZSSA2LTEBWG63THMVZA",
        kind: OtpKind::Totp { period: 30 },
        algorithm: Algorithm::Sha1,
        digits: 6,
    },
    Account {
        issuer: "Steam",
        name: "dave",
        secret: "ONSWG4TFOQYTEMZU",
        kind: OtpKind::Steam,
        algorithm: Algorithm::Sha1,
        digits: 5,
    },
];

impl Account {
    fn as_json(&self) -> Value {
        let (kind, period, counter) = match self.kind {
            OtpKind::Totp { period } => ("totp", period, 0),
            OtpKind::Hotp { counter } => ("hotp", 30, counter),
            OtpKind::Steam => ("steam", 30, 0),
        };
        json!({"issuer": self.issuer, "name": self.name, "secret": self.secret, "type": kind,
               "algorithm": self.algorithm.as_str(), "digits": self.digits, "period": period,
               "counter": counter})
    }

    fn draft(&self) -> Result<AccountDraft> {
        Ok(AccountDraft::new(
            self.issuer,
            self.name,
            SecretKey::from_base32(self.secret)?,
            OtpParams {
                kind: self.kind,
                algorithm: self.algorithm,
                digits: self.digits,
            },
        )?)
    }
}

/// One variant of one app's export.
struct Variant {
    writer: &'static str,
    /// The name `identify` gives it.
    format: &'static str,
    encrypted: bool,
    /// The file names its own key-derivation settings (a hostile one can name any).
    settings_in_file: bool,
    /// The app has no counter-based accounts.
    without_hotp: bool,
    /// The format has time-based accounts only (2FAS before schema 3 had no type field).
    totp_only: bool,
    /// The format has SHA-1 only: the accounts are written and read with it.
    sha1_only: bool,
    /// The format names no settings: only accounts with the defaults (SHA-1, 6, 30 s).
    defaults_only: bool,
    /// The format holds Steam accounts only.
    steam_only: bool,
    /// The app has no Steam accounts.
    without_steam: bool,
    /// The app names no settings but a counter: SHA-1, 6 digits, 30 s or counter-based.
    defaults_and_counters: bool,
    /// The app keeps one name an account, the service's.
    issuer_only: bool,
    /// The writer adds a deleted account ("Old site (old)"), which stays behind.
    with_trash: bool,
    /// The file keeps no order: Pocket brings the accounts in by name.
    unordered: bool,
    /// The whole file is one unauthenticated ciphertext: a copy cut short at a block's end
    /// cannot be told from a wrong password.
    cut_is_wrong_password: bool,
}

const fn variant(writer: &'static str, format: &'static str, encrypted: bool) -> Variant {
    Variant {
        writer,
        format,
        encrypted,
        settings_in_file: false,
        without_hotp: false,
        totp_only: false,
        sha1_only: false,
        defaults_only: false,
        steam_only: false,
        without_steam: false,
        defaults_and_counters: false,
        issuer_only: false,
        with_trash: false,
        unordered: false,
        cut_is_wrong_password: false,
    }
}

const VARIANTS: &[Variant] = &[
    variant("2fas", "2fas", false),
    variant("2fas", "2fas", true),
    Variant {
        totp_only: true,
        ..variant("2fas-v2", "2fas", false)
    },
    variant("2fas-v3", "2fas", false),
    variant("2fas-v3", "2fas", true),
    variant("andotp", "andotp", false),
    Variant {
        settings_in_file: true,
        ..variant("andotp", "andotp", true)
    },
    variant("bitwarden", "bitwarden", false),
    Variant {
        settings_in_file: true,
        ..variant("bitwarden", "bitwarden", true)
    },
    Variant {
        settings_in_file: true,
        ..variant("bitwarden-argon2", "bitwarden", true)
    },
    variant("bitwarden-csv", "bitwarden_csv", false),
    variant("ente", "ente_text", false),
    Variant {
        settings_in_file: true,
        ..variant("ente", "ente", true)
    },
    Variant {
        without_hotp: true,
        ..variant("proton", "proton", false)
    },
    Variant {
        without_hotp: true,
        ..variant("proton", "proton", true)
    },
    variant("freeotp-plus", "freeotp_plus", false),
    variant("authenticator-pro", "authenticator_pro", false),
    variant("authenticator-pro", "authenticator_pro", true),
    variant("authenticator-pro-legacy", "authenticator_pro", true),
    variant("authenticator-pro-legacy-2020", "authenticator_pro", true),
    // The second wave.
    variant("freeotp-1", "freeotp_1", false),
    Variant {
        settings_in_file: true,
        unordered: true,
        ..variant("freeotp-2", "freeotp", true)
    },
    Variant {
        settings_in_file: true,
        unordered: true,
        ..variant("freeotp-2-android-6", "freeotp", true)
    },
    Variant {
        totp_only: true,
        ..variant("lastpass", "lastpass", false)
    },
    Variant {
        totp_only: true,
        ..variant("lastpass-ios", "lastpass", false)
    },
    Variant {
        steam_only: true,
        ..variant("steam-mafile", "steam", false)
    },
    Variant {
        steam_only: true,
        ..variant("steam-folder", "steam", false)
    },
    Variant {
        steam_only: true,
        ..variant("steam-folder", "steam", true)
    },
    Variant {
        totp_only: true,
        with_trash: true,
        ..variant("proton-pass", "proton_pass", false)
    },
    Variant {
        totp_only: true,
        sha1_only: true,
        cut_is_wrong_password: true,
        ..variant("totp-authenticator", "totp_authenticator", false)
    },
    Variant {
        totp_only: true,
        sha1_only: true,
        cut_is_wrong_password: true,
        ..variant("totp-authenticator", "totp_authenticator", true)
    },
    variant("authenticator-plus", "authenticator_plus", true),
    variant("authenticator-plus-aes", "authenticator_plus", true),
    Variant {
        cut_is_wrong_password: true,
        ..variant("andotp-old", "andotp", true)
    },
    Variant {
        defaults_only: true,
        ..variant("2fas-v1", "2fas", false)
    },
    Variant {
        totp_only: true,
        with_trash: true,
        ..variant("proton-pass-pgp", "proton_pass", true)
    },
    Variant {
        totp_only: true,
        with_trash: true,
        cut_is_wrong_password: true,
        ..variant("proton-pass-pgp-old", "openpgp", true)
    },
    Variant {
        without_steam: true,
        ..variant("raivo", "raivo", false)
    },
    Variant {
        without_steam: true,
        ..variant("raivo", "raivo", true)
    },
    Variant {
        defaults_and_counters: true,
        issuer_only: true,
        ..variant("duo", "duo", false)
    },
    Variant {
        settings_in_file: true,
        with_trash: true,
        ..variant("keepass", "keepass", true)
    },
    Variant {
        settings_in_file: true,
        with_trash: true,
        ..variant("keepass-argon2id", "keepass", true)
    },
    Variant {
        settings_in_file: true,
        with_trash: true,
        ..variant("keepass-3", "keepass", true)
    },
];

impl Variant {
    fn accounts(&self) -> Vec<&'static Account> {
        ACCOUNTS
            .iter()
            .filter(|a| !(self.without_hotp && matches!(a.kind, OtpKind::Hotp { .. })))
            .filter(|a| !self.totp_only || matches!(a.kind, OtpKind::Totp { .. }))
            .filter(|a| !self.steam_only || a.kind == OtpKind::Steam)
            .filter(|a| !self.without_steam || a.kind != OtpKind::Steam)
            .filter(|a| {
                !self.defaults_and_counters
                    || (a.algorithm == Algorithm::Sha1
                        && a.digits == 6
                        && matches!(a.kind, OtpKind::Totp { period: 30 } | OtpKind::Hotp { .. }))
            })
            .filter(|a| {
                !self.defaults_only
                    || (a.kind == OtpKind::Totp { period: 30 }
                        && a.algorithm == Algorithm::Sha1
                        && a.digits == 6)
            })
            .collect()
    }

    /// An account as this format holds it.
    fn as_written(&self, account: &Account) -> Account {
        Account {
            algorithm: if self.sha1_only {
                Algorithm::Sha1
            } else {
                account.algorithm
            },
            name: if self.issuer_only { "" } else { account.name },
            ..*account
        }
    }

    fn what(&self) -> String {
        format!(
            "{} ({})",
            self.writer,
            if self.encrypted { "encrypted" } else { "plain" }
        )
    }

    fn write(&self, hostile: bool) -> Result<Vec<u8>> {
        let accounts: Vec<Value> = self
            .accounts()
            .iter()
            .map(|a| self.as_written(a).as_json())
            .collect();
        let mut args = vec![self.writer];
        if self.encrypted {
            args.extend(["--password", PASSWORD]);
        }
        if hostile {
            args.push("--hostile");
        }
        run_peer(
            "export_as.py",
            &args,
            serde_json::to_string(&accounts)?.as_bytes(),
        )
    }
}

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
