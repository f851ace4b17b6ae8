//! Where tests leave their pictures: target/screenshots/ to look at, or, with
//! `POCKET_UPDATE_SCREENSHOTS=1` (`make screenshots`), docs/screenshots/ for the README.

use std::path::PathBuf;

use anyhow::Result;

pub fn dir() -> Result<PathBuf> {
    if std::env::var_os("POCKET_UPDATE_SCREENSHOTS").is_some_and(|v| v == "1") {
        let docs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/screenshots");
        std::fs::create_dir_all(&docs)?;
        return Ok(docs);
    }
    super::app::screenshot_dir()
}
