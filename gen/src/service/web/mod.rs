//! The pages: log in with the password, the account page, log out. Every form carries the
//! session's CSRF token; every response says which language it speaks.

mod html;
mod i18n;
pub mod second_factor;
pub mod security;

use std::sync::Arc;

use axum::extract::{Form, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::Service;
use super::error::ServiceError;
use super::sessions::{COOKIE, LoginState, Session, Sessions, cookie};
use html::{escape, page};
use i18n::{Key, Lang};

pub use html::STYLESHEET;

/// The browser's session, or a new one.
pub(crate) fn session(
    service: &Service,
    headers: &HeaderMap,
) -> Result<(Session, bool), ServiceError> {
    if let Some(id) = cookie_value(headers)
        && let Some(session) = service.sessions.get(&id)?
    {
        return Ok((session, false));
    }
    Ok((service.sessions.start()?, true))
}

fn cookie_value(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == COOKIE).then(|| value.to_string())
        })
}

pub(crate) fn with_cookie(
    mut response: Response,
    service: &Service,
    session: &Session,
) -> Response {
    if let Ok(value) = HeaderValue::from_str(&cookie(session, service.secure_cookies)) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

fn login_form(lang: Lang, session: &Session, error: Option<&str>, email: &str) -> String {
    let error = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", escape(e)))
        .unwrap_or_default();
    format!(
        "{error}<form method=\"post\" action=\"/login\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <label for=\"email\">{email_label}</label>\
         <input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required value=\"{email}\">\
         <label for=\"password\">{password_label}</label>\
         <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\
         <button type=\"submit\">{submit}</button></form>",
        csrf = escape(&session.csrf),
        email_label = lang.t(Key::Email),
        email = escape(email),
        password_label = lang.t(Key::Password),
        submit = lang.t(Key::LogIn),
    )
}

pub async fn login_page(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
) -> Result<Response, ServiceError> {
    let lang = Lang::from_headers(&headers);
    let (session, _) = session(&service, &headers)?;
    if let LoginState::SignedIn { .. } = session.state {
        return Ok(Redirect::to("/").into_response());
    }
    let body = login_form(lang, &session, None, "");
    Ok(with_cookie(
        page(lang, lang.t(Key::LoginTitle), &body),
        &service,
        &session,
    ))
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

pub async fn login_submit(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, ServiceError> {
    let lang = Lang::from_headers(&headers);
    let (session, _) = session(&service, &headers)?;
    if !Sessions::csrf_ok(&session, &form.csrf) {
        let body = login_form(lang, &session, Some(lang.t(Key::FormExpired)), &form.email);
        let response = (
            StatusCode::FORBIDDEN,
            page(lang, lang.t(Key::LoginTitle), &body),
        )
            .into_response();
        return Ok(with_cookie(response, &service, &session));
    }
    let (status, error) = match service.check_password(&form.email, &form.password).await {
        Ok(Some(user)) => {
            if let Some(serial) = &user.push_serial {
                return second_factor::start(&service, lang, &session, user.id, serial);
            }
            let signed_in = service
                .sessions
                .set_state(&session, LoginState::SignedIn { user_id: user.id })?;
            return Ok(with_cookie(
                Redirect::to("/").into_response(),
                &service,
                &signed_in,
            ));
        }
        Ok(None) => (StatusCode::UNAUTHORIZED, lang.t(Key::WrongPassword)),
        Err(ServiceError::RateLimited) => {
            (StatusCode::TOO_MANY_REQUESTS, lang.t(Key::TooManyAttempts))
        }
        Err(other) => return Err(other),
    };
    let body = login_form(lang, &session, Some(error), &form.email);
    Ok(with_cookie(
        (status, page(lang, lang.t(Key::LoginTitle), &body)).into_response(),
        &service,
        &session,
    ))
}

pub async fn home(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
) -> Result<Response, ServiceError> {
    let lang = Lang::from_headers(&headers);
    let (session, _) = session(&service, &headers)?;
    let LoginState::SignedIn { user_id } = session.state else {
        return Ok(with_cookie(
            Redirect::to("/login").into_response(),
            &service,
            &session,
        ));
    };
    let email = service
        .users
        .by_id(user_id)?
        .map(|u| u.email)
        .unwrap_or_default();
    let body = format!(
        "<p data-testid=\"signed-in\">{signed_in} <strong>{email}</strong></p>\
         <p><a href=\"/security\" data-testid=\"security-link\">{security}</a></p>\
         <form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <button type=\"submit\">{logout}</button></form>",
        signed_in = lang.t(Key::SignedInAs),
        security = lang.t(Key::SecurityTitle),
        email = escape(&email),
        csrf = escape(&session.csrf),
        logout = lang.t(Key::LogOut),
    );
    Ok(page(lang, lang.t(Key::AccountTitle), &body))
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

pub async fn logout(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Result<Response, ServiceError> {
    let (session, _) = session(&service, &headers)?;
    if !Sessions::csrf_ok(&session, &form.csrf) {
        return Ok(StatusCode::FORBIDDEN.into_response());
    }
    service.sessions.end(&session)?;
    Ok(Redirect::to("/login").into_response())
}

pub async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
}

/// Watches a pairing: asks the service every second and shows the outcome when it comes.
const SCRIPT: &str = "
const box = document.querySelector('[data-status-url]');
if (box) {
  const timer = setInterval(async () => {
    const reply = await fetch(box.dataset.statusUrl, { credentials: 'same-origin' });
    if (!reply.ok) return;
    const { state } = await reply.json();
    if (state === 'accepted') {
      clearInterval(timer);
      location.assign('/');
    } else if (state === 'paired' || state === 'expired' || state === 'rejected') {
      clearInterval(timer);
      box.querySelectorAll('[data-while-waiting]').forEach((e) => e.remove());
      box.querySelector('[data-when=' + state + ']')?.removeAttribute('hidden');
      document.querySelectorAll('[data-unless=' + state + ']').forEach((e) => e.remove());
      box.dataset.state = state;
    }
  }, 1000);
}
";

pub async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        STYLESHEET,
    )
}
