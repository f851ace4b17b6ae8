//! When Pocket is shut: at start (once a lock is set), after the idle time, when a phone puts
//! it in the background, and whenever the user locks it. Time is passed in, so the tests
//! drive it: a monotonic clock's instant, and the wall clock, which also runs while the
//! computer sleeps (the monotonic one does not, on Linux and macOS).

use std::time::{Duration, Instant};

/// A moment on both clocks.
#[derive(Debug, Clone, Copy)]
pub struct Moment {
    pub instant: Instant,
    /// Unix milliseconds.
    pub wall_ms: u64,
}

impl Moment {
    pub fn now() -> Moment {
        Moment {
            instant: Instant::now(),
            wall_ms: crate::clock::now_millis(),
        }
    }

    /// `duration` later on both clocks.
    pub fn after(self, duration: Duration) -> Moment {
        Moment {
            instant: self.instant + duration,
            wall_ms: self.wall_ms + duration.as_millis() as u64,
        }
    }
}

/// A wall clock set back by more than this since the last activity counts as the idle time
/// gone by: the gate cannot tell how long it really was.
const WALL_CLOCK_SET_BACK_MS: u64 = 5_000;

#[derive(Debug)]
pub struct Gate {
    enabled: bool,
    idle_limit: Option<Duration>,
    locked: bool,
    last_activity: Moment,
}

impl Gate {
    /// The gate at start: shut when a lock is set.
    pub fn at_start(enabled: bool, idle_limit: Option<Duration>, now: Moment) -> Gate {
        Gate {
            enabled,
            idle_limit,
            locked: enabled,
            last_activity: now,
        }
    }

    /// Whether the gate is shut at `now`; the idle time running out, on either clock, shuts
    /// it.
    pub fn is_locked(&mut self, now: Moment) -> bool {
        if self.enabled && !self.locked && self.idle_ran_out(now) {
            self.locked = true;
        }
        self.locked
    }

    fn idle_ran_out(&self, now: Moment) -> bool {
        let Some(limit) = self.idle_limit else {
            return false;
        };
        let last = self.last_activity;
        let wall_set_back = now.wall_ms + WALL_CLOCK_SET_BACK_MS < last.wall_ms;
        now.instant >= last.instant + limit
            || now.wall_ms.saturating_sub(last.wall_ms) >= limit.as_millis() as u64
            || wall_set_back
    }

    /// The user did something: the idle time starts again, unless it has already run out.
    pub fn touch(&mut self, now: Moment) {
        if !self.is_locked(now) {
            self.last_activity = now;
        }
    }

    /// When the idle time runs out on the monotonic clock, while open and a limit is set.
    pub fn idle_deadline(&self) -> Option<Instant> {
        match (self.enabled && !self.locked, self.idle_limit) {
            (true, Some(limit)) => Some(self.last_activity.instant + limit),
            _ => None,
        }
    }

    /// The app went to the background, or the user asked: shut, when a lock is set.
    pub fn lock(&mut self) {
        if self.enabled {
            self.locked = true;
        }
    }

    /// The unlock step succeeded.
    pub fn open(&mut self, now: Moment) {
        self.locked = false;
        self.last_activity = now;
    }

    /// A lock was set or removed, or the idle time changed. Setting one does not shut the
    /// gate on the user who is setting it.
    pub fn configure(&mut self, enabled: bool, idle_limit: Option<Duration>, now: Moment) {
        if !enabled {
            self.locked = false;
        }
        self.enabled = enabled;
        self.idle_limit = idle_limit;
        self.last_activity = now;
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn shut_at_start_only_once_a_lock_is_set() {
        let now = Moment::now();
        assert!(Gate::at_start(true, Some(MINUTE), now).is_locked(now));
        assert!(!Gate::at_start(false, Some(MINUTE), now).is_locked(now));
    }

    #[test]
    fn the_idle_time_shuts_it_and_activity_pushes_that_back() {
        let start = Moment::now();
        let mut gate = Gate::at_start(true, Some(MINUTE), start);
        gate.open(start);
        assert!(!gate.is_locked(start.after(Duration::from_secs(59))));
        gate.touch(start.after(Duration::from_secs(50)));
        assert_eq!(
            gate.idle_deadline(),
            Some(start.after(Duration::from_secs(110)).instant)
        );
        assert!(!gate.is_locked(start.after(Duration::from_secs(109))));
        assert!(gate.is_locked(start.after(Duration::from_secs(110))));
        // Activity after the deadline does not reopen it.
        gate.touch(start.after(Duration::from_secs(111)));
        assert!(gate.is_locked(start.after(Duration::from_secs(111))));
        assert_eq!(gate.idle_deadline(), None);
    }

    #[test]
    fn without_an_idle_limit_only_the_background_shuts_it() {
        let start = Moment::now();
        let mut gate = Gate::at_start(true, None, start);
        gate.open(start);
        assert!(!gate.is_locked(start.after(Duration::from_secs(24 * 3600))));
        gate.lock();
        assert!(gate.is_locked(start.after(Duration::from_secs(24 * 3600))));
    }

    #[test]
    fn no_lock_set_never_shuts_and_setting_one_leaves_it_open() {
        let start = Moment::now();
        let mut gate = Gate::at_start(false, Some(MINUTE), start);
        gate.lock();
        assert!(!gate.is_locked(start.after(10 * MINUTE)));
        gate.configure(true, Some(MINUTE), start.after(10 * MINUTE));
        assert!(!gate.is_locked(start.after(10 * MINUTE)));
        assert!(gate.is_locked(start.after(11 * MINUTE)));
        // Removing the lock opens it.
        gate.configure(false, Some(MINUTE), start.after(12 * MINUTE));
        assert!(!gate.is_locked(start.after(12 * MINUTE)));
    }

    #[test]
    fn time_asleep_counts_on_the_wall_clock() {
        let start = Moment::now();
        let mut gate = Gate::at_start(true, Some(MINUTE), start);
        gate.open(start);
        // The computer slept for an hour: the monotonic clock moved 5 s, the wall clock an hour.
        let woken = Moment {
            instant: start.instant + Duration::from_secs(5),
            wall_ms: start.wall_ms + 3_600_000,
        };
        assert!(gate.is_locked(woken));
        // A wall clock set back a day counts as the idle time gone by.
        let mut gate = Gate::at_start(true, Some(MINUTE), start);
        gate.open(start);
        let set_back = Moment {
            instant: start.instant + Duration::from_secs(5),
            wall_ms: start.wall_ms - 86_400_000,
        };
        assert!(gate.is_locked(set_back));
    }
}
