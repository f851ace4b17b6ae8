//! The start-up report that `make bench` reads (tests/bench/startup.rs): when the first code
//! was painted, when the page began to load, and the steps on the way there, so the bench can
//! tell where the time goes. The app writes it, and so does the bench's blank-window peer
//! (without steps), but only when `POCKET_STARTUP_REPORT` names a file; for everyone else it
//! goes nowhere and no step is kept.

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// The environment variable that names the report's file.
pub const REPORT_FILE_VARIABLE: &str = "POCKET_STARTUP_REPORT";

/// Enough for every step of one start; a step past them is dropped, so a long-running app
/// keeps nothing.
const MAX_STEPS: usize = 32;

/// All times in Unix milliseconds (the page's clock and the process's agree on it).
#[derive(Debug, Clone, PartialEq)]
pub struct StartupReport {
    pub shown_at_ms: f64,
    pub page_started_at_ms: f64,
    /// What happened on the way, in the order it happened: a name without spaces and when.
    pub steps: Vec<(String, f64)>,
}

fn report_file() -> Option<&'static PathBuf> {
    static FILE: OnceLock<Option<PathBuf>> = OnceLock::new();
    FILE.get_or_init(|| std::env::var_os(REPORT_FILE_VARIABLE).map(PathBuf::from))
        .as_ref()
}

fn noted() -> &'static Mutex<Vec<(String, f64)>> {
    static NOTED: Mutex<Vec<(String, f64)>> = Mutex::new(Vec::new());
    &NOTED
}

/// Notes that the process reached `step` now, for the report, when one is asked for; only the
/// first time, as the page does.
pub fn note_step(step: &str) {
    if report_file().is_none() {
        return;
    }
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |since| since.as_secs_f64() * 1000.0);
    keep_first(
        &mut noted().lock().unwrap_or_else(|p| p.into_inner()),
        step,
        now_ms,
    );
}

/// Adds `step` unless it is there already or the list is full.
fn keep_first(noted: &mut Vec<(String, f64)>, step: &str, at_ms: f64) {
    if noted.len() < MAX_STEPS && !noted.iter().any(|(kept, _)| kept == step) {
        noted.push((step.to_owned(), at_ms));
    }
}

impl StartupReport {
    /// Writes the report where `POCKET_STARTUP_REPORT` says, if it says, with the steps the
    /// process noted merged into the page's.
    pub fn write_if_asked(mut self) -> std::io::Result<()> {
        let Some(path) = report_file() else {
            return Ok(());
        };
        self.steps.truncate(MAX_STEPS);
        self.steps
            .extend(noted().lock().unwrap_or_else(|p| p.into_inner()).drain(..));
        self.steps.sort_by(|a, b| a.1.total_cmp(&b.1));
        self.write_to(path)
    }

    /// One line; the reader takes the report as complete once the line has its end.
    pub fn write_to(&self, path: &std::path::Path) -> std::io::Result<()> {
        let mut line = format!("{} {}", self.shown_at_ms, self.page_started_at_ms);
        for (step, at_ms) in &self.steps {
            // A name is one word: the line splits on spaces.
            let step: String = step.chars().filter(|c| !c.is_whitespace()).collect();
            line.push_str(&format!(" {step}@{at_ms}"));
        }
        line.push('\n');
        std::fs::write(path, line)
    }

    /// The report in `text`, or `None` while it is not all there.
    pub fn parse(text: &str) -> Option<StartupReport> {
        let mut words = text.strip_suffix('\n')?.split(' ');
        let shown_at_ms = words.next()?.parse().ok()?;
        let page_started_at_ms = words.next()?.parse().ok()?;
        let steps = words
            .map(|word| {
                let (step, at_ms) = word.rsplit_once('@')?;
                Some((step.to_owned(), at_ms.parse().ok()?))
            })
            .collect::<Option<_>>()?;
        Some(StartupReport {
            shown_at_ms,
            page_started_at_ms,
            steps,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_report_reads_back_and_a_partial_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report");
        let report = StartupReport {
            shown_at_ms: 1_796_305_045_704.25,
            page_started_at_ms: 1_796_305_045_301.5,
            steps: vec![
                ("setup-began".into(), 1_796_305_045_100.0),
                ("home screen answered".into(), 1_796_305_045_650.75),
            ],
        };
        report.write_to(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut expected = report.clone();
        expected.steps[1].0 = "homescreenanswered".into();
        assert_eq!(StartupReport::parse(&text), Some(expected));
        assert_eq!(
            StartupReport::parse(text.trim_end()),
            None,
            "no line end yet"
        );
        assert_eq!(StartupReport::parse("1796305045704\n"), None);
        assert_eq!(StartupReport::parse("soon 1796305045301\n"), None);
        assert_eq!(
            StartupReport::parse("1 2 setup\n"),
            None,
            "a step with no time"
        );
    }

    #[test]
    fn a_step_is_kept_the_first_time_only_and_the_list_stays_bounded() {
        let mut noted = Vec::new();
        keep_first(&mut noted, "app:lock-status-began", 1.0);
        keep_first(&mut noted, "app:lock-status-began", 2.0);
        assert_eq!(noted, [("app:lock-status-began".to_owned(), 1.0)]);
        for n in 0..100 {
            keep_first(&mut noted, &format!("step{n}"), f64::from(n));
        }
        assert_eq!(noted.len(), MAX_STEPS);
    }

    #[test]
    fn the_peers_report_has_no_steps() {
        let report = StartupReport::parse("1796305045704 1796305045301\n").unwrap();
        assert!(report.steps.is_empty());
    }
}
