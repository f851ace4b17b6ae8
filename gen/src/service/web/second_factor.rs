//! The second step of a login for a user paired with Pocket: the request on the phone, the
//! waiting page that finishes by itself, and the typed code when no request arrives.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use super::html::{self, escape};
use super::i18n::{Key, Lang};
use super::{ClientAddress, session, too_many, with_cookie};
use crate::service::LoginService;
use crate::service::error::ServiceError;
use crate::service::push_server::TransactionStatus;
use crate::service::sessions::{LoginState, Session, Sessions};

/// Starts the push request for a user whose password was right, in a new session; the
/// browser goes to wait. When the limits against push fatigue hold the request back, the user
/// gets the code form with the reason instead.
pub fn start(
    service: &LoginService,
    lang: Lang,
    user_id: i64,
    serial: &str,
) -> Result<Response, ServiceError> {
    let triggered = service.push.trigger(
        serial,
        lang.t(Key::ServiceName),
        lang.t(Key::LoginQuestion),
        service.number_matching,
    );
    let (transaction_id, held_back) = match triggered {
        Ok(triggered) => (Some(triggered.transaction_id), None),
        Err(ServiceError::TooManyOpenRequests) => (None, Some(Key::TooManyOpenRequests)),
        Err(ServiceError::PushPaused) => (None, Some(Key::PushPaused)),
        Err(other) => return Err(other),
    };
    let waiting = service.sessions.start(LoginState::AwaitingSecondFactor {
        user_id,
        transaction_id,
    })?;
    let response = match held_back {
        None => Redirect::to("/login/wait").into_response(),
        Some(reason) => {
            let notice = format!(
                "<p class=\"notice\" role=\"status\" data-testid=\"held-back\">{}</p>",
                lang.t(reason)
            );
            let body = notice + &code_form(lang, &waiting, None);
            html::page(lang, lang.t(Key::LoginTitle), &body)
        }
    };
    Ok(with_cookie(response, service, &waiting))
}

fn awaiting(session: &Option<Session>) -> Option<(&Session, i64, Option<String>)> {
    match session {
        Some(
            session @ Session {
                state:
                    LoginState::AwaitingSecondFactor {
                        user_id,
                        transaction_id,
                    },
                ..
            },
        ) => Some((session, *user_id, transaction_id.clone())),
        _ => None,
    }
}

pub async fn wait_page(
    State(service): State<Arc<LoginService>>,
    headers: HeaderMap,
) -> Result<Response, ServiceError> {
    let lang = Lang::from_headers(&headers);
    let session = session(&service, &headers)?;
    let Some((session, _, transaction_id)) = awaiting(&session) else {
        return Ok(Redirect::to("/login").into_response());
    };
    let Some(transaction_id) = transaction_id else {
        return Ok(Redirect::to("/login/code").into_response());
    };
    let number = match service.push.number_to_pick(&transaction_id)? {
        Some(number) => format!(
            "<p>{pick}</p><p class=\"number\" data-testid=\"number\">{number}</p>",
            pick = lang.t(Key::PickNumber),
            number = escape(&number),
        ),
        None => String::new(),
    };
    let body = format!(
        "<div data-status-url=\"/login/status?login={secret}\" data-testid=\"waiting\"><p>{accept}</p>{number}\
         <p class=\"error\" hidden data-when=\"rejected\">{rejected}</p>\
         <p class=\"error\" hidden data-when=\"expired\">{expired}</p></div>\
         <p><a href=\"/login/code\" data-testid=\"no-notification\">{no}</a></p>\
         <script src=\"/static/app.js\"></script>",
        accept = lang.t(Key::AcceptInPocket),
        secret = escape(session.login_secret.as_deref().unwrap_or_default()),
        rejected = lang.t(Key::Rejected),
        expired = lang.t(Key::RequestExpired),
        no = lang.t(Key::NoNotification),
    );
    Ok(html::page(lang, lang.t(Key::LoginTitle), &body))
}

