//! The security page: switch two-factor login to Pocket with one scan, and watch the pairing
//! finish by itself.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use super::html::{self, escape};
use super::i18n::{Key, Lang};
use super::{ClientAddress, session, too_many};
use crate::service::LoginService;
use crate::service::error::ServiceError;
use crate::service::push_server::{Pairing, WakeUpSent};
use crate::service::sessions::{LoginState, Sessions};
use crate::service::users::User;

/// The signed-in user, or `None` (the caller sends the browser to the login page).
fn signed_in(
    service: &LoginService,
    headers: &HeaderMap,
) -> Result<Option<(User, crate::service::Session)>, ServiceError> {
    let Some(session) = session(service, headers)? else {
        return Ok(None);
    };
    let LoginState::SignedIn { user_id } = session.state else {
        return Ok(None);
    };
    Ok(service.users.by_id(user_id)?.map(|user| (user, session)))
}

/// The signed-in user behind a form whose token is theirs; otherwise the answer to give (the
/// login page, or 403 for a forged form).
fn form_user(
    service: &LoginService,
    headers: &HeaderMap,
    csrf: &str,
) -> Result<Result<(User, crate::service::Session), Response>, ServiceError> {
    let Some((user, session)) = signed_in(service, headers)? else {
        return Ok(Err(Redirect::to("/login").into_response()));
    };
    if !Sessions::csrf_ok(&session, csrf) {
        return Ok(Err(StatusCode::FORBIDDEN.into_response()));
    }
    Ok(Ok((user, session)))
}

/// The button that shows a pairing code. A user who has a second factor already must prove
/// it is them again: a stolen session must not move their logins to another phone.
fn pair_button(lang: Lang, csrf: &str, user: &User, error: Option<&str>, label: Key) -> String {
    let password = if user.push_serial.is_some() {
        format!(
            "<p>{explain}</p><label for=\"password\">{label}</label>\
                 <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>",
            explain = lang.t(Key::ConfirmPassword),
            label = lang.t(Key::Password),
        )
    } else {
        String::new()
    };
    let error = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", escape(e)))
        .unwrap_or_default();
    format!(
        "{error}<form method=\"post\" action=\"/security/pair\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         {password}<button type=\"submit\" data-testid=\"pair\">{}</button></form>",
        escape(csrf),
        lang.t(label)
    )
}

/// The button that sends the paired phone a test request, and what became of the last one.
fn test_request_button(lang: Lang, csrf: &str, notice: Option<&str>) -> String {
    let notice = notice
        .map(|text| {
            format!(
                "<p role=\"status\" data-testid=\"test-request-sent\">{}</p>",
                escape(text)
            )
        })
        .unwrap_or_default();
    format!(
        "<form method=\"post\" action=\"/security/test-request\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <button type=\"submit\" class=\"secondary\" data-testid=\"test-request\">{}</button></form>{notice}",
        escape(csrf),
        lang.t(Key::SendTestRequest)
    )
}

fn security_page(
    lang: Lang,
    user: &User,
    session: &crate::service::Session,
    status: StatusCode,
    error: Option<&str>,
) -> Response {
    security_page_with(lang, user, session, status, error, None)
}

fn security_page_with(
    lang: Lang,
    user: &User,
    session: &crate::service::Session,
    status: StatusCode,
    error: Option<&str>,
    notice: Option<&str>,
) -> Response {
    let body = if user.push_serial.is_some() {
        format!(
            "<p class=\"ok\" data-testid=\"paired\">✓ {}</p>{}{}",
            lang.t(Key::Paired),
            test_request_button(lang, &session.csrf, notice),
            pair_button(lang, &session.csrf, user, error, Key::SwitchToNewPhone)
        )
    } else {
        format!(
            "<p>{}</p>{}",
            lang.t(Key::SwitchExplain),
            pair_button(lang, &session.csrf, user, error, Key::SwitchToPocket)
        )
    };
    (
        status,
        html::page(lang, lang.t(Key::SecurityTitle), &(body + &home_link(lang))),
    )
        .into_response()
}

async fn show(service: &LoginService, headers: &HeaderMap) -> Result<Response, ServiceError> {
    let lang = Lang::from_headers(headers);
    let Some((user, session)) = signed_in(service, headers)? else {
        return Ok(Redirect::to("/login").into_response());
    };
    Ok(security_page(lang, &user, &session, StatusCode::OK, None))
}

fn home_link(lang: Lang) -> String {
    format!(
        "<p><a href=\"/\" data-testid=\"home-link\">{}</a></p>",
        lang.t(Key::BackToAccount)
    )
}

pub async fn page(
    State(service): State<Arc<LoginService>>,
    headers: HeaderMap,
) -> Result<Response, ServiceError> {
    show(&service, &headers).await
}

#[derive(Deserialize)]
pub struct PairForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    password: String,
}

