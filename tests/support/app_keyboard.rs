//! The page object without a mouse: keys go to whatever has focus, as a keyboard user's do,
//! and each stop on the way shows that it has focus.

use anyhow::{Result, bail, ensure};
use serde_json::json;

use super::App;
use super::webdriver::actions::{InputSource, KeyAction, KeyActions};

pub const TAB: &str = "\u{E004}";
pub const ENTER: &str = "\u{E007}";
pub const ESCAPE: &str = "\u{E00C}";
pub const ARROW_UP: &str = "\u{E013}";
pub const ARROW_DOWN: &str = "\u{E015}";

/// Enough Tab presses to go round any of Pocket's screens.
const MOST_TABS: usize = 80;

impl App {
    /// Presses and releases each key in `keys` on the keyboard, as WebDriver's actions do:
    /// to whatever has focus, without focusing anything first.
    pub async fn press(&self, keys: &str) -> Result<()> {
        let mut actions = KeyActions::new("keyboard".to_string());
        for key in keys.chars() {
            actions = actions
                .then(KeyAction::Down { value: key })
                .then(KeyAction::Up { value: key });
        }
        let what = format!("{} keys", keys.chars().count());
        self.driver.perform_actions(&what, actions).await
    }

    /// Whether the focused element matches `css`, and, when it does, whether its focus is
    /// visible (an outline or a box shadow drawn by `:focus-visible`).
    async fn focus_state(&self, css: &str) -> Result<(bool, bool)> {
        const READ: &str = r#"
            const e = document.activeElement;
            if (!e || !e.matches(arguments[0])) return [false, false];
            const s = getComputedStyle(e);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
            return [true, e.matches(':focus-visible') && (outline || s.boxShadow !== 'none')];
        "#;
        let read = self.driver.execute(READ, vec![json!(css)]).await?;
        Ok(serde_json::from_value(read)?)
    }

    /// Presses Tab until the element matching `css` has focus, and checks that the focus
    /// ring shows on it; fails when Tab never reaches it.
    pub async fn tab_to(&self, css: &str) -> Result<()> {
        for _ in 0..MOST_TABS {
            let (there, visible) = self.focus_state(css).await?;
            if there {
                ensure!(visible, "{css} has focus but shows no focus ring");
                return Ok(());
            }
            self.press(TAB).await?;
        }
        bail!("{MOST_TABS} presses of Tab never reached {css}")
    }
}
