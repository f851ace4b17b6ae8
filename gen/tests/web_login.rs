//! The reference service's pages through its router: the login form, CSRF, wrong and right
//! passwords, the signed-in page, logging out, languages and headers.

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use pocket_gen::service::{COOKIE, LoginService, PRESESSION_COOKIE, app};
use url::Url;

use crate::common::web::{Browser, csrf_of};

const EMAIL: &str = "alice@example.com";
const PASSWORD: &str = "a long enough password";

fn service() -> (Router, Arc<LoginService>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let base = Url::parse("http://127.0.0.1:8080/").unwrap();
    let service = LoginService::open(
        &dir.path().join("service.sqlite"),
        &base,
        "Pocket reference",
    )
    .unwrap();
    service.users.add(EMAIL, PASSWORD).unwrap();
    let service = Arc::new(service);
    (app(service.clone()), service, dir)
}

#[tokio::test]
async fn logging_in_and_out() {
    let (router, _service, _dir) = service();
    let mut browser = Browser::new(&router);
    let form = browser.get("/login").await;
    assert_eq!(form.status, StatusCode::OK);
    let visit = form
        .cookies
        .iter()
        .find(|c| c.starts_with(PRESESSION_COOKIE))
        .expect("a visitor cookie");
    assert!(
        visit.contains("HttpOnly") && visit.contains("SameSite=Strict"),
        "{visit}"
    );
    assert!(
        form.csp
            .as_deref()
            .unwrap_or("")
            .contains("frame-ancestors 'none'")
    );
    let csrf = csrf_of(&form.body);

    // A forged form (no or another CSRF token) is refused.
    let forged = browser
        .post(
            "/login",
            &[("email", EMAIL), ("password", PASSWORD), ("csrf", "forged")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // A wrong password: a clear message, and what was typed comes back escaped.
    let wrong = browser
        .post(
            "/login",
            &[
                ("email", "<b>alice</b>@example.com"),
                ("password", "nope"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(
        wrong.body.contains("not right")
            && wrong.body.contains("&lt;b&gt;alice")
            && !wrong.body.contains("<b>alice")
    );
    assert!(browser.cookie(COOKIE).is_none(), "no session before login");

    // The right one: a session, and the account page.
    let right = browser
        .post(
            "/login",
            &[("email", EMAIL), ("password", PASSWORD), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    assert_eq!(right.location.as_deref(), Some("/"));
    assert!(right.session_cookie().is_some());
    let home = browser.get("/").await;
    assert!(
        home.body
            .contains("logged in as <strong>alice@example.com</strong>"),
        "{}",
        home.body
    );

    // Logging out needs the token too, then ends the session.
    assert_eq!(
        browser.post("/logout", &[("csrf", "forged")]).await.status,
        StatusCode::FORBIDDEN
    );
    let csrf = csrf_of(&home.body);
    let out = browser.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.location.as_deref(), Some("/login"));
    assert_eq!(browser.get("/").await.location.as_deref(), Some("/login"));
}

#[tokio::test]
async fn pages_speak_dutch_to_dutch_browsers() {
    let (router, _service, _dir) = service();
    let mut browser = Browser::new(&router).speaking("nl-NL,nl;q=0.9,en;q=0.8");
    let form = browser.get("/login").await;
    assert!(form.body.contains("lang=\"nl\"") && form.body.contains("Wachtwoord"));
    let wrong = browser.log_in(EMAIL, "fout").await;
    assert!(wrong.body.contains("klopt niet"), "{}", wrong.body);
}
