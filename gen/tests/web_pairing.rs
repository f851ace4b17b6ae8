//! Switching to Pocket on the security page: the QR code's link is enrolled by Pocket's own
//! code, and the page's status turns to paired by itself.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use pocket_core::clock::now_unix;
use pocket_core::push::{PushClient, enroll};
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

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start} not in {text}"))
        + start.len();
    text[from..].split(end).next().unwrap()
}

#[tokio::test]
async fn switching_to_pocket_pairs_by_itself() {
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
}
