//! Switching to Pocket on the security page, then logging in with it: the QR code's link is
//! enrolled by Pocket's own code; logins wait for the phone's answer or take its code.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use pocket_core::clock::now_unix;
use pocket_core::push::{Answer, PushClient, answer, enroll, poll_once};
use pocket_core::vault::{MemoryStore, Vault};
use pocket_gen::service::{COOKIE, Service, app};
use tower::ServiceExt;
use url::Url;

async fn send(router: &Router, request: Request<Body>) -> (StatusCode, String, Option<String>) {
    let response = router.clone().oneshot(request).await.unwrap();
    let cookie = response
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned(), cookie)
}

fn with_session(
    builder: axum::http::request::Builder,
    session: &str,
) -> axum::http::request::Builder {
    builder.header(header::COOKIE, format!("{COOKIE}={session}"))
}

fn form(path: &str, session: &str, pairs: &[(&str, &str)]) -> Request<Body> {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    with_session(Request::post(path), session)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap()
}

/// A fresh browser logs in with the password; returns where it was sent and its session.
async fn log_in(router: &Router) -> (String, String) {
    let (_, login, cookie) =
        send(router, Request::get("/login").body(Body::empty()).unwrap()).await;
    let session = between(cookie.as_deref().unwrap(), "=", ";").to_string();
    let csrf = between(&login, "name=\"csrf\" value=\"", "\"").to_string();
    let pairs = [
        ("email", "alice@example.com"),
        ("password", "a long enough password"),
        ("csrf", csrf.as_str()),
    ];
    let response = router
        .clone()
        .oneshot(form("/login", &session, &pairs))
        .await
        .unwrap();
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (location, session)
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start} not in {text}"))
        + start.len();
    text[from..].split(end).next().unwrap()
}

