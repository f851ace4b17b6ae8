//! The home screen as a phone user judges it: how many accounts the window shows whole,
//! whether a name or an address is broken inside a word, and whether the end of the list
//! can be read clear of the floating Add button.

use anyhow::Result;

use super::App;

/// The account rows wholly inside the window, at the top of the list, two frames after
/// scrolling there (a change of text size may still be laying out).
const WHOLLY_SHOWN: &str = r#"
    const done = arguments[arguments.length - 1];
    window.scrollTo(0, 0);
    requestAnimationFrame(() => requestAnimationFrame(() => done(
        [...document.querySelectorAll('[data-testid=account]')].filter((row) => {
            const box = row.getBoundingClientRect();
            return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
        }).map((row) => row.querySelector('[data-testid=issuer]')?.textContent ?? ''))));
"#;

/// Each row's service and account name that wraps to a new line between two characters of
/// one word; a line may only begin after a space or a hyphen.
const BROKEN_MID_WORD: &str = r#"
    const broken = [];
    const names = document.querySelectorAll(
        '[data-testid=account] [data-testid=issuer], [data-testid=account] [data-testid=name]');
    for (const name of names) {
        const walker = document.createTreeWalker(name, NodeFilter.SHOW_TEXT);
        const range = document.createRange();
        let previous = null;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (let i = 0; i < node.length; i++) {
                range.setStart(node, i);
                range.setEnd(node, i + 1);
                const box = range.getClientRects()[0];
                if (!box) continue;
                const char = node.data[i];
                if (previous && box.top > previous.top + 1 && !/[\s-]/.test(previous.char) && !/\s/.test(char)) {
                    broken.push(name.textContent.trim());
                }
                previous = { top: box.top, char };
            }
        }
    }
    return broken;
"#;

/// At the end of the list, how far the last row's bottom lies below the Add button's top
/// (positive: hidden under it).
const UNDER_ADD_BUTTON: &str = r#"
    window.scrollTo(0, document.documentElement.scrollHeight);
    const rows = document.querySelectorAll('[data-testid=account], [data-testid=push-token]');
    const last = rows[rows.length - 1];
    const add = document.querySelector('[data-testid=add-account]');
    if (!last || !add) return 0;
    return last.getBoundingClientRect().bottom - add.getBoundingClientRect().top;
"#;

impl App {
    /// Waits until the first countdown shows more than `seconds` left.
    pub async fn wait_for_seconds_left_above(&self, seconds: u64) -> Result<()> {
        let limit = std::time::Duration::from_secs(35);
        self.eventually(&format!("over {seconds} s left"), limit, || async {
            let left = self
                .run_script("return Number(document.querySelector('[data-testid=countdown]')?.dataset.left ?? 0);")
                .await?
                .as_u64()
                .unwrap_or(0);
            Ok(super::deadline::Look::when(left > seconds, || format!("{left} s")))
        })
        .await
    }

    /// The services of the account rows the window shows whole, scrolled to the top.
    pub async fn accounts_wholly_shown(&self) -> Result<Vec<String>> {
        Ok(serde_json::from_value(
            self.driver.execute_async(WHOLLY_SHOWN, vec![]).await?,
        )?)
    }

    /// The names and addresses on the home screen that wrap inside a word.
    pub async fn names_broken_mid_word(&self) -> Result<Vec<String>> {
        Ok(serde_json::from_value(
            self.run_script(BROKEN_MID_WORD).await?,
        )?)
    }

    /// Scrolled to the end: CSS pixels of the last row under the Add button (0 or less when
    /// it is clear). Scrolls back to the top after.
    pub async fn last_row_under_add_button(&self) -> Result<f64> {
        let under = self.run_script(UNDER_ADD_BUTTON).await?;
        self.run_script("window.scrollTo(0, 0); return null;")
            .await?;
        Ok(under.as_f64().unwrap_or(0.0))
    }
}
