//! The start-up report that `make bench` reads (tests/bench/startup.rs): when the first code
//! was painted and when the page began to load. The app writes it, and so does the bench's
//! blank-window peer, but only when `POCKET_STARTUP_REPORT` names a file; for everyone else it
//! goes nowhere.

use std::path::PathBuf;

/// The environment variable that names the report's file.
pub const REPORT_FILE_VARIABLE: &str = "POCKET_STARTUP_REPORT";

/// Both times in Unix milliseconds, as the page's clock gives them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StartupReport {
    pub shown_at_ms: f64,
    pub page_started_at_ms: f64,
}

impl StartupReport {
    /// Writes the report where `POCKET_STARTUP_REPORT` says, if it says.
    pub fn write_if_asked(&self) -> std::io::Result<()> {
        match std::env::var_os(REPORT_FILE_VARIABLE) {
            Some(path) => self.write_to(&PathBuf::from(path)),
            None => Ok(()),
        }
    }

    /// One line; the reader takes the report as complete once the line has its end.
    pub fn write_to(&self, path: &std::path::Path) -> std::io::Result<()> {
        std::fs::write(
            path,
            format!("{} {}\n", self.shown_at_ms, self.page_started_at_ms),
        )
    }

    /// The report in `text`, or `None` while it is not all there.
    pub fn parse(text: &str) -> Option<StartupReport> {
        let line = text.strip_suffix('\n')?;
        let (shown, page_started) = line.split_once(' ')?;
        Some(StartupReport {
            shown_at_ms: shown.parse().ok()?,
            page_started_at_ms: page_started.parse().ok()?,
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
        };
        report.write_to(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(StartupReport::parse(&text), Some(report));
        assert_eq!(
            StartupReport::parse(text.trim_end()),
            None,
            "no line end yet"
        );
        assert_eq!(StartupReport::parse("1796305045704\n"), None);
        assert_eq!(StartupReport::parse("soon 1796305045301\n"), None);
    }
}
