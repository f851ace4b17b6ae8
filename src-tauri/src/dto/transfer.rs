//! Files in and out: what an import found, and what the user picked.

use serde::{Deserialize, Serialize};

use super::accounts::AccountDto;
use crate::error::IpcError;

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Skipped"))]
#[serde(rename_all = "camelCase")]
pub struct SkippedDto {
    pub label: String,
    pub error: IpcError,
}

impl From<&pocket_core::otp::SkippedAccount> for SkippedDto {
    fn from(skipped: &pocket_core::otp::SkippedAccount) -> SkippedDto {
        SkippedDto {
            label: skipped.label.clone(),
            error: (&skipped.reason).into(),
        }
    }
}

impl From<pocket_core::otp::SkippedAccount> for SkippedDto {
    fn from(skipped: pocket_core::otp::SkippedAccount) -> SkippedDto {
        SkippedDto {
            label: skipped.label,
            error: skipped.reason.into(),
        }
    }
}

/// Every account of a list that was left out, and why.
pub fn skipped_list(skipped: Vec<pocket_core::otp::SkippedAccount>) -> Vec<SkippedDto> {
    skipped.into_iter().map(SkippedDto::from).collect()
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ImportReport"))]
#[serde(rename_all = "camelCase")]
pub struct ImportReportDto {
    pub added: Vec<AccountDto>,
    /// Already in Pocket: left as they are.
    pub duplicates: Vec<String>,
    pub skipped: Vec<SkippedDto>,
}

/// A file chosen for import, described for the user: nothing of its contents.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "PickedFile"))]
#[serde(rename_all = "camelCase")]
pub struct PickedFileDto {
    /// What `import_picked` takes.
    pub handle: String,
    pub name: String,
    /// "aegis", "links", …: which app's file it is.
    #[cfg_attr(test, ts(type = "string"))]
    pub format: &'static str,
    pub needs_password: bool,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum ExportFormat {
    /// An encrypted Aegis vault: for other apps and for safekeeping.
    Aegis,
    /// Plain otpauth:// links: readable by anyone who gets the file.
    Links,
}

/// What a picked file holds, shown before it is imported (a restore asks first).
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Preview"))]
#[serde(rename_all = "camelCase")]
pub struct PreviewDto {
    /// Each account's issuer and name, in the file's order.
    pub accounts: Vec<String>,
    pub skipped: Vec<SkippedDto>,
}

impl From<&pocket_core::transfer::Imported> for PreviewDto {
    fn from(imported: &pocket_core::transfer::Imported) -> PreviewDto {
        PreviewDto {
            accounts: imported
                .accounts
                .iter()
                .map(pocket_core::otp::AccountDraft::label)
                .collect(),
            skipped: imported.skipped.iter().map(SkippedDto::from).collect(),
        }
    }
}

/// Google Authenticator transfer codes, as pictures to show one after another.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "GoogleExport"))]
#[serde(rename_all = "camelCase")]
pub struct GoogleExportDto {
    /// Each code as an SVG data URL, in order.
    pub codes: Vec<String>,
    /// Accounts Google's format cannot carry, and why.
    pub skipped: Vec<SkippedDto>,
}
