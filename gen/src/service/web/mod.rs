//! The pages: log in with the password, the account page, log out. Every form carries a CSRF
//! token (the session's, or a visitor's signed one before login); every response says which
//! language it speaks. Nothing a visitor does writes a row until a password is right.

mod html;
mod i18n;
pub mod second_factor;
pub mod security;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::connect_info::ConnectInfo;
use axum::extract::{Form, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::LoginService;
use super::error::ServiceError;
use super::sessions::{
    COOKIE, LoginState, PRESESSION_COOKIE, Session, Sessions, cookie, presession_cookie, token,
};
use html::{escape, page};
use i18n::{Key, Lang};

pub use html::STYLESHEET;

/// The browser's session, when it has a live one. Looking writes nothing.
pub(crate) fn session(
    service: &LoginService,
    headers: &HeaderMap,
) -> Result<Option<Session>, ServiceError> {
    match cookie_value(headers, COOKIE) {
        Some(id) => service.sessions.get(&id),
        None => Ok(None),
    }
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name).then(|| value.to_string())
        })
}

/// Where a request came from, when the server knows: the connection's address, or, when that
/// is a proxy the service was told to trust, the last address the proxy put in
/// `X-Forwarded-For` (earlier entries are whatever the browser sent, and anyone can write them).
pub struct ClientAddress(pub Option<IpAddr>);

impl FromRequestParts<Arc<LoginService>> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        service: &Arc<LoginService>,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(address)| address.ip());
        Ok(ClientAddress(peer.map(|peer| {
            client_behind(peer, &parts.headers, &service.trusted_proxies)
        })))
    }
}

/// The client a request from `peer` stands for: walking `X-Forwarded-For` from the end, the
/// first address that is not one of the trusted proxies. From anyone else the header counts
/// for nothing; an entry that is not an address stops the walk at the proxy that wrote it.
fn client_behind(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let mut client = peer;
    if !trusted.contains(&client) {
        return client;
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .collect::<Vec<_>>();
    for entry in forwarded.iter().rev() {
        match entry.trim().parse::<IpAddr>() {
            Ok(address) => {
                client = address;
                if !trusted.contains(&address) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    client
}

pub(crate) fn with_cookie(
    mut response: Response,
    service: &LoginService,
    session: &Session,
) -> Response {
    if let Ok(value) = HeaderValue::from_str(&cookie(session, service.secure_cookies)) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// The login form for a visitor: its CSRF token is signed from the pre-session cookie, which
/// the response sets when the browser has none yet.
fn login_page_for(
    service: &LoginService,
    headers: &HeaderMap,
    lang: Lang,
    status: StatusCode,
    error: Option<&str>,
    email: &str,
) -> Response {
    let existing = cookie_value(headers, PRESESSION_COOKIE);
    let visit = match existing.clone() {
        Some(visit) => visit,
        None => match token() {
            Ok(visit) => visit,
            Err(error) => return error.into_response(),
        },
    };
    let body = login_form(lang, &service.sessions.visitor_csrf(&visit), error, email);
    let mut response = (status, page(lang, lang.t(Key::LoginTitle), &body)).into_response();
    if existing.is_none()
        && let Ok(value) = HeaderValue::from_str(&presession_cookie(&visit, service.secure_cookies))
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

fn login_form(lang: Lang, csrf: &str, error: Option<&str>, email: &str) -> String {
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
        csrf = escape(csrf),
        email_label = lang.t(Key::Email),
        email = escape(email),
        password_label = lang.t(Key::Password),
        submit = lang.t(Key::LogIn),
    )
}

/// "Too many wrong attempts: try again in N s", in the page's language.
pub(crate) fn too_many(lang: Lang, seconds: i64) -> String {
    lang.t(Key::TooManyAttempts)
        .replace("{time}", &lang.duration(seconds.max(1)))
}

pub async fn login_page(
    State(service): State<Arc<LoginService>>,
    headers: HeaderMap,
) -> Result<Response, ServiceError> {
    let lang = Lang::from_headers(&headers);
    if let Some(Session {
        state: LoginState::SignedIn { .. },
        ..
    }) = session(&service, &headers)?
    {
        return Ok(Redirect::to("/").into_response());
    }
    Ok(login_page_for(
        &service,
        &headers,
        lang,
        StatusCode::OK,
        None,
        "",
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
    State(service): State<Arc<LoginService>>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, ServiceError> {
    let lang = Lang::from_headers(&headers);
    let visit = cookie_value(&headers, PRESESSION_COOKIE);
    if !visit.is_some_and(|visit| service.sessions.visitor_csrf_ok(&visit, &form.csrf)) {
        let expired = lang.t(Key::FormExpired);
        return Ok(login_page_for(
            &service,
            &headers,
            lang,
            StatusCode::FORBIDDEN,
            Some(expired),
            &form.email,
        ));
    }
    let (status, error) = match service
        .check_password(&form.email, &form.password, client)
        .await
    {
        Ok(Some(user)) => {
            // Whatever session this browser had ends: the new one has a new id.
            if let Some(old) = session(&service, &headers)? {
                service.sessions.end(&old)?;
            }
            if let Some(serial) = &user.push_serial {
                return second_factor::start(&service, lang, user.id, serial);
            }
            let signed_in = service
                .sessions
                .start(LoginState::SignedIn { user_id: user.id })?;
            return Ok(with_cookie(
                Redirect::to("/").into_response(),
                &service,
                &signed_in,
            ));
        }
        Ok(None) => (
            StatusCode::UNAUTHORIZED,
            lang.t(Key::WrongPassword).to_string(),
        ),
        Err(ServiceError::RateLimited(seconds)) => {
            (StatusCode::TOO_MANY_REQUESTS, too_many(lang, seconds))
        }
        Err(other) => return Err(other),
    };
    Ok(login_page_for(
        &service,
        &headers,
        lang,
        status,
        Some(&error),
        &form.email,
    ))
}

pub async fn home(
    State(service): State<Arc<LoginService>>,
    headers: HeaderMap,
) -> Result<Response, ServiceError> {
    let lang = Lang::from_headers(&headers);
    let Some(
        session @ Session {
            state: LoginState::SignedIn { user_id },
            ..
        },
    ) = session(&service, &headers)?
    else {
        return Ok(Redirect::to("/login").into_response());
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
    State(service): State<Arc<LoginService>>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Result<Response, ServiceError> {
    let Some(session) = session(&service, &headers)? else {
        return Ok(Redirect::to("/login").into_response());
    };
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
