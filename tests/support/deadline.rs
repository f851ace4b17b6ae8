//! Every wait in the harness has a deadline: `within` for one call that may never return,
//! `eventually` for a condition polled until it holds.

use std::future::Future;
use std::time::Duration;

use anyhow::Result;
use tokio::time::Instant;

use super::error::HarnessError;

/// The first pause between two looks; each pause doubles up to `LONGEST_PAUSE`, so a
/// condition that holds soon is seen soon and a slow one is not asked too often.
const FIRST_PAUSE: Duration = Duration::from_millis(25);
const LONGEST_PAUSE: Duration = Duration::from_millis(250);
const LOOK_GRACE: Duration = Duration::from_secs(5);

/// `call`, failing with [`HarnessError::NoAnswer`] for `step` once `limit` has passed.
pub async fn within<T>(
    step: impl Into<String>,
    limit: Duration,
    call: impl Future<Output = Result<T>>,
) -> Result<T> {
    match tokio::time::timeout(limit, call).await {
        Ok(result) => result,
        Err(_) => Err(HarnessError::NoAnswer {
            step: step.into(),
            limit,
            screenshot: None,
        }
        .into()),
    }
}

/// One look at a condition: done with its value, or not yet, with what was seen instead (the
/// failure message quotes the last one).
pub enum Look<T> {
    Done(T),
    NotYet(String),
}

impl Look<()> {
    /// Done when `holds`; otherwise `seen` describes what there was.
    pub fn when(holds: bool, seen: impl FnOnce() -> String) -> Look<()> {
        if holds {
            Look::Done(())
        } else {
            Look::NotYet(seen())
        }
    }
}

impl<T> Look<T> {
    /// Done with the value when there is one; otherwise `seen` describes what there was.
    pub fn found(value: Option<T>, seen: impl FnOnce() -> String) -> Look<T> {
        match value {
            Some(value) => Look::Done(value),
            None => Look::NotYet(seen()),
        }
    }
}

/// Looks with `check` until it is done, or fails with [`HarnessError::NeverHeld`] after
/// `limit`. A look that fails ends the wait with its error. A look may finish a little past
/// the deadline (up to `limit` again, at most `LOOK_GRACE`), so that the wait never fails
/// without a last look; one that takes longer ends the wait as never held.
pub async fn eventually<T, F, Fut>(what: &str, limit: Duration, mut check: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Look<T>>>,
{
    let deadline = Instant::now() + limit;
    let grace = limit.min(LOOK_GRACE);
    let mut pause = FIRST_PAUSE;
    let mut last = String::from("nothing yet");
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left + grace, check()).await {
            Ok(Ok(Look::Done(value))) => return Ok(value),
            Ok(Ok(Look::NotYet(seen))) => last = seen,
            Ok(Err(error)) => return Err(error.context(format!("while waiting for {what}"))),
            Err(_) => last = format!("{last} (then a look did not come back)"),
        }
        if Instant::now() >= deadline {
            return Err(HarnessError::NeverHeld {
                what: what.to_string(),
                limit,
                last,
                screenshot: None,
            }
            .into());
        }
        let left = deadline.saturating_duration_since(Instant::now());
        tokio::time::sleep(pause.min(left)).await;
        pause = (pause * 2).min(LONGEST_PAUSE);
    }
}

/// `eventually`, for a wait that may run out without that being a failure: `None` when the
/// condition did not hold within `limit`; a look that failed is still an error.
pub async fn holds_within<T, F, Fut>(what: &str, limit: Duration, check: F) -> Result<Option<T>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Look<T>>>,
{
    match eventually(what, limit, check).await {
        Ok(value) => Ok(Some(value)),
        Err(error)
            if error.chain().count() == 1
                && matches!(
                    HarnessError::of(&error),
                    Some(HarnessError::NeverHeld { .. })
                ) =>
        {
            Ok(None)
        }
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test]
    async fn a_call_that_never_returns_fails_at_its_limit_naming_the_step() {
        let started = std::time::Instant::now();
        let error = within(
            "the fake call",
            Duration::from_millis(200),
            std::future::pending::<Result<()>>(),
        )
        .await
        .expect_err("a pending call cannot succeed");
        assert!(started.elapsed() < Duration::from_secs(2));
        assert!(matches!(
            HarnessError::of(&error),
            Some(HarnessError::NoAnswer { step, .. }) if step == "the fake call"
        ));
    }

    #[tokio::test]
    async fn eventually_returns_the_value_once_the_condition_holds() -> Result<()> {
        let looks = AtomicU32::new(0);
        let value = eventually("the third look", Duration::from_secs(5), || async {
            let n = looks.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(Look::found((n >= 3).then_some(n), || format!("look {n}")))
        })
        .await?;
        assert_eq!(value, 3);
        Ok(())
    }

    #[tokio::test]
    async fn eventually_fails_with_what_it_last_saw() {
        let error = eventually("a green light", Duration::from_millis(300), || async {
            Ok(Look::<()>::NotYet("red".into()))
        })
        .await
        .expect_err("never green");
        match HarnessError::of(&error) {
            Some(HarnessError::NeverHeld { what, last, .. }) => {
                assert_eq!((what.as_str(), last.as_str()), ("a green light", "red"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn a_look_that_hangs_cannot_hold_the_wait_past_its_limit() {
        let started = std::time::Instant::now();
        let error = eventually("a look that hangs", Duration::from_millis(300), || {
            std::future::pending::<Result<Look<()>>>()
        })
        .await
        .expect_err("never answers");
        assert!(started.elapsed() < Duration::from_secs(2));
        assert!(matches!(
            HarnessError::of(&error),
            Some(HarnessError::NeverHeld { .. })
        ));
    }

    #[tokio::test]
    async fn a_failed_look_ends_the_wait_with_its_own_error() {
        let error = eventually("anything", Duration::from_secs(5), || async {
            Err::<Look<()>, _>(anyhow::anyhow!("the page is gone"))
        })
        .await
        .expect_err("the look failed");
        assert!(HarnessError::of(&error).is_none());
        assert!(format!("{error:#}").contains("the page is gone"));
    }
}