/// A new pairing: a push token enrollment whose QR code (shown once) also brings the code.
/// Replacing a second factor asks for the password again.
pub async fn pair(
    State(service): State<Arc<LoginService>>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<PairForm>,
) -> Result<Response, ServiceError> {
    let lang = Lang::from_headers(&headers);
    let (user, session) = match form_user(&service, &headers, &form.csrf)? {
        Ok(signed_in) => signed_in,
        Err(answer) => return Ok(answer),
    };
    if user.push_serial.is_some() {
        let refused = match service
            .check_password(&user.email, &form.password, client)
            .await
        {
            Ok(Some(_)) => None,
            Ok(None) => Some((
                StatusCode::FORBIDDEN,
                lang.t(Key::WrongPassword).to_string(),
            )),
            Err(ServiceError::RateLimited(seconds)) => {
                Some((StatusCode::TOO_MANY_REQUESTS, too_many(lang, seconds)))
            }
            Err(other) => return Err(other),
        };
        if let Some((status, error)) = refused {
            return Ok(security_page(lang, &user, &session, status, Some(&error)));
        }
    }
    let (serial, uri) = service.push.enroll(&user.email)?;
    service.users.begin_pairing(user.id, &serial)?;
    let qr = crate::qr::svg_markup(&uri).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let body = format!(
        "<p>{explain}</p><div data-status-url=\"/security/status\" data-testid=\"pairing\">\
         <div class=\"qr\" data-while-waiting>{qr}</div><p data-while-waiting>{scan}</p>\
         <p data-while-waiting><code data-testid=\"enrollment-link\">{link}</code></p>\
         <p class=\"ok\" hidden data-when=\"paired\">✓ {paired}</p>\
         <p class=\"error\" hidden data-when=\"expired\">{expired}</p></div>\
         <div data-unless=\"paired\">{again}</div>{home}\
         <script src=\"/static/app.js\"></script>",
        explain = lang.t(Key::SwitchExplain),
        scan = lang
            .t(Key::ScanThis)
            .replace("{time}", &lang.duration(service.push.enrollment_ttl())),
        link = escape(&uri),
        paired = lang.t(Key::Paired),
        expired = lang.t(Key::CodeExpired),
        again = pair_button(lang, &session.csrf, &user, None, Key::ShowNewCode),
        home = home_link(lang),
    );
    Ok(html::page(lang, lang.t(Key::SecurityTitle), &body))
}

#[derive(Deserialize)]
pub struct TestRequestForm {
    #[serde(default)]
    csrf: String,
}

/// A test login request to the paired phone, so the whole path (the wake-up included) can be
/// tried by hand: nothing logs in whatever the answer. The page says how it went out.
pub async fn test_request(
    State(service): State<Arc<LoginService>>,
    headers: HeaderMap,
    Form(form): Form<TestRequestForm>,
) -> Result<Response, ServiceError> {
    let lang = Lang::from_headers(&headers);
    let (user, session) = match form_user(&service, &headers, &form.csrf)? {
        Ok(signed_in) => signed_in,
        Err(answer) => return Ok(answer),
    };
    let Some(serial) = &user.push_serial else {
        return Ok(security_page(
            lang,
            &user,
            &session,
            StatusCode::CONFLICT,
            None,
        ));
    };
    let raised = service.push.raise(
        serial,
        "Pocket reference",
        lang.t(Key::TestRequestQuestion),
        false,
    );
    let notice = match raised {
        Ok(triggered) => match service.push.wake_up(&triggered.transaction_id).await? {
            WakeUpSent::Delivered => lang.t(Key::TestWoken).to_string(),
            WakeUpSent::NotWoken => lang.t(Key::TestPolled).to_string(),
            WakeUpSent::Retrying => lang.t(Key::TestRetrying).to_string(),
            WakeUpSent::Gone(why) | WakeUpSent::Failed(why) => {
                lang.t(Key::TestFailed).replace("{reason}", &why)
            }
        },
        Err(ServiceError::TooManyOpenRequests) | Err(ServiceError::PushPaused) => {
            lang.t(Key::TestNotNow).to_string()
        }
        Err(other) => return Err(other),
    };
    Ok(security_page_with(
        lang,
        &user,
        &session,
        StatusCode::OK,
        None,
        Some(&notice),
    ))
}

/// Where the pairing stands, for the page's script: "waiting", "paired", "expired" or "none".
pub async fn status(
    State(service): State<Arc<LoginService>>,
    headers: HeaderMap,
) -> Result<Response, ServiceError> {
    let Some((user, _)) = signed_in(&service, &headers)? else {
        return Ok(StatusCode::UNAUTHORIZED.into_response());
    };
    let state = match service.users.pairing_serial(user.id)? {
        None if user.push_serial.is_some() => "paired",
        None => "none",
        Some(serial) => match service.push.pairing(&serial)? {
            Pairing::Paired => {
                service.users.finish_pairing(user.id, &serial)?;
                "paired"
            }
            Pairing::Waiting => "waiting",
            Pairing::Expired => "expired",
        },
    };
    Ok(Json(json!({ "state": state })).into_response())
}
