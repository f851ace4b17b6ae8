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
}

const fn variant(writer: &'static str, format: &'static str, encrypted: bool) -> Variant {
    Variant {
        writer,
        format,
        encrypted,
        settings_in_file: false,
        without_hotp: false,
        totp_only: false,
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
];

impl Variant {
    fn accounts(&self) -> Vec<&'static Account> {
        ACCOUNTS
            .iter()
            .filter(|a| !(self.without_hotp && matches!(a.kind, OtpKind::Hotp { .. })))
            .filter(|a| !self.totp_only || matches!(a.kind, OtpKind::Totp { .. }))
            .collect()
    }

    fn what(&self) -> String {
        format!(
            "{} ({})",
            self.writer,
            if self.encrypted { "encrypted" } else { "plain" }
        )
    }

    fn write(&self, hostile: bool) -> Result<Vec<u8>> {
        let accounts: Vec<Value> = self.accounts().iter().map(|a| a.as_json()).collect();
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
        ensure!(
            imported.skipped.is_empty(),
            "{what}: {:?}",
            imported.skipped
        );
        let expected = variant
            .accounts()
            .iter()
            .map(|a| a.draft())
            .collect::<Result<Vec<_>>>()?;
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
        ensure!(damaged == "backup_damaged", "{what} cut short: {damaged}");

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
        ensure!(
            damaged == "backup_damaged",
            "{} cut short: {damaged}",
            variant.what()
        );
    }
    Ok(())
}
