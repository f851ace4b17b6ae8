//! The page object's layout chores: window sizes that really take, text size, the screens one
//! by one, and what runs past the viewport.

use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use serde_json::json;

use super::app::App;
use super::app_keyboard::ESCAPE;
use super::deadline::{Look, holds_within};

/// What the page measures of itself.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub width: u32,
    pub height: u32,
    pub pixel_ratio: f64,
}

impl App {
    pub async fn viewport(&self) -> Result<Viewport> {
        let v = self
            .run_script("return [innerWidth, innerHeight, devicePixelRatio];")
            .await?;
        Ok(Viewport {
            width: v[0].as_u64().context("innerWidth")? as u32,
            height: v[1].as_u64().context("innerHeight")? as u32,
            pixel_ratio: v[2].as_f64().context("devicePixelRatio")?,
        })
    }

    /// Resizes the window until the page has `width` × `height` CSS pixels, and fails when
    /// the window does not take that size: a resize request is not proof that it happened.
    pub async fn resize(&self, width: u32, height: u32) -> Result<()> {
        let (mut outer_w, mut outer_h) = (width, height);
        for _ in 0..5 {
            self.driver.set_window_size(outer_w, outer_h).await?;
            let took = holds_within(
                &format!("the page to be {width}×{height}"),
                Duration::from_secs(3),
                || async {
                    let seen = self.viewport().await?;
                    Ok(Look::when(
                        (seen.width, seen.height) == (width, height),
                        || format!("{}×{}", seen.width, seen.height),
                    ))
                },
            )
            .await?;
            if took.is_some() {
                return Ok(());
            }
            // Window decorations, where a window manager adds them, come out of the page: ask
            // for that much more.
            let seen = self.viewport().await?;
            outer_w = (outer_w + width).saturating_sub(seen.width).max(1);
            outer_h = (outer_h + height).saturating_sub(seen.height).max(1);
        }
        let seen = self.viewport().await?;
        bail!(
            "the window did not take {width}×{height}: the page is {}×{}",
            seen.width,
            seen.height
        )
    }

    /// The text size a phone's accessibility setting asks for, as a percentage: every size in
    /// the interface is set in rem, so this scales all text as the system setting does.
    pub async fn set_text_size(&self, percent: u32) -> Result<()> {
        self.driver
            .execute(
                "document.documentElement.style.fontSize = arguments[0] + '%';",
                vec![json!(percent)],
            )
            .await?;
        Ok(())
    }

