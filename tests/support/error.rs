//! How a harness step fails when time runs out: the step, what it waited for, the limit, and
//! where the picture of the screen went. Tests match on the kind; people read the message.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    /// One request or call that never came back: a WebDriver command, an HTTP request.
    #[error("{step} did not answer within {}{}", Limit(*limit), Picture(screenshot))]
    NoAnswer {
        step: String,
        limit: Duration,
        screenshot: Option<PathBuf>,
    },
    /// A condition polled until its limit without ever holding.
    #[error("{what}: not so within {}; last seen: {last}{}", Limit(*limit), Picture(screenshot))]
    NeverHeld {
        what: String,
        limit: Duration,
        last: String,
        screenshot: Option<PathBuf>,
    },
    /// A subprocess that outlived its limit; it was killed with its process group.
    #[error("{command} still running after {}, killed{}", Limit(*limit), Output(output))]
    Killed {
        command: String,
        limit: Duration,
        /// What it had written to standard error by then.
        output: String,
    },
}

impl HarnessError {
    /// The kind of `error`, when a harness deadline is what made it.
    pub fn of(error: &anyhow::Error) -> Option<&HarnessError> {
        error.chain().find_map(|cause| cause.downcast_ref())
    }
}

/// A limit as people say it: "30 s", "500 ms".
pub struct Limit(pub Duration);

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let millis = self.0.as_millis();
        if millis.is_multiple_of(1000) {
            write!(f, "{} s", millis / 1000)
        } else {
            write!(f, "{millis} ms")
        }
    }
}

struct Picture<'a>(&'a Option<PathBuf>);

impl fmt::Display for Picture<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(path) => write!(f, " (screen: {})", path.display()),
            None => Ok(()),
        }
    }
}

struct Output<'a>(&'a str);

impl fmt::Display for Output<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tail = self.0.trim();
        if tail.is_empty() {
            return Ok(());
        }
        // The end is what says where it stopped.
        let start = tail.char_indices().rev().nth(600).map_or(0, |(at, _)| at);
        write!(f, "; it wrote: {}", &tail[start..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_read_as_people_say_them() {
        assert_eq!(Limit(Duration::from_secs(30)).to_string(), "30 s");
        assert_eq!(Limit(Duration::from_millis(1500)).to_string(), "1500 ms");
    }

    #[test]
    fn a_missed_deadline_names_the_step_the_limit_and_the_picture() {
        let error = HarnessError::NoAnswer {
            step: "WebDriver find `button.accept`".into(),
            limit: Duration::from_secs(30),
            screenshot: Some("/tmp/shot.png".into()),
        };
        assert_eq!(
            error.to_string(),
            "WebDriver find `button.accept` did not answer within 30 s (screen: /tmp/shot.png)"
        );
        let killed = HarnessError::Killed {
            command: "xclip -out".into(),
            limit: Duration::from_secs(10),
            output: String::new(),
        };
        assert_eq!(
            killed.to_string(),
            "xclip -out still running after 10 s, killed"
        );
    }

    #[test]
    fn the_kind_is_found_under_added_context() {
        let error = anyhow::Error::new(HarnessError::Killed {
            command: "x".into(),
            limit: Duration::from_secs(1),
            output: String::new(),
        })
        .context("while reading the clipboard");
        assert!(matches!(
            HarnessError::of(&error),
            Some(HarnessError::Killed { .. })
        ));
    }
}
