//! The brake on wrong passcodes: a few free tries for typos, then a wait that doubles with
//! every further wrong try, up to a quarter of an hour. The count and the moment of the last
//! wrong try are kept in the keychain beside the verifier, so a restart does not reset them.

use serde::{Deserialize, Serialize};

/// Wrong tries that cost nothing: a typo or two, or a passcode typed in the wrong field.
pub(crate) const FREE_TRIES: u32 = 3;
const FIRST_WAIT_SECONDS: u64 = 5;
const LONGEST_WAIT_SECONDS: u64 = 15 * 60;

/// The wrong tries since the last right one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempts {
    pub failures: u32,
    /// Unix seconds of the last wrong try.
    pub last_failure_at: u64,
}

/// How long the next try waits after `failures` wrong ones.
pub fn wait_after(failures: u32) -> u64 {
    if failures <= FREE_TRIES {
        return 0;
    }
    let doublings = (failures - FREE_TRIES - 1).min(16);
    (FIRST_WAIT_SECONDS << doublings).min(LONGEST_WAIT_SECONDS)
}

impl Attempts {
    /// Seconds until the next try may be checked. A clock set back before the last wrong try
    /// waits the whole time again instead of none of it.
    pub fn wait_at(&self, now_unix: u64) -> u64 {
        let wait = wait_after(self.failures);
        match now_unix.checked_sub(self.last_failure_at) {
            Some(passed) => wait.saturating_sub(passed),
            None => wait,
        }
    }

    /// The count after one more wrong try at `now_unix`.
    pub fn failed(self, now_unix: u64) -> Attempts {
        Attempts {
            failures: self.failures.saturating_add(1),
            last_failure_at: now_unix,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_after_the_free_tries_and_stops_growing() {
        let waits: Vec<u64> = (0..=10).map(wait_after).collect();
        assert_eq!(waits, [0, 0, 0, 0, 5, 10, 20, 40, 80, 160, 320]);
        assert_eq!(wait_after(12), LONGEST_WAIT_SECONDS);
        assert_eq!(wait_after(u32::MAX), LONGEST_WAIT_SECONDS);
    }

    #[test]
    fn the_wait_runs_on_the_wall_clock_and_a_clock_set_back_does_not_shorten_it() {
        let attempts = Attempts {
            failures: 5,
            last_failure_at: 1_000,
        };
        assert_eq!(attempts.wait_at(1_000), 10);
        assert_eq!(attempts.wait_at(1_004), 6);
        assert_eq!(attempts.wait_at(1_010), 0);
        assert_eq!(attempts.wait_at(900), 10);
        assert_eq!(attempts.failed(2_000).failures, 6);
        assert_eq!(attempts.failed(2_000).wait_at(2_000), 20);
    }
}
