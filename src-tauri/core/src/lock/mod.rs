//! The app lock: what unlocks Pocket (a passcode on desktop, the phone's biometrics or its own
//! passcode on phones), when it locks (at start, after the idle time, in the background), and
//! the brake on wrong passcodes. The gate is a plain state machine; the app holds one and
//! refuses every command that would show an account, a code or a request while it is shut.

mod gate;
mod passcode;
mod stored;
mod throttle;

pub use gate::{Gate, Moment};
pub use passcode::{PasscodeVerifier, check_new_passcode};
pub use stored::{passcode_verifier, set_passcode_verifier, set_unlock_attempts, unlock_attempts};
pub use throttle::{Attempts, wait_after};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::vault::SharedVault;

/// What unlocks Pocket: nothing, the Pocket passcode (desktop), or the phone's own check
/// (biometrics, with the phone's passcode as the fallback).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LockMethod {
    Off,
    Passcode,
    Device,
}

/// Checks `passcode` against the stored verifier, under the brake: while a wait from earlier
/// wrong tries runs, nothing is checked. Every try is counted in the keychain as wrong before
/// it is checked (and the count cleared when it was right), so neither tries made at once
/// nor ending the app get a try for free. The Argon2id work runs with the vault's lock
/// released.
pub fn try_passcode(vault: &SharedVault, passcode: &str, now_unix: u64) -> Result<()> {
    let verifier = {
        let mut vault = crate::vault::exclusive(vault);
        let verifier = passcode_verifier(&vault)?.ok_or(Error::NoPasscode)?;
        let mut attempts = unlock_attempts(&vault)?;
        // A last wrong try "in the future" (the clock was set back) would make the wait
        // endless: it counts from now instead.
        if attempts.last_failure_at > now_unix {
            attempts.last_failure_at = now_unix;
            set_unlock_attempts(&mut vault, &attempts)?;
        }
        let wait = attempts.wait_at(now_unix);
        if wait > 0 {
            return Err(Error::UnlockThrottled { wait_seconds: wait });
        }
        // Counted as wrong before it is checked: tries made at once all count, and ending
        // the app in the middle of the check does not save one.
        set_unlock_attempts(&mut vault, &attempts.failed(now_unix))?;
        verifier
    };
    if verifier.matches(passcode)? {
        set_unlock_attempts(&mut crate::vault::exclusive(vault), &Attempts::default())?;
        return Ok(());
    }
    Err(Error::WrongPasscode)
}

/// Sets a new passcode (after the rules' check) in place of any earlier one.
pub fn set_passcode(vault: &SharedVault, passcode: &str) -> Result<()> {
    check_new_passcode(passcode)?;
    let verifier = PasscodeVerifier::new(passcode)?;
    let mut vault = crate::vault::exclusive(vault);
    set_passcode_verifier(&mut vault, Some(&verifier))?;
    set_unlock_attempts(&mut vault, &Attempts::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::{MemoryStore, Vault};
    use std::sync::{Arc, Mutex};

    fn vault_in(dir: &std::path::Path, store: Arc<MemoryStore>) -> SharedVault {
        let vault = Vault::open(&dir.join("pocket.sqlite"), Box::new(store)).unwrap();
        Arc::new(Mutex::new(vault))
    }

    #[test]
    fn wrong_passcodes_are_braked_and_the_count_outlives_the_app() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(MemoryStore::default());
        let vault = vault_in(dir.path(), store.clone());
        set_passcode(&vault, "correct horse").unwrap();
        let start = 1_800_000_000;
        for _ in 0..throttle::FREE_TRIES {
            assert!(matches!(
                try_passcode(&vault, "wrong guess", start),
                Err(Error::WrongPasscode)
            ));
        }
        // The next wrong try is still checked, and sets the first wait.
        assert!(matches!(
            try_passcode(&vault, "wrong guess", start),
            Err(Error::WrongPasscode)
        ));
        let first_wait = wait_after(throttle::FREE_TRIES + 1);
        assert!(first_wait > 0);

        // A restart: the same keychain, a new vault. The right passcode waits too.
        drop(vault);
        let vault = vault_in(dir.path(), store.clone());
        match try_passcode(&vault, "correct horse", start + 1) {
            Err(Error::UnlockThrottled { wait_seconds }) => {
                assert_eq!(wait_seconds, first_wait - 1)
            }
            other => panic!("not braked: {other:?}"),
        }
        // Once the wait is over the right passcode opens, and the count starts again.
        try_passcode(&vault, "correct horse", start + first_wait).unwrap();
        let attempts = unlock_attempts(&crate::vault::exclusive(&vault)).unwrap();
        assert_eq!(attempts, Attempts::default());
    }

    #[test]
    fn tries_made_at_once_all_count() {
        let dir = tempfile::tempdir().unwrap();
        let vault = vault_in(dir.path(), Arc::default());
        set_passcode(&vault, "correct horse").unwrap();
        let now = 1_800_000_000;
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let vault = vault.clone();
                std::thread::spawn(move || try_passcode(&vault, "wrong guess", now))
            })
            .collect();
        let answers: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        let checked = answers
            .iter()
            .filter(|a| matches!(a, Err(Error::WrongPasscode)))
            .count();
        // Three free tries and the one that sets the first wait; the rest wait.
        assert_eq!(checked, throttle::FREE_TRIES as usize + 1, "{answers:?}");
        let attempts = unlock_attempts(&crate::vault::exclusive(&vault)).unwrap();
        assert_eq!(attempts.failures, throttle::FREE_TRIES + 1);
    }

    #[test]
    fn a_clock_set_back_after_wrong_tries_does_not_lock_out_for_ever() {
        let dir = tempfile::tempdir().unwrap();
        let vault = vault_in(dir.path(), Arc::default());
        set_passcode(&vault, "correct horse").unwrap();
        let later = 1_900_000_000;
        for _ in 0..=throttle::FREE_TRIES {
            let _ = try_passcode(&vault, "wrong guess", later);
        }
        // The clock goes back a year: one full wait from now, then the passcode opens.
        let now = later - 365 * 24 * 3600;
        assert!(matches!(
            try_passcode(&vault, "correct horse", now),
            Err(Error::UnlockThrottled { .. })
        ));
        try_passcode(
            &vault,
            "correct horse",
            now + wait_after(throttle::FREE_TRIES + 1),
        )
        .unwrap();
    }

    #[test]
    fn without_a_passcode_nothing_unlocks_and_a_short_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let vault = vault_in(dir.path(), Arc::default());
        assert!(matches!(
            try_passcode(&vault, "anything", 0),
            Err(Error::NoPasscode)
        ));
        assert!(matches!(
            set_passcode(&vault, "12345"),
            Err(Error::PasscodeTooShort)
        ));
        assert!(
            passcode_verifier(&crate::vault::exclusive(&vault))
                .unwrap()
                .is_none()
        );
    }
}
