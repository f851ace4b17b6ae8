//! What start-up costs, read from outside: when the app's process began (the kernel's record)
//! and the memory the app and its WebKit processes hold.

use anyhow::{Context, Result};

/// When `pid` started, in Unix milliseconds, to the kernel's clock tick (10 ms here). The
/// boot time the kernel states is in whole seconds, so the start is reckoned back from now on
/// the clock the start time counts on (the uptime).
pub fn process_started_at_ms(pid: u32) -> Result<f64> {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs_f64()
        * 1000.0;
    let uptime_seconds: f64 = std::fs::read_to_string("/proc/uptime")?
        .split_whitespace()
        .next()
        .context("an empty /proc/uptime")?
        .parse()?;
    let ticks_per_second = 100.0; // USER_HZ on Linux
    let age_seconds = uptime_seconds - start_ticks(pid)? as f64 / ticks_per_second;
    Ok(now_ms - age_seconds * 1000.0)
}

/// The kernel's start time of `pid`: clock ticks since boot (field 22 of /proc/PID/stat).
fn start_ticks(pid: u32) -> Result<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The command name, in parentheses, may hold spaces; the fields after it do not.
    let after_name = stat.rsplit_once(')').context("odd /proc stat")?.1;
    Ok(after_name
        .split_whitespace()
        .nth(19)
        .context("short /proc stat")?
        .parse()?)
}

/// Resident memory of `pid` and of every process below it (WebKit's web and network
/// processes), in KiB, each as (name, KiB).
pub fn resident_kib(pid: u32) -> Result<Vec<(String, u64)>> {
    let mut out = Vec::new();
    let mut queue = vec![pid];
    while let Some(pid) = queue.pop() {
        let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
            continue; // gone meanwhile
        };
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .map(|v| v.trim().to_string())
        };
        let name = field("Name:").unwrap_or_default();
        let kib = field("VmRSS:")
            .and_then(|v| v.trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0);
        out.push((name, kib));
        for task in std::fs::read_dir(format!("/proc/{pid}/task"))? {
            let children =
                std::fs::read_to_string(task?.path().join("children")).unwrap_or_default();
            queue.extend(
                children
                    .split_whitespace()
                    .filter_map(|c| c.parse::<u32>().ok()),
            );
        }
    }
    Ok(out)
}
