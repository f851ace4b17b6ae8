//! Switching to Pocket on the security page, then logging in with it: the QR code's link is
//! enrolled by Pocket's own code; logins wait for the phone's answer or take its code.

use axum::http::StatusCode;
use pocket_core::clock::now_unix;
use pocket_core::flows::{enroll, poll_once};
use pocket_core::push::{Answer, PushClient};
use pocket_gen::service::app;

use crate::common::web::{Browser, csrf_of, status_url_of};
use crate::common::{answer_now, phone_vault, start};

const EMAIL: &str = "alice@example.com";
const PASSWORD: &str = "a long enough password";

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start} not in {text}"))
        + start.len();
    text[from..].split(end).next().unwrap()
}

#[tokio::test]
async fn switching_to_pocket_then_logging_in_with_it() {
    let service = start().await;
    service.svc.users.add(EMAIL, PASSWORD).unwrap();
    let router = app(service.svc.clone());

    // Log in with the password alone.
    let mut user_browser = Browser::new(&router);
    let reply = user_browser.log_in(EMAIL, PASSWORD).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);

    // The security page offers the switch; pairing shows a QR code and its link once.
    let security = user_browser.get("/security").await.body;
    assert!(security.contains("Switch to Pocket"));
    let csrf = csrf_of(&security);
    let forged = user_browser
        .post("/security/pair", &[("csrf", "forged")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let pairing = user_browser
        .post("/security/pair", &[("csrf", &csrf)])
        .await;
    assert_eq!(pairing.status, StatusCode::OK);
    let pairing = pairing.body;
    assert!(pairing.contains("<svg") && pairing.contains("data-status-url=\"/security/status\""));
    let link =
        between(&pairing, "data-testid=\"enrollment-link\">", "</code>").replace("&amp;", "&");
    assert_eq!(
        user_browser.get("/security/status").await.body,
        r#"{"state":"waiting"}"#
    );

    // Pocket scans it: a push token, and a code account offered, from one scan.
    let phone_dir = tempfile::tempdir().unwrap();
    let vault = phone_vault(&phone_dir);
    let client = PushClient::new().unwrap();
    let enrolled = enroll(&vault, &client, &link, false, now_unix())
        .await
        .unwrap();
    let code_account = vault
        .lock()
        .unwrap()
        .add(enrolled.offered_account.clone().unwrap(), now_unix())
        .unwrap();

    // The page learns it by itself, and says so from then on.
    assert_eq!(
        user_browser.get("/security/status").await.body,
        r#"{"state":"paired"}"#
    );
    let security = user_browser.get("/security").await.body;
    assert!(security.contains("Pocket is on for your account."));
    let user = service.svc.users.find(EMAIL).unwrap().unwrap();
    assert_eq!(
        user.push_serial.as_deref(),
        Some(enrolled.token.token.serial.as_str())
    );

    // A later login waits for the phone; accepting on it signs the browser in by itself.
    let token_id = enrolled.token.id.clone();
    let mut browser = Browser::new(&router);
    let reply = browser.log_in(EMAIL, PASSWORD).await;
    assert_eq!(reply.location.as_deref(), Some("/login/wait"));
    let status = status_url_of(&browser.get("/login/wait").await.body);
    assert_eq!(browser.get(&status).await.body, r#"{"state":"waiting"}"#);
    let round = poll_once(&vault, &client, now_unix()).await.unwrap();
    let (_, request) = &round.new[0];
    assert_eq!(request.question, "Log in to the Pocket reference service?");
    answer_now(&vault, &client, &token_id, &request.nonce, Answer::Accept).await;
    let accepted = browser.get(&status).await;
    assert_eq!(accepted.body, r#"{"state":"accepted"}"#);
    assert!(
        accepted.session_cookie().is_some(),
        "signed in under a new id"
    );
    let home = browser.get("/").await.body;
    assert!(home.contains(EMAIL));

    // Rejected on the phone: not signed in.
    let mut browser = Browser::new(&router);
    browser.log_in(EMAIL, PASSWORD).await;
    let status = status_url_of(&browser.get("/login/wait").await.body);
    let round = poll_once(&vault, &client, now_unix()).await.unwrap();
    let (_, request) = &round.new[0];
    let decline = Answer::Decline { reason: None };
    answer_now(&vault, &client, &token_id, &request.nonce, decline).await;
    assert_eq!(browser.get(&status).await.body, r#"{"state":"rejected"}"#);
    assert_eq!(browser.get("/").await.status, StatusCode::SEE_OTHER);

    // No notification: the code from Pocket works once.
    let code = vault
        .lock()
        .unwrap()
        .code(&code_account.id, now_unix())
        .unwrap()
        .current;
    for attempt in 0..2 {
        let mut browser = Browser::new(&router);
        browser.log_in(EMAIL, PASSWORD).await;
        let code_page = browser.get("/login/code").await.body;
        let csrf = csrf_of(&code_page);
        let form = [("code", code.as_str()), ("csrf", csrf.as_str())];
        let reply = browser.post("/login/code", &form).await;
        if attempt == 0 {
            assert_eq!(reply.status, StatusCode::SEE_OTHER);
            assert!(
                reply.session_cookie().is_some(),
                "signed in under a new session"
            );
        } else {
            assert_eq!(
                reply.status,
                StatusCode::UNAUTHORIZED,
                "the same code is refused the second time"
            );
            assert!(reply.body.contains("used already"));
        }
    }
}
