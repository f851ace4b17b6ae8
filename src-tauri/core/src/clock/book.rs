//! The process's clock measurements: the newest from each server, shared by every HTTP client
//! that records one, read by the banner and by codes that follow the measured time.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::offset::{ClockSample, best};

#[derive(Default)]
pub struct ServerClocks {
    samples: Mutex<BTreeMap<String, ClockSample>>,
    changed: tokio::sync::Notify,
}

impl std::fmt::Debug for ServerClocks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerClocks").finish_non_exhaustive()
    }
}

impl ServerClocks {
    fn samples(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, ClockSample>> {
        self.samples
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Keeps `sample` as its source's newest.
    pub fn record(&self, sample: ClockSample) {
        self.samples().insert(sample.source.clone(), sample);
        self.changed.notify_one();
    }

    /// Measurements kept from an earlier run; newer ones already here stay.
    pub fn seed(&self, samples: Vec<ClockSample>) {
        let mut kept = self.samples();
        for sample in samples {
            let newer = kept
                .get(&sample.source)
                .is_some_and(|k| k.measured_at >= sample.measured_at);
            if !newer {
                kept.insert(sample.source.clone(), sample);
            }
        }
    }

    pub fn all(&self) -> Vec<ClockSample> {
        self.samples().values().cloned().collect()
    }

    /// What the measurements say at `now_unix`.
    pub fn best(&self, now_unix: u64) -> Option<ClockSample> {
        best(&self.all(), now_unix).cloned()
    }

    /// Woken after each new measurement.
    pub async fn changed(&self) {
        self.changed.notified().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(source: &str, offset_ms: i64, measured_at: u64) -> ClockSample {
        ClockSample {
            source: source.into(),
            offset_ms,
            uncertainty_ms: 100,
            measured_at,
        }
    }

    #[test]
    fn the_newest_per_server_is_kept_and_seeds_do_not_overwrite_it() {
        let clocks = ServerClocks::default();
        clocks.record(sample("a", 1, 100));
        clocks.record(sample("a", 2, 200));
        clocks.seed(vec![sample("a", 9, 150), sample("b", 3, 50)]);
        let all = clocks.all();
        assert_eq!(all, vec![sample("a", 2, 200), sample("b", 3, 50)]);
        assert_eq!(clocks.best(200).unwrap().offset_ms, 2);
    }
}
