//! Attacks on the reference service's pages, each performed through its router: a session id
//! planted before login, parallel password guessing, a stolen session moving the second
//! factor to another phone, a flood of cookieless requests, and addresses made up in
//! `X-Forwarded-For`.

use std::sync::Arc;

use axum::http::StatusCode;
use pocket_core::clock::now_unix;
use pocket_core::flows::{enroll, poll_once};
use pocket_core::push::{Answer, PushClient};
use pocket_gen::service::{COOKIE, app};

use crate::common::web::{Browser, csrf_of, status_url_of};
use crate::common::{Running, answer_now, phone_vault, start, start_with};

const EMAIL: &str = "alice@example.com";
const PASSWORD: &str = "a long enough password";

/// Alice with Pocket paired: the service, and her phone's vault and client.
async fn paired_alice() -> (
    Running,
    pocket_core::vault::SharedVault,
    PushClient,
    String,
    tempfile::TempDir,
) {
    let service = start().await;
    let user = service.svc.users.add(EMAIL, PASSWORD).unwrap();
    let (serial, uri) = service.svc.push.enroll(EMAIL).unwrap();
    service.svc.users.begin_pairing(user.id, &serial).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let vault = phone_vault(&dir);
    let client = PushClient::new().unwrap();
    let enrolled = enroll(&vault, &client, &uri, false, now_unix())
        .await
        .unwrap();
    service.svc.users.finish_pairing_of(&serial).unwrap();
    (service, vault, client, enrolled.token.id, dir)
}

async fn accept_on_the_phone(
    vault: &pocket_core::vault::SharedVault,
    client: &PushClient,
    token: &str,
) {
    let round = poll_once(vault, client, now_unix()).await.unwrap();
    let (_, request) = round.new.first().expect("a login request");
    let outcome = answer_now(vault, client, token, &request.nonce, Answer::Accept).await;
    assert_eq!(outcome.as_str(), "accepted");
}

