//! Settings, the lock's state and the clock check as the UI shows them.

use pocket_core::clock::{ClockSample, NoCorrection, is_off};
use pocket_core::lock::LockMethod;
use pocket_core::settings::{Language, Settings, SettingsChange, Theme};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "AppSettings"))]
#[serde(rename_all = "camelCase")]
pub struct SettingsDto {
    #[cfg_attr(test, ts(type = "'system' | 'en' | 'nl'"))]
    pub language: Language,
    #[cfg_attr(test, ts(type = "'system' | 'light' | 'dark'"))]
    pub theme: Theme,
    #[cfg_attr(test, ts(type = "LockMethod"))]
    pub lock: LockMethod,
    pub idle_lock_seconds: u32,
    pub idle_choices: Vec<u32>,
    pub confirm_approvals: bool,
    pub hide_codes: bool,
    pub ntp_check: bool,
    pub ntp_server: String,
    pub use_measured_time: bool,
    pub lock_offered: bool,
    /// Which lock this build offers: the Pocket passcode on desktop, the phone's own check on
    /// phones.
    #[cfg_attr(test, ts(type = "LockMethod"))]
    pub lock_kind: LockMethod,
}

impl From<Settings> for SettingsDto {
    fn from(settings: Settings) -> SettingsDto {
        SettingsDto {
            language: settings.language,
            theme: settings.theme,
            lock: settings.lock,
            idle_lock_seconds: settings.idle_lock_seconds,
            idle_choices: pocket_core::settings::IDLE_CHOICES.to_vec(),
            confirm_approvals: settings.confirm_approvals,
            hide_codes: settings.hide_codes,
            ntp_check: settings.ntp_check,
            ntp_server: settings.ntp_server,
            use_measured_time: settings.use_measured_time,
            lock_offered: settings.lock_offered,
            lock_kind: crate::platform::LOCK_KIND,
        }
    }
}

/// A change from the Settings screen, as the UI sends it: what is given changes.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SettingsChange"))]
#[serde(rename_all = "camelCase")]
pub struct SettingsChangeInput {
    #[cfg_attr(test, ts(optional, type = "'system' | 'en' | 'nl'"))]
    language: Option<Language>,
    #[cfg_attr(test, ts(optional, type = "'system' | 'light' | 'dark'"))]
    theme: Option<Theme>,
    #[cfg_attr(test, ts(optional))]
    idle_lock_seconds: Option<u32>,
    #[cfg_attr(test, ts(optional))]
    confirm_approvals: Option<bool>,
    #[cfg_attr(test, ts(optional))]
    hide_codes: Option<bool>,
    #[cfg_attr(test, ts(optional))]
    ntp_check: Option<bool>,
    #[cfg_attr(test, ts(optional))]
    ntp_server: Option<String>,
    #[cfg_attr(test, ts(optional))]
    use_measured_time: Option<bool>,
    #[cfg_attr(test, ts(optional))]
    lock_offered: Option<bool>,
}

impl From<SettingsChangeInput> for SettingsChange {
    fn from(input: SettingsChangeInput) -> SettingsChange {
        SettingsChange {
            language: input.language,
            theme: input.theme,
            idle_lock_seconds: input.idle_lock_seconds,
            confirm_approvals: input.confirm_approvals,
            hide_codes: input.hide_codes,
            ntp_check: input.ntp_check,
            ntp_server: input.ntp_server,
            use_measured_time: input.use_measured_time,
            lock_offered: input.lock_offered,
        }
    }
}

/// What the lock screen needs, and nothing more: it is given out while locked.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "LockStatus"))]
#[serde(rename_all = "camelCase")]
pub struct LockStatusDto {
    pub locked: bool,
    #[cfg_attr(test, ts(type = "LockMethod"))]
    pub method: LockMethod,
    /// Seconds before another passcode is checked, after wrong ones.
    pub wait_seconds: u64,
    /// A login request came while locked.
    pub request_waiting: bool,
    #[cfg_attr(test, ts(type = "'system' | 'en' | 'nl'"))]
    pub language: Language,
    #[cfg_attr(test, ts(type = "'system' | 'light' | 'dark'"))]
    pub theme: Theme,
}

/// How far this device's clock is off, by the best measurement.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ClockStatus"))]
#[serde(rename_all = "camelCase")]
pub struct ClockStatusDto {
    /// The source's time minus this device's, in milliseconds.
    pub offset_ms: i64,
    pub uncertainty_ms: u64,
    /// A server's address, or `ntp:<host>`.
    pub source: String,
    pub measured_at_ms: u64,
    /// Off by more than servers tolerate: the home screen shows a banner.
    pub off: bool,
    /// Codes follow the measured time.
    pub corrected: bool,
    /// The user chose the measured time, but one server alone says the clock is off by more
    /// than a code period: codes move once a second source (NTP) agrees.
    pub needs_second_source: bool,
}

impl ClockStatusDto {
    /// `correction` is what the measured time does to codes, when the user chose it.
    pub fn new(
        sample: &ClockSample,
        correction: Option<Result<i64, NoCorrection>>,
    ) -> ClockStatusDto {
        ClockStatusDto {
            offset_ms: sample.offset_ms,
            uncertainty_ms: sample.uncertainty_ms,
            source: sample.source.clone(),
            measured_at_ms: sample.measured_at.saturating_mul(1000),
            off: is_off(sample),
            corrected: matches!(correction, Some(Ok(_))),
            needs_second_source: correction == Some(Err(NoCorrection::NeedsSecondSource)),
        }
    }
}

/// One bundled library and its licence, for About.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Licence"))]
pub struct LicenceDto {
    pub name: String,
    pub version: String,
    pub licence: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "About"))]
#[serde(rename_all = "camelCase")]
pub struct AboutDto {
    pub version: String,
    pub licences: Vec<LicenceDto>,
}
