//! The process's clock measurements: the newest from each server, shared by every HTTP client
//! that records one, read by the banner and by codes that follow the measured time.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::offset::{ClockSample, NoCorrection, best, correction};

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

    /// Keeps `sample` for its source, unless the one kept is less than an hour old and more
    /// certain (a slow reply does not overwrite a fast one).
    pub fn record(&self, sample: ClockSample) {
        let mut samples = self.samples();
        let better_kept = samples.get(&sample.source).is_some_and(|kept| {
            kept.uncertainty_ms < sample.uncertainty_ms
                && sample.measured_at.saturating_sub(kept.measured_at) < 3600
        });
        if !better_kept {
            samples.insert(sample.source.clone(), sample);
            drop(samples);
            self.changed.notify_one();
        }
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

    /// How far codes move at `now_unix` when the user chose the measured time; `holders` are
    /// the servers that hold a token of this phone, by origin.
    pub fn correction(
        &self,
        now_unix: u64,
        holders: &std::collections::HashSet<String>,
    ) -> Result<i64, NoCorrection> {
        correction(&self.all(), now_unix, holders)
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
        // A vaguer one soon after does not replace it.
        clocks.record(ClockSample {
            uncertainty_ms: 20_000,
            ..sample("a", 25_000, 210)
        });
        clocks.seed(vec![sample("a", 9, 150), sample("b", 3, 50)]);
        let all = clocks.all();
        assert_eq!(all, vec![sample("a", 2, 200), sample("b", 3, 50)]);
        assert_eq!(clocks.best(200).unwrap().offset_ms, 2);
    }
}
