//! Where a failing test leaves what it saw: target/test-reports/<test>/, one picture of the
//! screen per failed wait, named after the step.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use anyhow::Result;

use super::process::run;

/// The longest a picture of the screen may take.
const PICTURE_LIMIT: Duration = Duration::from_secs(10);

/// The running test's name: the test harness names the thread a test runs on after it
/// (nextest runs one test per process, `cargo test` one per thread).
pub fn test_name() -> String {
    match std::thread::current().name() {
        Some(name) if name != "main" => name.to_string(),
        _ => "outside-a-test".to_string(),
    }
}

/// target/test-reports/<the running test>/. What an earlier run of the test left there goes
/// the first time a run asks; the folder itself is made with the first picture.
pub fn report_dir() -> Result<PathBuf> {
    static CLEARED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let dir = target.join("test-reports").join(slug(&test_name()));
    let mut cleared = CLEARED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if !cleared.contains(&dir) {
        match std::fs::remove_dir_all(&dir) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error.into()),
            _ => cleared.push(dir.clone()),
        }
    }
    Ok(dir)
}

/// A fresh file name in `dir` (made if need be) for a picture of `step`, numbered in the
/// order taken.
pub fn picture_path(dir: &Path, step: &str) -> Result<PathBuf> {
    static TAKEN: AtomicU32 = AtomicU32::new(0);
    std::fs::create_dir_all(dir)?;
    let n = TAKEN.fetch_add(1, Ordering::Relaxed) + 1;
    Ok(dir.join(format!("{n:02}-{}.png", slug(step))))
}

/// The whole X `display` as a PNG at `path` (ImageMagick's `import`).
pub fn picture_of_display(display: &str, path: &Path) -> Result<PathBuf> {
    run(
        Command::new("import")
            .args(["-display", display, "-window", "root"])
            .arg(path),
        PICTURE_LIMIT,
    )?
    .checked()?;
    Ok(path.to_path_buf())
}

/// `text` as a file name: letters and digits, the rest one dash, at most 80 characters.
fn slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_matches('-').chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_step_becomes_a_file_name() {
        assert_eq!(
            super::slug("WebDriver find `[data-testid=push-accept]`"),
            "WebDriver-find-data-testid-push-accept"
        );
        assert_eq!(super::slug("e2e::a_test"), "e2e-a_test");
    }
}
