//! Moving accounts in and out of Pocket: other apps' exports and backups read through one
//! small interface ([`Format`]), exports written so that only their owner can read them.
//!
//! Adding a format: a file beside these with a unit struct that implements [`Format`], listed
//! in [`FORMATS`] (most specific first), with tests against files from an independent writer.

mod aegis;
mod andotp;
mod archive;
mod authenticator_plus;
mod authenticator_pro;
mod battlenet;
mod bitwarden;
mod crypto;
mod duo;
mod ente;
mod exported;
mod freeotp;
pub mod kdf;
mod keepass;
mod lastpass;
mod openpgp;
mod proton;
mod proton_pass;
mod raivo;
mod steam;
mod totp_authenticator;
mod twofas;
mod uri_list;
mod wipe;

use std::io::Write;
use std::path::Path;

pub use aegis::{read_aegis, write_aegis};
pub use kdf::{KdfBudget, KdfCost};
pub use keepass::read_keepass;
pub use steam::{bundle_steam_folder, is_steam_manifest};
pub use uri_list::{read_uri_list, write_uri_list};

use crate::error::{Error, Result};
use crate::otp::{AccountDraft, SkippedAccount};

/// What a file held: the accounts Pocket can take, and the others with the reason.
#[derive(Debug, Default)]
pub struct Imported {
    pub accounts: Vec<AccountDraft>,
    pub skipped: Vec<SkippedAccount>,
}

/// The shortest password Pocket encrypts an export or a backup with: the file may sit on a
/// shared drive for years.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Refuses a password shorter than [`MIN_PASSWORD_CHARS`].
pub fn check_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::invalid(
            "password",
            format!("it needs {MIN_PASSWORD_CHARS} characters or more"),
        ));
    }
    Ok(())
}

/// Larger files are refused unread: an Aegis vault of 10,000 accounts with their icons stays
/// well under it.
pub const MAX_BACKUP_BYTES: usize = 64 << 20;

/// One kind of file Pocket imports.
pub trait Format: Sync {
    /// A stable name for reports and logs ("aegis", "links", …).
    fn name(&self) -> &'static str;
    /// Whether `file` is of this kind, from its content alone and cheaply: no key derivation.
    fn recognises(&self, file: &[u8]) -> bool;
    /// Whether this file of this kind needs a password to be read.
    fn is_encrypted(&self, _file: &[u8]) -> bool {
        false
    }
    /// The accounts in `file`; `password` opens an encrypted one, each key derivation paid
    /// from `kdf`.
    fn read(&self, file: &[u8], password: Option<&str>, kdf: &mut KdfBudget) -> Result<Imported>;
}

/// Every format, asked in this order: the first that recognises a file reads it. JSON
/// formats go by the keys only they have; the loosest (andOTP's binary file, CSV, link lists)
/// come last.
pub const FORMATS: &[&dyn Format] = &[
    &freeotp::FreeOtpBackup,
    &keepass::KeePass,
    &openpgp::OpenPgp,
    &proton_pass::ProtonPass,
    &authenticator_plus::AuthenticatorPlus,
    &raivo::Raivo,
    &aegis::Aegis,
    &twofas::TwoFas,
    &bitwarden::BitwardenJson,
    &ente::EnteEncrypted,
    &proton::Proton,
    &authenticator_pro::AuthenticatorPro,
    &freeotp::FreeOtpPlus,
    &lastpass::LastPass,
    &duo::Duo,
    &steam::Steam,
    &andotp::AndOtp,
    &freeotp::FreeOtpTokens,
    &battlenet::BattleNet,
    &totp_authenticator::TotpAuthenticator,
    &bitwarden::BitwardenCsv,
    &ente::EnteText,
    &uri_list::Links,
];

