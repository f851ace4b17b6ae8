//! The page object's push-login chores: the token in the list, the prompt, the answer.

use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::app::App;

impl App {
    /// Waits for a push token with `serial` in the account list.
    pub async fn wait_for_push_token(&self, serial: &str) -> Result<()> {
        self.wait_for(&format!("[data-testid=push-token][data-serial='{serial}']"))
            .await?;
        Ok(())
    }

    /// Waits for the login request prompt; returns its question.
    pub async fn wait_for_push_prompt(&self) -> Result<String> {
        let prompt = self
            .driver
            .wait_for_within("[data-testid=push-prompt]", Duration::from_secs(30))
            .await?;
        prompt
            .find("[data-testid=push-question]")
            .await?
            .context("a prompt without its question")?
            .text()
            .await
    }

    /// Taps Accept or Reject; returns the outcome the app then shows, and leaves it shown.
    pub async fn answer_push_keeping_outcome(&self, accept: bool) -> Result<String> {
        self.click(if accept {
            "[data-testid=push-accept]"
        } else {
            "[data-testid=push-reject]"
        })
        .await?;
        let outcome = self.wait_for("[data-testid=push-outcome]").await?;
        Ok(outcome.attr("data-outcome").await?.unwrap_or_default())
    }

    /// Number matching: the numbers the prompt offers, in order.
    pub async fn push_choices(&self) -> Result<Vec<String>> {
        let mut numbers = Vec::new();
        for choice in self.driver.find_all("[data-testid=push-choice]").await? {
            numbers.push(choice.text().await?.trim().to_string());
        }
        Ok(numbers)
    }

    /// Number matching: taps the choice showing `number`; returns the outcome shown.
    pub async fn pick_push_number(&self, number: &str) -> Result<String> {
        let choices = self.driver.find_all("[data-testid=push-choice]").await?;
        let mut picked = false;
        for choice in choices {
            if choice.text().await?.trim() == number {
                choice.click().await?;
                picked = true;
                break;
            }
        }
        if !picked {
            bail!("the prompt offers no {number}");
        }
        let outcome = self.wait_for("[data-testid=push-outcome]").await?;
        Ok(outcome.attr("data-outcome").await?.unwrap_or_default())
    }

    pub async fn dismiss_push_outcome(&self) -> Result<()> {
        self.click("[data-testid=push-done]").await
    }

    /// Taps Accept or Reject on the prompt; returns the outcome the app then shows.
    pub async fn answer_push(&self, accept: bool) -> Result<String> {
        let shown = self.answer_push_keeping_outcome(accept).await?;
        self.dismiss_push_outcome().await?;
        Ok(shown)
    }
}
