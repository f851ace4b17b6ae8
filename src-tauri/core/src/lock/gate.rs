//! When Pocket is shut: at start (once a lock is set), after the idle time, when a phone puts
//! it in the background, and whenever the user locks it. Time is passed in (a monotonic
//! clock's instants), so the tests drive it.

use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct Gate {
    enabled: bool,
    idle_limit: Option<Duration>,
    locked: bool,
    last_activity: Instant,
}

impl Gate {
    /// The gate at start: shut when a lock is set.
    pub fn at_start(enabled: bool, idle_limit: Option<Duration>, now: Instant) -> Gate {
        Gate {
            enabled,
            idle_limit,
            locked: enabled,
            last_activity: now,
        }
    }

    /// Whether the gate is shut at `now`; the idle time running out shuts it.
    pub fn is_locked(&mut self, now: Instant) -> bool {
        if self.enabled && !self.locked && self.idle_deadline().is_some_and(|end| now >= end) {
            self.locked = true;
        }
        self.locked
    }

    /// The user did something: the idle time starts again, unless it has already run out.
    pub fn touch(&mut self, now: Instant) {
        if !self.is_locked(now) {
            self.last_activity = now;
        }
    }

    /// When the idle time runs out, while open and a limit is set.
    pub fn idle_deadline(&self) -> Option<Instant> {
        match (self.enabled && !self.locked, self.idle_limit) {
            (true, Some(limit)) => Some(self.last_activity + limit),
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
    pub fn open(&mut self, now: Instant) {
        self.locked = false;
        self.last_activity = now;
    }

    /// A lock was set or removed, or the idle time changed. Setting one does not shut the
    /// gate on the user who is setting it.
    pub fn configure(&mut self, enabled: bool, idle_limit: Option<Duration>, now: Instant) {
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
        let now = Instant::now();
        assert!(Gate::at_start(true, Some(MINUTE), now).is_locked(now));
        assert!(!Gate::at_start(false, Some(MINUTE), now).is_locked(now));
    }

    #[test]
    fn the_idle_time_shuts_it_and_activity_pushes_that_back() {
        let start = Instant::now();
        let mut gate = Gate::at_start(true, Some(MINUTE), start);
        gate.open(start);
        assert!(!gate.is_locked(start + Duration::from_secs(59)));
        gate.touch(start + Duration::from_secs(50));
        assert_eq!(gate.idle_deadline(), Some(start + Duration::from_secs(110)));
        assert!(!gate.is_locked(start + Duration::from_secs(109)));
        assert!(gate.is_locked(start + Duration::from_secs(110)));
        // Activity after the deadline does not reopen it.
        gate.touch(start + Duration::from_secs(111));
        assert!(gate.is_locked(start + Duration::from_secs(111)));
        assert_eq!(gate.idle_deadline(), None);
    }

    #[test]
    fn without_an_idle_limit_only_the_background_shuts_it() {
        let start = Instant::now();
        let mut gate = Gate::at_start(true, None, start);
        gate.open(start);
        assert!(!gate.is_locked(start + Duration::from_secs(24 * 3600)));
        gate.lock();
        assert!(gate.is_locked(start + Duration::from_secs(24 * 3600)));
    }

    #[test]
    fn no_lock_set_never_shuts_and_setting_one_leaves_it_open() {
        let start = Instant::now();
        let mut gate = Gate::at_start(false, Some(MINUTE), start);
        gate.lock();
        assert!(!gate.is_locked(start + 10 * MINUTE));
        gate.configure(true, Some(MINUTE), start + 10 * MINUTE);
        assert!(!gate.is_locked(start + 10 * MINUTE));
        assert!(gate.is_locked(start + 11 * MINUTE));
        // Removing the lock opens it.
        gate.configure(false, Some(MINUTE), start + 12 * MINUTE);
        assert!(!gate.is_locked(start + 12 * MINUTE));
    }
}
