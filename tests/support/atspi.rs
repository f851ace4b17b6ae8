//! The real window's accessibility tree as Orca reads it on Linux: AT-SPI, as WebKitGTK and
//! GTK publish it on the desktop's own accessibility bus, read by `tests/tools/atspi_tree.py`
//! (pyatspi, from Debian's python3-pyatspi). Checks every screen can share: every control has
//! a role and a real name, and a reading transcript (the tree in reading order, a line per
//! item) to compare with the expected one.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use super::desktop::Desktop;
use super::process::run;

/// The name GTK gives the app's accessible root (its program name).
const APP_NAME: &str = "pocket";
/// How long one reading of the tree may take (the script stops itself before).
const READ_LIMIT: Duration = Duration::from_secs(60);
/// Names that say nothing of what a control is or does.
const EMPTY_NAMES: [&str; 5] = ["", "image", "button", "graphic", "link"];

#[derive(Debug, Clone, Deserialize)]
pub struct AxNode {
    pub role: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub states: Vec<String>,
    /// "polite" or "assertive" on a live region (and what is inside one).
    pub live: Option<String>,
    /// The words the node holds itself.
    pub text: Option<String>,
    #[serde(default)]
    pub children: Vec<AxNode>,
}

impl AxNode {
    /// This node and all below it, in reading order (depth first).
    pub fn walk(&self) -> Vec<&AxNode> {
        let mut found = vec![self];
        for child in &self.children {
            found.extend(child.walk());
        }
        found
    }

    pub fn has(&self, state: &str) -> bool {
        self.states.iter().any(|s| s == state)
    }

    /// The web page: what the webview shows.
    pub fn document(&self) -> Result<&AxNode> {
        self.walk()
            .into_iter()
            .find(|n| n.role.starts_with("document") || n.role == "RootWebArea")
            .context("no document in the window's tree")
    }

    /// Every control a user can reach that has no role or says nothing of itself.
    pub fn unnamed_controls(&self) -> Vec<String> {
        self.walk()
            .into_iter()
            .filter(|n| n.has("focusable") && n.has("showing"))
            .filter(|n| {
                !n.role.starts_with("document") && n.role != "RootWebArea" && n.role != "frame"
            })
            .filter(|n| {
                n.role.is_empty()
                    || n.role == "unknown"
                    || EMPTY_NAMES.contains(&n.name.trim().to_lowercase().as_str())
            })
            .map(|n| format!("{} {:?}", n.role, n.name))
            .collect()
    }

    /// Fails on `what` unless every control a user can reach has a role and a real name.
    pub fn ensure_all_named(&self, what: &str) -> Result<()> {
        let unnamed = self.unnamed_controls();
        if !unnamed.is_empty() {
            bail!("{what}: controls without a real name: {unnamed:?}");
        }
        Ok(())
    }

    /// The tree in reading order, a line per item that says something: its role and name
    /// (and description), or the words it holds.
    pub fn transcript(&self) -> String {
        let mut lines = Vec::new();
        for node in self.walk().into_iter().skip(1) {
            let text = node.text.as_deref().unwrap_or("").trim();
            let line = if !node.name.trim().is_empty() {
                let mut line = format!("{}: {}", node.role, node.name.trim());
                // A reader says a description the name does not already say (a tooltip
                // repeating the name is not read twice).
                if !node.description.trim().is_empty()
                    && node.description.trim() != node.name.trim()
                {
                    line.push_str(&format!(" ({})", node.description.trim()));
                }
                line
            } else if !text.is_empty() && node.children.is_empty() {
                text.to_string()
            } else {
                continue;
            };
            if lines.last() != Some(&line) {
                lines.push(line);
            }
        }
        lines.join("\n")
    }
}

/// The app's accessibility tree as it is now.
pub fn accessibility_tree(desktop: &Desktop) -> Result<AxNode> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tools/atspi_tree.py");
    let limit = READ_LIMIT.as_secs().saturating_sub(5).to_string();
    let read = run(
        desktop
            .command("/usr/bin/python3")
            .args([script, APP_NAME, &limit]),
        READ_LIMIT,
    )?;
    let out = read.stdout_text();
    if !read.success() {
        bail!(
            "reading the AT-SPI tree failed: {out} {}",
            read.stderr_text()
        );
    }
    let mut apps: Vec<AxNode> =
        serde_json::from_str(&out).with_context(|| format!("the AT-SPI tree: {out}"))?;
    if apps.is_empty() {
        bail!("no application {APP_NAME:?} on the accessibility bus");
    }
    Ok(apps.remove(0))
}

/// Each run of digits masked as one `#`, so a transcript with codes and seconds in it
/// compares from run to run (a code read digit by digit stays `# # #, # # #`).
pub fn masked(transcript: &str) -> String {
    let mut out = String::with_capacity(transcript.len());
    for c in transcript.chars() {
        if !c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('#') {
            out.push('#');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::masked;

    #[test]
    fn every_run_of_digits_is_one_mark() {
        assert_eq!(
            masked("GitHub, alice, 4 9 2, 0 3 9 (Tap to copy. 25 seconds left)"),
            "GitHub, alice, # # #, # # # (Tap to copy. # seconds left)"
        );
    }
}
