//! The reference login service (`pocket-gen serve`): the server side of the
//! privacyIDEA PUSH protocol, the service's users and sessions, and its pages, so that QA,
//! demos and tests have a real counterpart without installing an MFA server. Built as
//! `fn app(state) -> Router`: tests call it without a socket.

mod error;
mod passwords;
mod push_api;
mod push_server;
mod sessions;
mod throttle;
mod users;
mod web;

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use url::Url;

pub use error::ServiceError;
pub use push_server::{
    COOL_DOWN_SECONDS, LONG_POLL_MAX_SECONDS, MAX_OPEN_REQUESTS, Pairing, PushServer,
    REJECTIONS_BEFORE_COOL_DOWN, TransactionStatus, Triggered, WakeUpSent,
};
pub use sessions::{
    COOKIE, LIFETIME_SECONDS, LoginState, PRESESSION_COOKIE, Session, Sessions, cookie,
};
pub use throttle::{Keys, Throttle};
pub use users::{MIN_PASSWORD_CHARS, User, Users, generate_password};

/// Every request body this service takes is a small form.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// Everything the service keeps, in one SQLite file.
pub struct LoginService {
    pub push: PushServer,
    pub users: Users,
    pub sessions: Sessions,
    /// Brakes on guessing passwords and codes.
    pub throttle: Throttle,
    /// Behind TLS: cookies get `Secure`.
    pub secure_cookies: bool,
    /// Logins ask the user to pick the number the page shows (number matching).
    pub number_matching: bool,
    /// Proxies in front of the service (a TLS proxy, say) whose `X-Forwarded-For` names the
    /// browser; without them every browser behind one proxy would share one set of brakes.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Argon2 checks at once: one per core. Each takes ~19 MiB for its run, so a burst of
    /// logins queues here instead of growing the process by that much per login.
    password_checks: tokio::sync::Semaphore,
}

impl LoginService {
    /// `base` is where browsers and phones reach the service (the push URL is under it).
    pub fn open(db_path: &Path, base: &Url, issuer: &str) -> Result<LoginService, ServiceError> {
        let push_url = base
            .join(push_server::PUSH_PATH.trim_start_matches('/'))
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        Ok(LoginService {
            push: PushServer::open(db_path, push_url, issuer)?,
            users: Users::open(db_path)?,
            sessions: Sessions::open(db_path)?,
            throttle: Throttle::open(db_path)?,
            secure_cookies: base.scheme() == "https",
            number_matching: false,
            trusted_proxies: Vec::new(),
            password_checks: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            ),
        })
    }

    /// Checks a password off the threads that serve requests, a bounded number at a time,
    /// within the limits on guessing for this account and this client.
    pub async fn check_password(
        self: &Arc<Self>,
        email: &str,
        password: &str,
        client: Option<std::net::IpAddr>,
    ) -> Result<Option<User>, ServiceError> {
        let email = users::normalize_email(email).unwrap_or_default();
        let attempt = self.throttle.attempt(&Keys::login(&email, client))?;
        let _slot = self
            .password_checks
            .acquire()
            .await
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        let service = self.clone();
        let password = password.to_string();
        let checked =
            tokio::task::spawn_blocking(move || service.users.check_password(&email, &password))
                .await
                .map_err(|e| ServiceError::Internal(e.to_string()))??;
        if checked.is_some() {
            self.throttle.succeeded(attempt)?;
        }
        Ok(checked)
    }

    /// Checks a typed code for the push token `serial`, within the limits on guessing.
    pub fn check_code(
        &self,
        serial: &str,
        code: &str,
        client: Option<std::net::IpAddr>,
    ) -> Result<bool, ServiceError> {
        let attempt = self.throttle.attempt(&Keys::code(serial, client))?;
        let right = self.push.verify_code(serial, code)?;
        if right {
            self.throttle.succeeded(attempt)?;
        }
        Ok(right)
    }

    pub fn with_number_matching(mut self, on: bool) -> LoginService {
        self.number_matching = on;
        self
    }

    /// Takes the browser's address from `X-Forwarded-For` on requests from these proxies.
    pub fn with_trusted_proxies(mut self, proxies: Vec<std::net::IpAddr>) -> LoginService {
        self.trusted_proxies = proxies;
        self
    }

    /// QR codes last `seconds` instead of two minutes.
    pub fn with_enrollment_ttl(mut self, seconds: i64) -> LoginService {
        self.push = self.push.with_enrollment_ttl(seconds);
        self
    }

    /// Polls answer at once, without the instant-delivery extension: privacyIDEA's behaviour.
    pub fn without_long_poll(mut self) -> LoginService {
        self.push = self.push.without_long_poll();
        self
    }

    /// Each request also wakes its phone where the phone gave a Web Push registration.
    pub fn with_wake_ups(mut self) -> Result<LoginService, ServiceError> {
        self.push = self.push.with_wake_ups()?;
        Ok(self)
    }
}

/// What `lock` guards, also after a panic elsewhere left it poisoned: the database's writes
/// are each one statement or one transaction, and the other guarded values are plain lists,
/// so what is there is whole.
fn unpoisoned<T>(lock: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub fn app(service: Arc<LoginService>) -> Router {
    Router::new()
        .route(
            push_server::PUSH_PATH,
            get(push_api::poll).post(push_api::post),
        )
        .route("/", get(web::home))
        .route("/login", get(web::login_page).post(web::login_submit))
        .route("/logout", post(web::logout))
        .route("/login/wait", get(web::second_factor::wait_page))
        .route("/login/status", get(web::second_factor::status))
        .route(
            "/login/code",
            get(web::second_factor::code_page).post(web::second_factor::code_submit),
        )
        .route("/security", get(web::security::page))
        .route("/security/pair", post(web::security::pair))
        .route("/security/status", get(web::security::status))
        .route("/security/test-request", post(web::security::test_request))
        .route("/static/app.js", get(web::script))
        .route("/static/app.css", get(web::stylesheet))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(service)
}
