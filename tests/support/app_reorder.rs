//! Reordering in the real window, and a row's menu: a long press or the menu button opens
//! it, Move starts reordering, and a row's handle is dragged with the mouse or a finger
//! through WebDriver's pointer actions, as the input devices themselves would send them.

use anyhow::{Context, Result};
use std::time::Duration;

use super::App;
use super::deadline::Look;
use super::webdriver::actions::{
    InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction, TouchActions,
};

/// A drag is sent as this many small moves, so the list rearranges on the way as it would
/// under a hand.
const DRAG_STEPS: u32 = 12;
const STEP_TIME: Duration = Duration::from_millis(25);
/// CSS pixels a drag keeps from the window's top and bottom edges.
const EDGE_MARGIN: f64 = 90.0;

/// Longer than the app's long press (half a second).
const LONG_PRESS: Duration = Duration::from_millis(800);

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
        // The whole path must lie inside the window: WebDriver refuses a pointer moved past
        // its edge (with an empty message). So the handle goes where the path fits, with room
        // kept clear of the header and the Add button.
        const PLACE: &str = r#"
            const [handle, dy, margin] = arguments;
            const middle = () => { const b = handle.getBoundingClientRect(); return b.top + b.height / 2; };
            const want = dy < 0 ? Math.min(innerHeight - margin, margin - dy) : Math.max(margin, innerHeight - margin - dy);
            handle.scrollIntoView({ block: 'center' });
            window.scrollBy(0, middle() - want);
            return [middle(), innerHeight];
        "#;
        let placed = self
            .driver
            .execute(
                PLACE,
                vec![handle.as_argument()?, dy.into(), EDGE_MARGIN.into()],
            )
            .await?;
        let (start, height) = (
            placed[0].as_f64().context("no handle position")?,
            placed[1].as_f64().context("no window height")?,
        );
        anyhow::ensure!(
            (0.0..=height).contains(&(start + dy)),
            "a drag of {dy} px from y = {start} leaves the {height} px window"
        );
        let mut steps = vec![
            PointerAction::MoveToElement {
                element: handle.element(),
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
        self.send_pointer(
            &format!("drag {account_id} by {dy} with the {by:?}"),
            steps,
            by,
        )
        .await
    }

    /// Holds `by` still on the account `account_id`'s row for longer than a long press.
    pub async fn long_press(&self, account_id: &str, by: Pointer) -> Result<()> {
        let row = self
            .wait_for(&format!("[data-account-id='{account_id}'] button.main"))
            .await?;
        let steps = [
            PointerAction::MoveToElement {
                element: row.element(),
                duration: None,
                x: 0.0,
                y: 0.0,
            },
            PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            },
            PointerAction::Pause {
                duration: LONG_PRESS,
            },
            PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            },
        ];
        self.send_pointer(&format!("long press on {account_id}"), steps, by)
            .await
    }

    /// Opens the menu of the account `account_id` with its button and chooses `item`
    /// (`edit`, `move`, `delete`).
    pub async fn row_menu(&self, account_id: &str, item: &str) -> Result<()> {
        self.click(&format!(
            "[data-account-id='{account_id}'] [data-testid=row-menu]"
        ))
        .await?;
        self.choose_in_menu(item).await
    }

    /// Chooses `item` in the row menu that is open.
    pub async fn choose_in_menu(&self, item: &str) -> Result<()> {
        self.click(&format!("[role=menu] [data-testid=menu-{item}]"))
            .await?;
        self.wait_gone("[role=menu]").await
    }

    /// Move, in the menu of `account_id`: the list shows its handles.
    pub async fn start_reordering(&self, account_id: &str) -> Result<()> {
        self.row_menu(account_id, "move").await?;
        self.wait_for("[data-testid=reorder-bar]").await.map(|_| ())
    }

    /// Done: the rows are rows again.
    pub async fn finish_reordering(&self) -> Result<()> {
        self.click("[data-testid=reorder-done]").await?;
        self.wait_gone("[data-testid=reorder-bar]").await
    }

    async fn send_pointer(
        &self,
        what: &str,
        steps: impl IntoIterator<Item = PointerAction>,
        by: Pointer,
    ) -> Result<()> {
        match by {
            Pointer::Mouse => {
                let actions = steps
                    .into_iter()
                    .fold(MouseActions::new("mouse".into()), |a, s| a.then(s));
                self.driver.perform_actions(what, actions).await
            }
            Pointer::Finger => {
                let actions = steps
                    .into_iter()
                    .fold(TouchActions::new("finger".into()), |a, s| a.then(s));
                self.driver.perform_actions(what, actions).await
            }
        }
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
            .driver
            .execute(DISTANCE, vec![account_id.into(), past_id.into()])
            .await?
            .as_f64()
            .context("no distance between the rows")?;
        self.drag_account(account_id, dy, by).await
    }

    /// Waits until the account rows show in `expected` order (their ids, top to bottom).
    pub async fn wait_for_order(&self, expected: &[&str]) -> Result<()> {
        let what = format!("the rows in order {expected:?}");
        self.eventually(&what, Duration::from_secs(5), || async {
            let order = self.account_order().await?;
            Ok(Look::when(order == expected, || format!("{order:?}")))
        })
        .await
    }

    /// The ids of the account rows, top to bottom.
    pub async fn account_order(&self) -> Result<Vec<String>> {
        Ok(self.accounts().await?.into_iter().map(|r| r.id).collect())
    }
}
