//! Accessibility checks in the real window: axe-core (the UI's own dev dependency) run inside
//! the Pocket webview, so the rules see what WebKitGTK really renders, in either theme.

use std::sync::OnceLock;

use anyhow::{Context, Result, bail, ensure};
use serde_json::Value;

use super::App;

/// axe-core's browser build, read once from the UI's node_modules (`make deps-ui`).
fn axe_source() -> Result<&'static str> {
    static SOURCE: OnceLock<String> = OnceLock::new();
    if let Some(source) = SOURCE.get() {
        return Ok(source);
    }
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../ui/node_modules/axe-core/axe.min.js"
    );
    let source = std::fs::read_to_string(path)
        .with_context(|| format!("{path}: run `make deps-ui` to install axe-core"))?;
    Ok(SOURCE.get_or_init(|| source))
}

const RUN: &str = r#"
    const done = arguments[arguments.length - 1];
    axe.run(document, { resultTypes: ['violations'] }).then(
        (result) => done(result.violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => `${v.id} (${v.impact}): ${v.help}, at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)),
        (error) => done({ failed: String(error) }),
    );
"#;

impl App {
    /// axe-core's serious and critical findings on what the window shows now, one line each.
    pub async fn serious_accessibility_findings(&self) -> Result<Vec<String>> {
        let present = self
            .run_script("return typeof window.axe === 'object';")
            .await?;
        if present != Value::Bool(true) {
            // The library's UMD wrapper sets window.axe when no module system is around.
            self.run_script(axe_source()?).await?;
        }
        let found = self.driver.execute_async(RUN, vec![]).await?;
        if let Some(failed) = found.get("failed") {
            bail!("axe-core did not run: {failed}");
        }
        Ok(serde_json::from_value(found)?)
    }

    /// Fails with axe-core's serious and critical findings on `what`, if any.
    pub async fn ensure_accessible(&self, what: &str) -> Result<()> {
        let findings = self.serious_accessibility_findings().await?;
        ensure!(
            findings.is_empty(),
            "{what}: axe-core finds\n  {}",
            findings.join("\n  ")
        );
        Ok(())
    }
}
