//! Reordering in the real window: a row's handle dragged with the mouse or a finger through
//! WebDriver's pointer actions, as the input devices themselves would send them.

use anyhow::{Context, Result};
use fantoccini::actions::{
    InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction, TouchActions,
};
use std::time::Duration;

use super::App;

/// A drag is sent as this many small moves, so the list rearranges on the way as it would
/// under a hand.
const DRAG_STEPS: u32 = 12;
const STEP_TIME: Duration = Duration::from_millis(25);

/// What does the dragging.
#[derive(Clone, Copy, Debug)]
pub enum Pointer {
    Mouse,
    Finger,
}

impl App {
    /// Presses on the drag handle of the account `account_id`, moves `dy` CSS pixels
    /// (negative is up) and lets go.
    pub async fn drag_account(&self, account_id: &str, dy: f64, by: Pointer) -> Result<()> {
        let handle_css = format!("[data-account-id='{account_id}'] [data-drag-handle]");
        let handle = self.wait_for(&handle_css).await?;
        self.client
            .execute(
                "arguments[0].scrollIntoView({ block: 'center' });",
                vec![serde_json::to_value(&handle)?],
            )
            .await?;
        let mut steps = vec![
            PointerAction::MoveToElement {
                element: handle,
                duration: None,
                x: 0.0,
                y: 0.0,
            },
            PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            },
        ];
        for _ in 0..DRAG_STEPS {
            steps.push(PointerAction::MoveBy {
                duration: Some(STEP_TIME),
                x: 0.0,
                y: dy / f64::from(DRAG_STEPS),
            });
        }
        steps.push(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
        match by {
            Pointer::Mouse => {
                let actions = steps
                    .into_iter()
                    .fold(MouseActions::new("mouse".into()), |a, s| a.then(s));
                self.client.perform_actions(actions).await
            }
            Pointer::Finger => {
                let actions = steps
                    .into_iter()
                    .fold(TouchActions::new("finger".into()), |a, s| a.then(s));
                self.client.perform_actions(actions).await
            }
        }
        .with_context(|| format!("drag {account_id} by {dy} with the {by:?}"))?;
        Ok(())
    }

    /// Drags the account `account_id` by its handle until its middle is half a row past the
    /// middle of `past_id`'s row: far enough for the list to put it on the other side.
    pub async fn drag_past(&self, account_id: &str, past_id: &str, by: Pointer) -> Result<()> {
        const DISTANCE: &str = r#"
            const box = (id) => document.querySelector(`[data-account-id='${id}']`).getBoundingClientRect();
            const [moved, past] = [box(arguments[0]), box(arguments[1])];
            const apart = (past.top + past.height / 2) - (moved.top + moved.height / 2);
            return apart + Math.sign(apart) * past.height / 2;
        "#;
        let dy = self
            .client
            .execute(DISTANCE, vec![account_id.into(), past_id.into()])
            .await?
            .as_f64()
            .context("no distance between the rows")?;
        self.drag_account(account_id, dy, by).await
    }

    /// Waits until the account rows show in `expected` order (their ids, top to bottom).
    pub async fn wait_for_order(&self, expected: &[&str]) -> Result<()> {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        loop {
            let order = self.account_order().await?;
            if order == expected {
                return Ok(());
            }
            if std::time::Instant::now() > deadline {
                anyhow::bail!("the rows are in order {order:?}, not {expected:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The ids of the account rows, top to bottom.
    pub async fn account_order(&self) -> Result<Vec<String>> {
        Ok(self.accounts().await?.into_iter().map(|r| r.id).collect())
    }
}