#[tokio::test]
async fn a_session_id_planted_before_login_signs_nobody_in() {
    let (service, vault, client, token, _dir) = paired_alice().await;
    let router = app(service.svc.clone());

    // The attacker opens the login page and plants whatever cookies it got in Alice's
    // browser, as any page on 127.0.0.1 can: cookies ignore ports.
    let mut attacker = Browser::from(&router, "127.0.0.1:50001");
    attacker.get("/login").await;
    let planted = attacker.cookies();
    let mut alice = Browser::new(&router);
    for (name, value) in &planted {
        alice.plant(name, value);
    }

    // Alice logs in; her phone accepts.
    let submitted = alice.log_in(EMAIL, PASSWORD).await;
    assert_eq!(submitted.location.as_deref(), Some("/login/wait"));
    assert!(
        planted
            .iter()
            .all(|(name, value)| name != COOKIE || alice.cookie(COOKIE) != Some(value)),
        "the session id did not change"
    );
    let waiting = alice.get("/login/wait").await;
    let status = status_url_of(&waiting.body);
    accept_on_the_phone(&vault, &client, &token).await;

    // The attacker, with what it planted, polls first: nothing to see.
    assert_eq!(
        attacker.get("/login/status").await.status,
        StatusCode::UNAUTHORIZED
    );
    let home = attacker.get("/").await;
    assert!(
        !home.body.contains(EMAIL),
        "the attacker got Alice's account"
    );
    // Even holding Alice's new cookie, a status request without the login's secret fails.
    let mut thief = Browser::from(&router, "127.0.0.1:50002");
    thief.plant(COOKIE, alice.cookie(COOKIE).unwrap());
    assert_eq!(
        thief.get("/login/status").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        thief.get("/login/status?login=guess").await.status,
        StatusCode::UNAUTHORIZED
    );
    // Alice's own page finishes the login.
    assert_eq!(alice.get(&status).await.body, r#"{"state":"accepted"}"#);
    assert!(alice.get("/").await.body.contains(EMAIL));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_are_checked_and_counted_in_one_step() {
    // The brake's clock stands still: its first delay is one second, which a burst that
    // straddles a second's turn would see pass, letting a fourth guess through.
    let service = start_with(|mut service| {
        service.throttle = service.throttle.with_clock(frozen);
        service
    })
    .await;
    service.svc.users.add(EMAIL, PASSWORD).unwrap();
    let router = app(service.svc.clone());
    let mut attacker = Browser::from(&router, "10.9.9.9:40000");
    let page = attacker.get("/login").await;
    let csrf = csrf_of(&page.body);
    let visit = attacker
        .cookie(pocket_gen::service::PRESESSION_COOKIE)
        .unwrap()
        .to_string();

    // Fifty guesses at once, from one client.
    let guesses = (0..50).map(|n| {
        let router = router.clone();
        let (csrf, visit) = (csrf.clone(), visit.clone());
        tokio::spawn(async move {
            let mut browser = Browser::from(&router, "10.9.9.9:40000");
            browser.plant(pocket_gen::service::PRESESSION_COOKIE, &visit);
            let guess = format!("guess number {n}");
            browser
                .post(
                    "/login",
                    &[("email", EMAIL), ("password", &guess), ("csrf", &csrf)],
                )
                .await
                .status
        })
    });
    let mut tried = 0;
    let mut braked = 0;
    for guess in guesses {
        match guess.await.unwrap() {
            StatusCode::UNAUTHORIZED => tried += 1,
            StatusCode::TOO_MANY_REQUESTS => braked += 1,
            other => panic!("{other}"),
        }
    }
    // Three free failures for an account from one client; the rest wait.
    assert_eq!((tried, braked), (3, 47));

    // The real user, from another machine, is not locked out by a stranger.
    let mut alice = Browser::from(&router, "192.168.1.20:50000");
    assert_eq!(
        alice.log_in(EMAIL, PASSWORD).await.location.as_deref(),
        Some("/")
    );
}

#[tokio::test]
async fn a_stolen_session_cannot_move_the_second_factor_to_another_phone() {
    let (service, _vault, _client, _token, _dir) = paired_alice().await;
    let router = app(service.svc.clone());
    // Alice is signed in (after her phone accepted); the thief has her session.
    let session = service
        .svc
        .sessions
        .start(pocket_gen::service::LoginState::SignedIn {
            user_id: service.svc.users.find(EMAIL).unwrap().unwrap().id,
        })
        .unwrap();
    let mut thief = Browser::from(&router, "10.6.6.6:40000");
    thief.plant(COOKIE, &session.id);
    let security = thief.get("/security").await.body;
    assert!(
        security.contains("name=\"password\""),
        "no fresh proof asked for"
    );
    let csrf = csrf_of(&security);

    for form in [
        vec![("csrf", csrf.as_str())],
        vec![("csrf", csrf.as_str()), ("password", "a wrong guess")],
    ] {
        let refused = thief.post("/security/pair", &form).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(!refused.body.contains("enrollment-link"));
    }
    let user = service.svc.users.find(EMAIL).unwrap().unwrap();
    assert_eq!(service.svc.users.pairing_serial(user.id).unwrap(), None);

    // Alice, with her password, can.
    let moved = thief
        .post("/security/pair", &[("csrf", &csrf), ("password", PASSWORD)])
        .await;
    assert!(moved.body.contains("enrollment-link"));
}

#[tokio::test]
async fn cookieless_requests_write_no_session_rows() {
    let service = start().await;
    service.svc.users.add(EMAIL, PASSWORD).unwrap();
    let router = Arc::new(app(service.svc.clone()));
    for n in 0..1_000 {
        let path = [
            "/login",
            "/login/status",
            "/",
            "/security",
            "/login/wait",
            "/login/code",
        ][n % 6];
        let mut stranger = Browser::new(&router);
        let reply = stranger.get(path).await;
        assert!(
            reply.status.is_success()
                || reply.status.is_redirection()
                || reply.status == StatusCode::UNAUTHORIZED,
            "{path}: {}",
            reply.status
        );
    }
    // Wrong passwords write none either; the right one writes one.
    let mut browser = Browser::new(&router);
    browser.log_in(EMAIL, "not the password").await;
    assert_eq!(service.svc.sessions.count().unwrap(), 0);
    browser.log_in(EMAIL, PASSWORD).await;
    assert_eq!(service.svc.sessions.count().unwrap(), 1);
}

/// The brake's clock stands still, so a test's failures never age out under it.
fn frozen() -> i64 {
    1_800_000_000
}

/// Three wrong passwords from `browser`, then a fourth: the status of the fourth.
async fn fourth_wrong_password(browser: &mut Browser) -> StatusCode {
    for n in 0..3 {
        let reply = browser.log_in(EMAIL, &format!("wrong guess {n}")).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    browser.log_in(EMAIL, "wrong guess 4").await.status
}

/// Alice's account on a service whose brakes stand still, trusting `proxies`.
async fn alice_trusting(proxies: Vec<std::net::IpAddr>) -> (Running, axum::Router) {
    let service = start_with(|mut service| {
        service.throttle = service.throttle.with_clock(frozen);
        service.with_trusted_proxies(proxies)
    })
    .await;
    service.svc.users.add(EMAIL, PASSWORD).unwrap();
    let router = app(service.svc.clone());
    (service, router)
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_browser_has_its_own_brakes() {
    let (_service, router) = alice_trusting(vec!["127.0.0.1".parse().unwrap()]).await;

    // Every browser reaches the service through the TLS proxy on this machine.
    let mut guesser = Browser::from(&router, "127.0.0.1:40000").forwarded_for("198.51.100.7");
    assert_eq!(
        fourth_wrong_password(&mut guesser).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // The guesser writes Alice's address first; the proxy adds the real one after it.
    let mut spoofer =
        Browser::from(&router, "127.0.0.1:40001").forwarded_for("192.0.2.20, 198.51.100.7");
    assert_eq!(
        spoofer.log_in(EMAIL, "one more guess").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Alice, behind the same proxy, is not locked out by the stranger.
    let mut alice = Browser::from(&router, "127.0.0.1:40002").forwarded_for("192.0.2.20");
    assert_eq!(
        alice.log_in(EMAIL, PASSWORD).await.location.as_deref(),
        Some("/")
    );
}

#[tokio::test]
async fn x_forwarded_for_from_anyone_but_a_trusted_proxy_counts_for_nothing() {
    let (_service, router) = alice_trusting(Vec::new()).await;
    let mut guesser = Browser::from(&router, "10.9.9.9:40000").forwarded_for("192.0.2.1");
    assert_eq!(
        fourth_wrong_password(&mut guesser).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // A new address in the header each time does not make a new client.
    let mut again = Browser::from(&router, "10.9.9.9:40001").forwarded_for("192.0.2.2");
    assert_eq!(
        again.log_in(EMAIL, "one more guess").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}
