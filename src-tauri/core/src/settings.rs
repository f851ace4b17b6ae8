//! The user's settings, typed, over the vault's settings table: language, theme, the app
//! lock's choices, privacy, and the clock check. What is not stored reads as its default.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::lock::LockMethod;
use crate::push::UnlockDemand;
use crate::vault::Vault;

/// The idle times the user may pick, in seconds; 0 is "never".
pub const IDLE_CHOICES: &[u32] = &[0, 30, 60, 120, 300, 900];
const DEFAULT_IDLE_SECONDS: u32 = 60;
pub const DEFAULT_NTP_SERVER: &str = "pool.ntp.org";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    System,
    En,
    Nl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    System,
    Light,
    Dark,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub language: Language,
    pub theme: Theme,
    pub lock: LockMethod,
    /// Seconds without activity before Pocket locks; 0 is never.
    pub idle_lock_seconds: u32,
    /// Ask for the unlock step again before every Accept.
    pub confirm_approvals: bool,
    /// Codes show as dots until tapped.
    pub hide_codes: bool,
    /// Ask `ntp_server` for the time too, not only the push and container servers.
    pub ntp_check: bool,
    pub ntp_server: String,
    /// Codes follow the measured time instead of this device's clock.
    pub use_measured_time: bool,
    /// Pocket offered a lock once (after the first account): it does not ask again.
    pub lock_offered: bool,
}

/// A change from the Settings screen: what is given changes. The lock method changes only
/// through the lock's own steps, which check the user first.
#[derive(Debug, Clone, Default)]
pub struct SettingsChange {
    pub language: Option<Language>,
    pub theme: Option<Theme>,
    pub idle_lock_seconds: Option<u32>,
    pub confirm_approvals: Option<bool>,
    pub hide_codes: Option<bool>,
    pub ntp_check: Option<bool>,
    pub ntp_server: Option<String>,
    pub use_measured_time: Option<bool>,
    pub lock_offered: Option<bool>,
}

const LANGUAGE: &str = "ui.language";
const THEME: &str = "ui.theme";
const LOCK: &str = "lock.method";
const IDLE: &str = "lock.idle_seconds";
const CONFIRM: &str = "lock.confirm_approvals";
const HIDE_CODES: &str = "privacy.hide_codes";
const NTP_CHECK: &str = "clock.ntp_check";
const NTP_SERVER: &str = "clock.ntp_server";
const MEASURED_TIME: &str = "clock.use_measured_time";
const LOCK_OFFERED: &str = "lock.offered";

fn read_enum<T: for<'de> Deserialize<'de>>(vault: &Vault, key: &str) -> Result<Option<T>> {
    Ok(vault
        .setting(key)?
        .and_then(|v| serde_json::from_value(serde_json::Value::String(v)).ok()))
}

fn enum_text<T: Serialize>(value: T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        _ => String::new(),
    }
}

fn flag(vault: &Vault, key: &str) -> Result<Option<bool>> {
    Ok(vault.setting(key)?.map(|v| v == "1"))
}

fn set_flag(vault: &mut Vault, key: &str, on: bool) -> Result<()> {
    vault.set_setting(key, Some(if on { "1" } else { "0" }))
}

impl Settings {
    /// Whether an answer waits for the unlock step first: every Accept when the user asked
    /// for that ("Confirm every approval", with a lock set), and every Accept to a server
    /// that demands it. A decline never waits: it lets nobody in.
    pub fn answer_needs_check(&self, demand: Option<UnlockDemand>, accepting: bool) -> bool {
        let confirming = self.confirm_approvals && self.lock != LockMethod::Off;
        accepting && (confirming || demand.is_some())
    }

    pub fn read(vault: &Vault) -> Result<Settings> {
        let mut lock = read_enum(vault, LOCK)?.unwrap_or(LockMethod::Off);
        // The database is a plain file: a passcode in the keychain keeps the lock on, whatever
        // the file says.
        if lock == LockMethod::Off
            && crate::lock::passcode_verifier(vault)
                .ok()
                .flatten()
                .is_some()
        {
            lock = LockMethod::Passcode;
        }
        let idle_lock_seconds = vault
            .setting(IDLE)?
            .and_then(|v| v.parse().ok())
            .filter(|s| IDLE_CHOICES.contains(s))
            .unwrap_or(DEFAULT_IDLE_SECONDS);
        Ok(Settings {
            language: read_enum(vault, LANGUAGE)?.unwrap_or(Language::System),
            theme: read_enum(vault, THEME)?.unwrap_or(Theme::System),
            lock,
            idle_lock_seconds,
            // On by default once a lock is set; what the user chose otherwise stays.
            confirm_approvals: flag(vault, CONFIRM)?.unwrap_or(lock != LockMethod::Off),
            hide_codes: flag(vault, HIDE_CODES)?.unwrap_or(false),
            ntp_check: flag(vault, NTP_CHECK)?.unwrap_or(false),
            ntp_server: vault
                .setting(NTP_SERVER)?
                .unwrap_or_else(|| DEFAULT_NTP_SERVER.to_string()),
            use_measured_time: flag(vault, MEASURED_TIME)?.unwrap_or(false),
            lock_offered: flag(vault, LOCK_OFFERED)?.unwrap_or(false),
        })
    }

