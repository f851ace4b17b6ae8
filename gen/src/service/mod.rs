//! The reference login service (`pocket-gen serve`, in progress): the server side of the
//! privacyIDEA PUSH protocol and the service's users, so that QA, demos and tests have a real
//! counterpart without installing an MFA server. Built as `fn app(state) -> Router`: tests
//! call it without a socket.

mod error;
mod push_api;
mod push_server;
mod sessions;
mod users;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;

pub use error::ServiceError;
pub use push_server::{PushServer, TransactionStatus, Triggered};
pub use sessions::{COOKIE, LoginState, Session, Sessions, cookie};
pub use users::{MIN_PASSWORD_CHARS, User, Users, generate_password};

/// Every request body this service takes is a small form.
const MAX_BODY_BYTES: usize = 64 * 1024;

pub fn app(push: Arc<PushServer>) -> Router {
    Router::new()
        .route(
            push_server::PUSH_PATH,
            get(push_api::poll).post(push_api::post),
        )
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(push)
}
