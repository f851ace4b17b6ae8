//! The system notification for a login request. Its words come from the server, and Linux
//! notification servers render markup in them (`<b>`, `<a href>`, `<img src>`): they are
//! turned into plain text first, so a server cannot dress a request up or make the desktop
//! fetch an address.

use super::challenge::PushRequest;

/// Longest title and body shown; the prompt in the app shows the whole text.
const MAX_TITLE_CHARS: usize = 80;
const MAX_BODY_CHARS: usize = 240;

/// Title and body of the notification for `request` from a token of `issuer`.
pub fn notification_text(issuer: &str, request: &PushRequest) -> (String, String) {
    let title = if request.title.trim().is_empty() {
        issuer
    } else {
        &request.title
    };
    (
        plain_text(title, MAX_TITLE_CHARS),
        plain_text(&request.question, MAX_BODY_CHARS),
    )
}

/// `text` without tags and without characters that start markup or entities, control
/// characters as spaces, at most `max` characters.
pub fn plain_text(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let starts_tag = |next: Option<&char>| {
            next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?'))
        };
        match c {
            '<' if !in_tag && starts_tag(chars.peek()) => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            // Look-alikes keep "A & B" and "x < 5" readable without starting markup.
            '&' => out.push('＆'),
            '<' => out.push('‹'),
            '>' => out.push('›'),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.chars().count() > max {
        let mut cut: String = out.chars().take(max - 1).collect();
        cut.push('…');
        cut
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(title: &str, question: &str) -> PushRequest {
        PushRequest {
            serial: "PIPU1".into(),
            nonce: "N".into(),
            title: title.into(),
            question: question.into(),
            presence_options: vec![],
            takes_decline_reason: false,
            received_at: 0,
            expires_at: 120,
        }
    }

    #[test]
    fn server_markup_never_reaches_the_notification() {
        let hostile = request(
            "<b>URGENT</b> Bank",
            "Log in?<img src=\"http://evil.example/x.png\"> <a href=\"http://evil.example\">Tap here</a> &amp; win",
        );
        let (title, body) = notification_text("Corp", &hostile);
        assert_eq!(title, "URGENT Bank");
        assert_eq!(body, "Log in? Tap here ＆amp; win");
        for text in [&title, &body] {
            assert!(!text.contains(['<', '>', '&']), "{text}");
        }
    }

    #[test]
    fn plain_questions_pass_unchanged_and_long_ones_are_cut() {
        let (title, body) = notification_text("Corp", &request(" ", "Log in from\n10.0.0.7?"));
        assert_eq!(
            (title.as_str(), body.as_str()),
            ("Corp", "Log in from 10.0.0.7?")
        );
        let (_, long) = notification_text("Corp", &request("T", &"x".repeat(1000)));
        assert_eq!(long.chars().count(), MAX_BODY_CHARS);
        assert!(long.ends_with('…'));
        assert_eq!(plain_text("2 > 1 < 3", 10), "2 › 1 ‹ 3");
    }
}