/// The format of `file`, told apart by content (a file's name says little).
pub fn identify(file: &[u8]) -> Result<&'static dyn Format> {
    if file.len() > MAX_BACKUP_BYTES {
        return Err(Error::BackupTooLarge);
    }
    if let Some(format) = FORMATS
        .iter()
        .copied()
        .find(|format| format.recognises(file))
    {
        return Ok(format);
    }
    // JSON that ends too soon was cut short (a download or a sync that stopped), whatever
    // it was: say so rather than that the kind of file is unknown.
    let cut_short = text(file).is_some_and(|text| {
        let start = text.trim_start();
        (start.starts_with('{') || start.starts_with('['))
            && serde_json::from_str::<serde::de::IgnoredAny>(text).is_err_and(|e| e.is_eof())
    });
    if cut_short {
        return Err(Error::BackupDamaged(
            "the file ends too soon: it was cut short".into(),
        ));
    }
    // A zip archive whose directory cannot be read (it is at the end) was cut short too.
    if archive::is_zip(file) && archive::names(file).is_none() {
        return Err(Error::BackupDamaged(
            "the zip archive is not complete: it was cut short".into(),
        ));
    }
    Err(Error::BackupFormatUnknown)
}

/// Reads a file of any known format. One call is one import: its key derivations share one
/// budget.
pub fn read_backup(file: &[u8], password: Option<&str>) -> Result<Imported> {
    read_backup_with(file, password, None)
}

/// [`read_backup`], with the key file a KeePass database may be locked with too.
pub fn read_backup_with(
    file: &[u8],
    password: Option<&str>,
    key_file: Option<&[u8]>,
) -> Result<Imported> {
    let format = identify(file)?;
    let mut kdf = KdfBudget::default();
    match key_file {
        None => format.read(file, password, &mut kdf),
        Some(key_file) if format.name() == keepass::KeePass.name() => {
            read_keepass(file, password, Some(key_file), &mut kdf)
        }
        Some(_) => Err(Error::invalid(
            "key_file",
            "only a KeePass database opens with a key file",
        )),
    }
}

/// Whether `file` is text naming each of `keys` as a JSON key. Formats are told apart this
/// way rather than by parsing: a copy cut short still shows its keys, and so reads as a
/// damaged file of its format instead of an unknown one.
pub(crate) fn names_keys(file: &[u8], keys: &[&str]) -> bool {
    text(file).is_some_and(|text| {
        let start = text.trim_start();
        (start.starts_with('{') || start.starts_with('['))
            && keys.iter().all(|key| has_key(text, key))
    })
}

/// `"key"` followed by a colon, and not inside a string (where its quotes would be escaped).
fn has_key(text: &str, key: &str) -> bool {
    let quoted = format!("\"{key}\"");
    text.match_indices(&quoted).any(|(at, _)| {
        let escaped = text[..at].ends_with('\\');
        let after = text[at + quoted.len()..].trim_start();
        !escaped && after.starts_with(':')
    })
}

/// `file` as UTF-8 text (a BOM, as some Windows tools write, is dropped).
pub(crate) fn text(file: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(file).ok()?;
    Some(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// Writes an export readable by its owner only (0600 on Unix), replacing any file there: the
/// bytes go to a new private file beside it, which then takes its place, so a failure (a
/// full disk) leaves no half-written export and no earlier file's wider permissions.
pub fn write_private(path: &Path, contents: &[u8]) -> Result<()> {
    let io = |e: std::io::Error| Error::ExportFailed(e.to_string());
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| Error::ExportFailed("no file name".into()))?;
    let temporary = dir.join(format!(
        ".{}.{}.part",
        name.to_string_lossy(),
        uuid::Uuid::new_v4().simple()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&temporary).and_then(|mut file| {
        file.write_all(contents)?;
        file.sync_all()
    });
    if let Err(error) = written.and_then(|()| std::fs::rename(&temporary, path)) {
        let _ = std::fs::remove_file(&temporary);
        return Err(io(error));
    }
    Ok(())
}

#[cfg(test)]
mod format_tests;
#[cfg(test)]
mod icon_tests;
#[cfg(test)]
mod quirk_tests;
#[cfg(test)]
mod tests;
