//! The reference service's pages through its router: the login form, CSRF, wrong and right
//! passwords, the signed-in page, logging out, languages and headers.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use pocket_gen::service::{Service, app};
use url::Url;

mod common;
use common::web::{csrf_of, get, post, send, session_of};

fn service() -> (Router, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let base = Url::parse("http://127.0.0.1:8080/").unwrap();
    let service = Service::open(
        &dir.path().join("service.sqlite"),
        &base,
        "Pocket reference",
    )
    .unwrap();
    service
        .users
        .add("alice@example.com", "a long enough password")
        .unwrap();
    (app(Arc::new(service)), dir)
}

#[tokio::test]
async fn logging_in_and_out() {
    let (router, _dir) = service();
    let form = send(&router, get("/login", None)).await;
    assert_eq!(form.status, StatusCode::OK);
    let cookie = form.cookie.clone().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(
        form.csp
            .as_deref()
            .unwrap_or("")
            .contains("frame-ancestors 'none'")
    );
    let (session, csrf) = (session_of(&form), csrf_of(&form.body));

    // A forged form (no or another CSRF token) is refused.
    let forged = send(
        &router,
        post(
            "/login",
            &session,
            &[
                ("email", "alice@example.com"),
                ("password", "a long enough password"),
                ("csrf", "forged"),
            ],
        ),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // A wrong password: a clear message, and what was typed comes back escaped.
    let wrong = send(
        &router,
        post(
            "/login",
            &session,
            &[
                ("email", "<b>alice</b>@example.com"),
                ("password", "nope"),
                ("csrf", &csrf),
            ],
        ),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(
        wrong.body.contains("not right")
            && wrong.body.contains("&lt;b&gt;alice")
            && !wrong.body.contains("<b>alice")
    );

    // The right one: a new session id, and the account page.
    let right = send(
        &router,
        post(
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
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    assert_eq!(right.location.as_deref(), Some("/"));
    let signed_in = session_of(&right);
    assert_ne!(signed_in, session, "the session id changes at sign-in");
    let home = send(&router, get("/", Some(&signed_in))).await;
    assert!(
        home.body
            .contains("logged in as <strong>alice@example.com</strong>"),
        "{}",
        home.body
    );
    let old = send(&router, get("/", Some(&session))).await;
    assert_eq!(old.location.as_deref(), Some("/login"));

    // Logging out needs the token too, then ends the session.
    assert_eq!(
        send(&router, post("/logout", &signed_in, &[("csrf", "forged")]))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let csrf = csrf_of(&home.body);
    let out = send(&router, post("/logout", &signed_in, &[("csrf", &csrf)])).await;
    assert_eq!(out.location.as_deref(), Some("/login"));
    assert_eq!(
        send(&router, get("/", Some(&signed_in)))
            .await
            .location
            .as_deref(),
        Some("/login")
    );
}

#[tokio::test]
async fn pages_speak_dutch_to_dutch_browsers_and_guessing_is_limited() {
    let (router, _dir) = service();
    let dutch = Request::get("/login")
        .header(header::ACCEPT_LANGUAGE, "nl-NL,nl;q=0.9,en;q=0.8")
        .body(Body::empty())
        .unwrap();
    let form = send(&router, dutch).await;
    assert!(form.body.contains("lang=\"nl\"") && form.body.contains("Wachtwoord"));
    let (session, csrf) = (session_of(&form), csrf_of(&form.body));
    for _ in 0..5 {
        let reply = send(
            &router,
            post(
                "/login",
                &session,
                &[
                    ("email", "alice@example.com"),
                    ("password", "guess"),
                    ("csrf", &csrf),
                ],
            ),
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let limited = send(
        &router,
        post(
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
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
}