#[tokio::test]
async fn switching_to_pocket_then_logging_in_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    let service = Arc::new(
        Service::open(
            &dir.path().join("service.sqlite"),
            &base,
            "Pocket reference",
        )
        .unwrap(),
    );
    service
        .users
        .add("alice@example.com", "a long enough password")
        .unwrap();
    let router = app(service.clone());
    let served = router.clone();
    tokio::spawn(async move { axum::serve(listener, served).await });

    // Log in.
    let (_, login, cookie) =
        send(&router, Request::get("/login").body(Body::empty()).unwrap()).await;
    let session = between(cookie.as_deref().unwrap(), "=", ";").to_string();
    let csrf = between(&login, "name=\"csrf\" value=\"", "\"").to_string();
    let (status, _, cookie) = send(
        &router,
        form(
            "/login",
            &session,
            &[
                ("email", "alice@example.com"),
                ("password", "a long enough password"),
                ("csrf", &csrf),
            ],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let session = between(cookie.as_deref().unwrap(), "=", ";").to_string();

    // The security page offers the switch; pairing shows a QR code and its link once.
    let (_, security, _) = send(
        &router,
        with_session(Request::get("/security"), &session)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(security.contains("Switch to Pocket"));
    let csrf = between(&security, "name=\"csrf\" value=\"", "\"").to_string();
    assert_eq!(
        send(
            &router,
            form("/security/pair", &session, &[("csrf", "forged")])
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let (status, pairing, _) = send(
        &router,
        form("/security/pair", &session, &[("csrf", &csrf)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(pairing.contains("<svg") && pairing.contains("data-status-url=\"/security/status\""));
    let link =
        between(&pairing, "data-testid=\"enrollment-link\">", "</code>").replace("&amp;", "&");
    let status_of = || async {
        let (_, body, _) = send(
            &router,
            with_session(Request::get("/security/status"), &session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        body
    };
    assert_eq!(status_of().await, r#"{"state":"waiting"}"#);

    // Pocket scans it: a push token and a code account, from one scan.
    let phone_dir = tempfile::tempdir().unwrap();
    let vault = Vault::open(
        &phone_dir.path().join("phone.sqlite"),
        Box::new(MemoryStore::default()),
    )
    .unwrap();
    let vault = Arc::new(Mutex::new(vault));
    let enrolled = enroll(
        &vault,
        &PushClient::new().unwrap(),
        &link,
        false,
        now_unix(),
    )
    .await
    .unwrap();
    assert!(enrolled.fallback_account.is_some());

    // The page learns it by itself, and says so from then on.
    assert_eq!(status_of().await, r#"{"state":"paired"}"#);
    let (_, security, _) = send(
        &router,
        with_session(Request::get("/security"), &session)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(security.contains("Pocket is on for your account."));
    let user = service.users.find("alice@example.com").unwrap().unwrap();
    assert_eq!(
        user.push_serial.as_deref(),
        Some(enrolled.token.token.serial.as_str())
    );

    // A later login waits for the phone; accepting on it signs the browser in by itself.
    let client = PushClient::new().unwrap();
    let token_id = enrolled.token.id.clone();
    let (location, browser) = log_in(&router).await;
    assert_eq!(location, "/login/wait");
    let status = |session: String| {
        let router = router.clone();
        async move {
            let response = router
                .oneshot(
                    with_session(Request::get("/login/status"), &session)
                        .body(Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap();
            let cookie = response
                .headers()
                .get(header::SET_COOKIE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let body = axum::body::to_bytes(response.into_body(), 1 << 16)
                .await
                .unwrap();
            (String::from_utf8_lossy(&body).into_owned(), cookie)
        }
    };
    assert_eq!(status(browser.clone()).await.0, r#"{"state":"waiting"}"#);
    let round = poll_once(&vault, &client, now_unix()).await.unwrap();
    let (_, request) = &round.new[0];
    assert_eq!(request.question, "Log in to the Pocket reference service?");
    answer(
        &vault,
        &client,
        &token_id,
        &request.nonce,
        Answer::Accept,
        now_unix(),
    )
    .await
    .unwrap();
    let (body, cookie) = status(browser.clone()).await;
    assert_eq!(body, r#"{"state":"accepted"}"#);
    let signed_in = between(cookie.as_deref().unwrap(), "=", ";").to_string();
    let (_, home, _) = send(
        &router,
        with_session(Request::get("/"), &signed_in)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(home.contains("alice@example.com"));

    // Rejected on the phone: not signed in.
    let (_, browser) = log_in(&router).await;
    let round = poll_once(&vault, &client, now_unix()).await.unwrap();
    let (_, request) = &round.new[0];
    answer(
        &vault,
        &client,
        &token_id,
        &request.nonce,
        Answer::Decline { reason: None },
        now_unix(),
    )
    .await
    .unwrap();
    assert_eq!(status(browser.clone()).await.0, r#"{"state":"rejected"}"#);
    let (status_code, _, _) = send(
        &router,
        with_session(Request::get("/"), &browser)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status_code, StatusCode::SEE_OTHER);

    // No notification: the code from Pocket works once.
    let code = vault
        .lock()
        .unwrap()
        .code(&enrolled.fallback_account.unwrap().id, now_unix())
        .unwrap()
        .current;
    let (_, browser) = log_in(&router).await;
    let (_, code_page, _) = send(
        &router,
        with_session(Request::get("/login/code"), &browser)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let csrf = between(&code_page, "name=\"csrf\" value=\"", "\"").to_string();
    let (status_code, _, cookie) = send(
        &router,
        form("/login/code", &browser, &[("code", &code), ("csrf", &csrf)]),
    )
    .await;
    assert_eq!(status_code, StatusCode::SEE_OTHER);
    assert!(cookie.is_some(), "signed in under a new session");
    let (_, again) = log_in(&router).await;
    let (_, code_page, _) = send(
        &router,
        with_session(Request::get("/login/code"), &again)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let csrf = between(&code_page, "name=\"csrf\" value=\"", "\"").to_string();
    let (status_code, body, _) = send(
        &router,
        form("/login/code", &again, &[("code", &code), ("csrf", &csrf)]),
    )
    .await;
    assert_eq!(
        status_code,
        StatusCode::UNAUTHORIZED,
        "the same code is refused the second time"
    );
    assert!(body.contains("used already"));
}
