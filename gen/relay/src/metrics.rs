//! Counters in Prometheus' text format: requests by what the relay made of them, deliveries
//! by channel and outcome. In memory only, like everything the relay has.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<&'static str, u64>>,
    deliveries: Mutex<BTreeMap<(&'static str, &'static str), u64>>,
}

impl Metrics {
    pub fn count_request(&self, result: &'static str) {
        *self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(result)
            .or_default() += 1;
    }

    pub fn count_delivery(&self, channel: &'static str, outcome: &'static str) {
        *self
            .deliveries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry((channel, outcome))
            .or_default() += 1;
    }

    /// How many deliveries on `channel` came to `outcome`.
    pub fn deliveries(&self, channel: &str, outcome: &str) -> u64 {
        self.deliveries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|((c, o), _)| *c == channel && *o == outcome)
            .map(|(_, count)| *count)
            .sum()
    }

    pub fn render(&self) -> String {
        let mut text = String::new();
        text.push_str("# TYPE pocket_relay_requests_total counter\n");
        for (result, count) in self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            let _ = writeln!(
                text,
                "pocket_relay_requests_total{{result=\"{result}\"}} {count}"
            );
        }
        text.push_str("# TYPE pocket_relay_deliveries_total counter\n");
        for ((channel, outcome), count) in self
            .deliveries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            let _ = writeln!(
                text,
                "pocket_relay_deliveries_total{{channel=\"{channel}\",outcome=\"{outcome}\"}} {count}"
            );
        }
        text
    }
}