    /// The idle limit as the lock's gate takes it.
    pub fn idle_limit(&self) -> Option<std::time::Duration> {
        (self.idle_lock_seconds > 0)
            .then(|| std::time::Duration::from_secs(self.idle_lock_seconds.into()))
    }
}

/// Applies `change`, every value checked before any is written.
pub fn change(vault: &mut Vault, change: &SettingsChange) -> Result<Settings> {
    if let Some(seconds) = change.idle_lock_seconds
        && !IDLE_CHOICES.contains(&seconds)
    {
        return Err(Error::InvalidParameter {
            param: "idle_lock_seconds",
            reason: format!("{seconds} is not one of the choices"),
        });
    }
    let ntp_server = change
        .ntp_server
        .as_deref()
        .map(crate::clock::sntp::check_server_name)
        .transpose()?;
    if let Some(language) = change.language {
        vault.set_setting(LANGUAGE, Some(&enum_text(language)))?;
    }
    if let Some(theme) = change.theme {
        vault.set_setting(THEME, Some(&enum_text(theme)))?;
    }
    if let Some(seconds) = change.idle_lock_seconds {
        vault.set_setting(IDLE, Some(&seconds.to_string()))?;
    }
    for (key, value) in [
        (CONFIRM, change.confirm_approvals),
        (HIDE_CODES, change.hide_codes),
        (NTP_CHECK, change.ntp_check),
        (MEASURED_TIME, change.use_measured_time),
        (LOCK_OFFERED, change.lock_offered),
    ] {
        if let Some(on) = value {
            set_flag(vault, key, on)?;
        }
    }
    if let Some(server) = ntp_server {
        vault.set_setting(NTP_SERVER, Some(&server))?;
    }
    Settings::read(vault)
}

/// Whether `change` makes a set lock weaker: no confirmation of approvals, or a longer idle
/// time (0, never, is the longest). The user's check comes first then.
pub fn weakens(current: &Settings, change: &SettingsChange) -> bool {
    if current.lock == LockMethod::Off {
        return false;
    }
    let idle_rank = |seconds: u32| if seconds == 0 { u32::MAX } else { seconds };
    let longer_idle = change
        .idle_lock_seconds
        .is_some_and(|s| idle_rank(s) > idle_rank(current.idle_lock_seconds));
    let unconfirmed = current.confirm_approvals && change.confirm_approvals == Some(false);
    longer_idle || unconfirmed
}

