//! One error type for the service, mapped to statuses in one place. Clients get privacyIDEA's
//! envelope with a short, uniform message; nothing internal leaks.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Deliberately one message for a bad signature, an unknown serial or a stale time, so a
    /// caller cannot probe which serials exist.
    #[error("Could not verify signature!")]
    NotVerified,
    #[error("the rollout is not valid")]
    BadRollout,
    #[error("the request is missing {0}")]
    Missing(&'static str),
    #[error("too many wrong attempts: try again in {0} s")]
    RateLimited(i64),
    #[error("the {0} is not valid")]
    Invalid(&'static str),
    #[error("a user with this e-mail address exists")]
    UserExists,
    #[error("there are unanswered login requests already")]
    TooManyOpenRequests,
    #[error("login requests are paused after repeated rejections")]
    PushPaused,
    #[error("there is no such token")]
    UnknownToken,
    #[error("there is no such open login request")]
    UnknownRequest,
    #[error("internal error")]
    Internal(String),
}

impl ServiceError {
    fn status(&self) -> StatusCode {
        match self {
            ServiceError::NotVerified
            | ServiceError::BadRollout
            | ServiceError::Missing(_)
            | ServiceError::Invalid(_) => StatusCode::BAD_REQUEST,
            ServiceError::UnknownToken | ServiceError::UnknownRequest => StatusCode::NOT_FOUND,
            ServiceError::UserExists => StatusCode::CONFLICT,
            ServiceError::RateLimited(_)
            | ServiceError::TooManyOpenRequests
            | ServiceError::PushPaused => StatusCode::TOO_MANY_REQUESTS,
            ServiceError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<rusqlite::Error> for ServiceError {
    fn from(error: rusqlite::Error) -> ServiceError {
        ServiceError::Internal(error.to_string())
    }
}

impl From<pocket_core::Error> for ServiceError {
    fn from(error: pocket_core::Error) -> ServiceError {
        ServiceError::Internal(error.to_string())
    }
}

impl IntoResponse for ServiceError {
    fn into_response(self) -> Response {
        if let ServiceError::Internal(detail) = &self {
            eprintln!("internal error: {detail}");
        }
        let body = json!(pocket_core::push::wire::Envelope::<()>::refused(
            i64::from(self.status().as_u16()),
            self.to_string()
        ));
        (self.status(), Json(body)).into_response()
    }
}