    /// Elements that reach past the viewport's sides, that an ancestor cuts off, or whose
    /// text runs out of them, each described for the failure message; empty when all fits.
    pub async fn overflowing(&self) -> Result<Vec<String>> {
        const FIND: &str = r#"
            const width = document.documentElement.clientWidth;
            const out = [];
            const name = (e) => e.tagName.toLowerCase() + (e.dataset.testid ? `[${e.dataset.testid}]` : '')
                + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '');
            if (document.documentElement.scrollWidth > width)
                out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth}px in ${width}px`);
            for (const e of document.querySelectorAll('body *')) {
                const r = e.getBoundingClientRect();
                if (r.width === 0 || r.height === 0) continue;
                const style = getComputedStyle(e);
                if (style.visibility === 'hidden' || e.closest('.visually-hidden')) continue;
                if (r.right > width + 0.5 || r.left < -0.5) {
                    out.push(`${name(e)} spans ${Math.round(r.left)}..${Math.round(r.right)} in ${width}px`);
                    continue;
                }
                for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                    const s = getComputedStyle(a);
                    if (s.overflowX === 'visible' || s.textOverflow === 'ellipsis') continue;
                    const box = a.getBoundingClientRect();
                    if (r.right > box.right + 0.5 || r.left < box.left - 0.5)
                        out.push(`${name(e)} is cut off by ${name(a)}`);
                    break;
                }
            }
            // Text that runs out of its own box (a word too long for it) lies over whatever is
            // beside it; clipped text (an ellipsis, a clamp) is meant and is left out.
            for (const e of document.querySelectorAll('body *')) {
                const style = getComputedStyle(e);
                if (style.overflowX !== 'visible' || e.closest('.visually-hidden')) continue;
                const box = e.getBoundingClientRect();
                if (box.width === 0) continue;
                for (const node of e.childNodes) {
                    if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
                    const range = document.createRange();
                    range.selectNodeContents(node);
                    const t = range.getBoundingClientRect();
                    if (t.right > box.right + 1 || t.left < box.left - 1)
                        out.push(`the text of ${name(e)} runs out of it: ${Math.round(t.left)}..${Math.round(t.right)} in ${Math.round(box.left)}..${Math.round(box.right)}`);
                }
            }
            // Nothing of a fixed layer (a dialog, the prompt) may hang below the window: it
            // cannot be scrolled to.
            const height = document.documentElement.clientHeight;
            for (const layer of document.querySelectorAll('body *')) {
                if (getComputedStyle(layer).position !== 'fixed') continue;
                for (const e of [layer, ...layer.querySelectorAll('*')]) {
                    const r = e.getBoundingClientRect();
                    if (r.height === 0 || e.closest('.visually-hidden')) continue;
                    let scrolls = false;
                    for (let a = e.parentElement; a && a !== layer.parentElement; a = a.parentElement)
                        if (/auto|scroll/.test(getComputedStyle(a).overflowY)) scrolls = true;
                    if (!scrolls && (r.bottom > height + 0.5 || r.top < -0.5))
                        out.push(`${name(e)} spans ${Math.round(r.top)}..${Math.round(r.bottom)} in a fixed layer of a ${height}px window`);
                }
            }
            return out.slice(0, 20);
        "#;
        let found = self.run_script(FIND).await?;
        Ok(serde_json::from_value(found)?)
    }

    /// Fails unless everything on the screen fits the viewport.
    pub async fn ensure_fits(&self, what: &str) -> Result<()> {
        let problems = self.overflowing().await?;
        ensure!(
            problems.is_empty(),
            "{what} does not fit:\n  {}",
            problems.join("\n  ")
        );
        Ok(())
    }

    /// A screenshot that must show exactly the viewport: its size in pixels is the viewport's
    /// CSS size times the device pixel ratio.
    pub async fn screenshot_of_viewport(&self, path: &std::path::Path) -> Result<()> {
        // Two frames drawn first: a picture taken at once can still show the frame from before
        // the last change (the first run's dark picture came out as light Settings).
        self.driver
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 requestAnimationFrame(() => requestAnimationFrame(() => done(null)));",
                vec![],
            )
            .await?;
        let png = self.driver.screenshot().await?;
        let viewport = self.viewport().await?;
        let (w, h) = png_size(&png)?;
        let expected = (
            (f64::from(viewport.width) * viewport.pixel_ratio).round() as u32,
            (f64::from(viewport.height) * viewport.pixel_ratio).round() as u32,
        );
        ensure!(
            (w, h) == expected,
            "{}: the screenshot is {w}×{h}, the viewport {}×{} at {}×",
            path.display(),
            viewport.width,
            viewport.height,
            viewport.pixel_ratio
        );
        std::fs::write(path, png)?;
        Ok(())
    }

    /// Goes to one of the screens: home, scan, link, key, delete (the confirmation for the
    /// first account), edit (the first account's form), menu (the first account's menu),
    /// reorder (reordering, from the first account), transfer, or history.
    pub async fn show(&self, screen: &str) -> Result<()> {
        self.back_home().await?;
        match screen {
            // The home screen as it is: empty on first run, with the notice after a pairing.
            "home" | "first-run" | "paired" => {}
            "delete" | "edit" => {
                self.click("[data-testid=account] [data-testid=row-menu]")
                    .await?;
                self.choose_in_menu(screen).await?;
                let shown = if screen == "edit" {
                    "edit-form"
                } else {
                    "confirm-delete"
                };
                self.wait_for(&format!("[data-testid={shown}]")).await?;
            }
            "menu" => {
                self.click("[data-testid=account] [data-testid=row-menu]")
                    .await?;
                self.wait_for("[role=menu]").await?;
            }
            "reorder" => {
                self.click("[data-testid=account] [data-testid=row-menu]")
                    .await?;
                self.choose_in_menu("move").await?;
                self.wait_for("[data-testid=reorder-bar]").await?;
            }
            "transfer" => self.open_transfer().await?,
            "settings" => self.open_settings().await?,
            "history" => {
                self.click("[data-testid=open-history]").await?;
                self.wait_for("[data-testid=history-screen]").await?;
            }
            tab => {
                self.open_scan().await?;
                self.click(&format!("[data-testid=tab-{tab}]")).await?;
            }
        }
        Ok(())
    }

    /// Closes whatever screen or dialog is open, back to the account list.
    pub async fn back_home(&self) -> Result<()> {
        if self.exists("[role=menu]").await? {
            self.press(ESCAPE).await?;
            self.wait_gone("[role=menu]").await?;
        }
        if self.exists("[data-testid=reorder-bar]").await? {
            self.click("[data-testid=reorder-done]").await?;
            self.wait_gone("[data-testid=reorder-bar]").await?;
        }
        if self.exists("[data-testid=confirm-delete]").await? {
            self.click("[data-testid=confirm-cancel]").await?;
            self.wait_gone("[data-testid=confirm-delete]").await?;
        }
        if self.exists("[data-testid=edit-form]").await? {
            self.click("[data-testid=edit-cancel]").await?;
            self.wait_gone("[data-testid=edit-form]").await?;
        }
        for screen in [
            "add-screen",
            "transfer-screen",
            "history-screen",
            "settings-screen",
        ] {
            if self.exists(&format!("[data-testid={screen}]")).await? {
                self.click(&format!("[data-testid={screen}] [data-testid=back]"))
                    .await?;
                self.wait_for("[data-testid=add-account]").await?;
            }
        }
        Ok(())
    }

    /// Waits until nothing matches `css`.
    pub async fn wait_gone(&self, css: &str) -> Result<()> {
        self.eventually(
            &format!("`{css}` to go"),
            Duration::from_secs(15),
            || async {
                let there = self.exists(css).await?;
                Ok(Look::when(!there, || "it is still there".into()))
            },
        )
        .await
    }
}

/// Width and height from a PNG's header.
fn png_size(png: &[u8]) -> Result<(u32, u32)> {
    ensure!(
        png.len() > 24 && png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "the screenshot is not a PNG"
    );
    let word = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    Ok((word(16), word(20)))
}