/// Records which lock is set; the caller has done the lock's own step (a passcode stored, the
/// phone's check passed).
pub fn set_lock_method(vault: &mut Vault, method: LockMethod) -> Result<()> {
    vault.set_setting(LOCK, Some(&enum_text(method)))?;
    // Pocket does not offer a lock again once one was set or removed.
    set_flag(vault, LOCK_OFFERED, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::MemoryStore;

    fn vault() -> (Vault, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::open(
            &dir.path().join("pocket.sqlite"),
            Box::new(MemoryStore::default()),
        )
        .unwrap();
        (vault, dir)
    }

    #[test]
    fn accepts_wait_for_the_check_when_asked_or_demanded_and_declines_never() {
        let (vault, _dir) = vault();
        let mut settings = Settings::read(&vault).unwrap();
        assert!(!settings.answer_needs_check(None, true));
        assert!(settings.answer_needs_check(Some(UnlockDemand::Pin), true));
        assert!(!settings.answer_needs_check(Some(UnlockDemand::Any), false));
        settings.lock = LockMethod::Passcode;
        settings.confirm_approvals = true;
        assert!(settings.answer_needs_check(None, true));
        assert!(!settings.answer_needs_check(None, false));
        settings.confirm_approvals = false;
        assert!(!settings.answer_needs_check(None, true));
    }

    #[test]
    fn a_fresh_vault_has_the_defaults() {
        let (vault, _dir) = vault();
        let settings = Settings::read(&vault).unwrap();
        assert_eq!(settings.language, Language::System);
        assert_eq!(settings.theme, Theme::System);
        assert_eq!(settings.lock, LockMethod::Off);
        assert_eq!(settings.idle_lock_seconds, 60);
        assert!(!settings.confirm_approvals);
        assert!(!settings.hide_codes && !settings.ntp_check && !settings.use_measured_time);
        assert_eq!(settings.ntp_server, "pool.ntp.org");
    }

    #[test]
    fn changes_are_kept_and_a_lock_turns_confirmation_on_unless_turned_off() {
        let (mut vault, _dir) = vault();
        let changed = change(
            &mut vault,
            &SettingsChange {
                language: Some(Language::Nl),
                theme: Some(Theme::Dark),
                idle_lock_seconds: Some(300),
                hide_codes: Some(true),
                ntp_server: Some("time.example.org:1123".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(changed, Settings::read(&vault).unwrap());
        assert_eq!(changed.language, Language::Nl);
        assert_eq!(
            changed.idle_limit(),
            Some(std::time::Duration::from_secs(300))
        );
        assert_eq!(changed.ntp_server, "time.example.org:1123");

        set_lock_method(&mut vault, LockMethod::Passcode).unwrap();
        let locked = Settings::read(&vault).unwrap();
        assert!(locked.confirm_approvals && locked.lock_offered);
        let change_back = SettingsChange {
            confirm_approvals: Some(false),
            ..Default::default()
        };
        assert!(!change(&mut vault, &change_back).unwrap().confirm_approvals);
    }

    #[test]
    fn a_passcode_in_the_keychain_keeps_the_lock_on_whatever_the_database_says() {
        let (mut vault, _dir) = vault();
        let verifier = crate::lock::PasscodeVerifier::new("24681357").unwrap();
        crate::lock::set_passcode_verifier(&mut vault, Some(&verifier)).unwrap();
        set_lock_method(&mut vault, LockMethod::Passcode).unwrap();
        vault.set_setting(LOCK, Some("off")).unwrap();
        assert_eq!(Settings::read(&vault).unwrap().lock, LockMethod::Passcode);
        vault.set_setting(LOCK, Some("nonsense")).unwrap();
        assert_eq!(Settings::read(&vault).unwrap().lock, LockMethod::Passcode);
    }

    /// Whether `change` makes the lock weaker than `current` (the check comes first then).
    #[test]
    fn weakening_the_lock_is_told_apart() {
        let (vault, _dir) = vault();
        let mut current = Settings::read(&vault).unwrap();
        current.lock = LockMethod::Passcode;
        current.confirm_approvals = true;
        let change = |c: SettingsChange| weakens(&current, &c);
        assert!(change(SettingsChange {
            confirm_approvals: Some(false),
            ..Default::default()
        }));
        assert!(change(SettingsChange {
            idle_lock_seconds: Some(0),
            ..Default::default()
        }));
        assert!(change(SettingsChange {
            idle_lock_seconds: Some(300),
            ..Default::default()
        }));
        assert!(!change(SettingsChange {
            idle_lock_seconds: Some(30),
            ..Default::default()
        }));
        assert!(!change(SettingsChange {
            theme: Some(Theme::Dark),
            ..Default::default()
        }));
        current.lock = LockMethod::Off;
        assert!(!weakens(
            &current,
            &SettingsChange {
                confirm_approvals: Some(false),
                ..Default::default()
            }
        ));
    }

    #[test]
    fn a_bad_value_changes_nothing() {
        let (mut vault, _dir) = vault();
        for (bad, named) in [
            (
                SettingsChange {
                    theme: Some(Theme::Dark),
                    idle_lock_seconds: Some(7),
                    ..Default::default()
                },
                "idle_lock_seconds",
            ),
            (
                SettingsChange {
                    theme: Some(Theme::Dark),
                    ntp_server: Some("http://time.example.org/".into()),
                    ..Default::default()
                },
                "ntp_server",
            ),
        ] {
            match change(&mut vault, &bad) {
                Err(Error::InvalidParameter { param, .. }) => assert_eq!(param, named),
                other => panic!("{bad:?}: {other:?}"),
            }
            assert_eq!(Settings::read(&vault).unwrap().theme, Theme::System);
        }
    }
}
