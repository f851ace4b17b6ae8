//! The accounts every writer is given, and each writer's variant: what the app can hold, how
//! its file is named, whether it is encrypted and what the reader must say about it.

use anyhow::Result;
use pocket_core::otp::{AccountDraft, Algorithm, OtpKind, OtpParams, SecretKey};
use pocket_tests::tools::run_peer;
use serde_json::{Value, json};

use super::PASSWORD;

/// One account as the writer takes it, and as Pocket must read it.
pub(super) struct Account {
    pub(super) issuer: &'static str,
    pub(super) name: &'static str,
    pub(super) secret: &'static str,
    pub(super) kind: OtpKind,
    pub(super) algorithm: Algorithm,
    pub(super) digits: u8,
}

pub(super) const ACCOUNTS: &[Account] = &[
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
    pub(super) fn as_json(&self) -> Value {
        let (kind, period, counter) = match self.kind {
            OtpKind::Totp { period } => ("totp", period, 0),
            OtpKind::Hotp { counter } => ("hotp", 30, counter),
            OtpKind::Steam => ("steam", 30, 0),
        };
        json!({"issuer": self.issuer, "name": self.name, "secret": self.secret, "type": kind,
               "algorithm": self.algorithm.as_str(), "digits": self.digits, "period": period,
               "counter": counter})
    }

    pub(super) fn draft(&self) -> Result<AccountDraft> {
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
pub(super) struct Variant {
    pub(super) writer: &'static str,
    /// The name `identify` gives it.
    pub(super) format: &'static str,
    pub(super) encrypted: bool,
    /// The file names its own key-derivation settings (a hostile one can name any).
    pub(super) settings_in_file: bool,
    /// The app has no counter-based accounts.
    pub(super) without_hotp: bool,
    /// The format has time-based accounts only (2FAS before schema 3 had no type field).
    pub(super) totp_only: bool,
    /// The format has SHA-1 only: the accounts are written and read with it.
    sha1_only: bool,
    /// The format names no settings: only accounts with the defaults (SHA-1, 6, 30 s).
    pub(super) defaults_only: bool,
    /// The format holds Steam accounts only.
    pub(super) steam_only: bool,
    /// The app has no Steam accounts.
    pub(super) without_steam: bool,
    /// The app names no settings but a counter: SHA-1, 6 digits, 30 s or counter-based.
    pub(super) defaults_and_counters: bool,
    /// The app keeps one name an account, the service's.
    pub(super) issuer_only: bool,
    /// The writer adds a deleted account ("Old site (old)"), which stays behind.
    pub(super) with_trash: bool,
    /// The file keeps no order: Pocket brings the accounts in by name.
    pub(super) unordered: bool,
    /// The whole file is one unauthenticated ciphertext: a copy cut short at a block's end
    /// cannot be told from a wrong password.
    pub(super) cut_is_wrong_password: bool,
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

pub(super) const VARIANTS: &[Variant] = &[
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
    pub(super) fn accounts(&self) -> Vec<&'static Account> {
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
    pub(super) fn as_written(&self, account: &Account) -> Account {
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

    pub(super) fn what(&self) -> String {
        format!(
            "{} ({})",
            self.writer,
            if self.encrypted { "encrypted" } else { "plain" }
        )
    }

    pub(super) fn write(&self, hostile: bool) -> Result<Vec<u8>> {
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