#[derive(Deserialize)]
pub struct StatusQuery {
    #[serde(default)]
    login: String,
}

/// For the waiting page's script: "waiting", "accepted" (signed in now), "rejected", "expired".
/// Only the browser that submitted the password knows the login's secret: the cookie alone
/// (one planted by another page of this machine, say) signs nobody in.
pub async fn status(
    State(service): State<Arc<LoginService>>,
    Query(query): Query<StatusQuery>,
    headers: HeaderMap,
) -> Result<Response, ServiceError> {
    let session = session(&service, &headers)?;
    let Some((session, user_id, Some(transaction_id))) = awaiting(&session) else {
        return Ok(StatusCode::UNAUTHORIZED.into_response());
    };
    if !Sessions::login_secret_ok(session, &query.login) {
        return Ok(StatusCode::UNAUTHORIZED.into_response());
    }
    let state = match service.push.status(&transaction_id)? {
        TransactionStatus::Waiting => "waiting",
        TransactionStatus::Rejected => "rejected",
        TransactionStatus::Expired => "expired",
        TransactionStatus::Accepted => {
            let signed_in = service
                .sessions
                .set_state(session, LoginState::SignedIn { user_id })?;
            return Ok(with_cookie(
                Json(json!({ "state": "accepted" })).into_response(),
                &service,
                &signed_in,
            ));
        }
    };
    Ok(Json(json!({ "state": state })).into_response())
}

fn code_form(lang: Lang, session: &Session, error: Option<&str>) -> String {
    let error = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", escape(e)))
        .unwrap_or_default();
    format!(
        "{error}<form method=\"post\" action=\"/login/code\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <label for=\"code\">{label}</label>\
         <input id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" required>\
         <button type=\"submit\">{verify}</button></form>",
        csrf = escape(&session.csrf),
        label = lang.t(Key::Code),
        verify = lang.t(Key::Verify),
    )
}

pub async fn code_page(
    State(service): State<Arc<LoginService>>,
    headers: HeaderMap,
) -> Result<Response, ServiceError> {
    let lang = Lang::from_headers(&headers);
    let session = session(&service, &headers)?;
    let Some((session, _, _)) = awaiting(&session) else {
        return Ok(Redirect::to("/login").into_response());
    };
    Ok(html::page(
        lang,
        lang.t(Key::LoginTitle),
        &code_form(lang, session, None),
    ))
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    csrf: String,
}

pub async fn code_submit(
    State(service): State<Arc<LoginService>>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, ServiceError> {
    let lang = Lang::from_headers(&headers);
    let session = session(&service, &headers)?;
    let Some((session, user_id, _)) = awaiting(&session) else {
        return Ok(Redirect::to("/login").into_response());
    };
    if !Sessions::csrf_ok(session, &form.csrf) {
        return Ok(StatusCode::FORBIDDEN.into_response());
    }
    let serial = service
        .users
        .by_id(user_id)?
        .and_then(|u| u.push_serial)
        .ok_or(ServiceError::UnknownToken)?;
    let (status, error) = match service.check_code(&serial, &form.code, client) {
        Ok(true) => {
            let signed_in = service
                .sessions
                .set_state(session, LoginState::SignedIn { user_id })?;
            return Ok(with_cookie(
                Redirect::to("/").into_response(),
                &service,
                &signed_in,
            ));
        }
        Ok(false) => (StatusCode::UNAUTHORIZED, lang.t(Key::WrongCode).to_string()),
        Err(ServiceError::RateLimited(seconds)) => {
            (StatusCode::TOO_MANY_REQUESTS, too_many(lang, seconds))
        }
        Err(other) => return Err(other),
    };
    let mut response = (
        status,
        html::page(
            lang,
            lang.t(Key::LoginTitle),
            &code_form(lang, session, Some(&error)),
        ),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
