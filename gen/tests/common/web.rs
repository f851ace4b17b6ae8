//! Requests through the service's router, as a browser would send them.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use pocket_gen::service::COOKIE;
use tower::ServiceExt;

pub struct Reply {
    pub status: StatusCode,
    pub body: String,
    pub cookie: Option<String>,
    pub location: Option<String>,
    pub csp: Option<String>,
}

pub async fn send(router: &Router, request: Request<Body>) -> Reply {
    let response = router.clone().oneshot(request).await.unwrap();
    let header = |name: header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (status, cookie, location, csp) = (
        response.status(),
        header(header::SET_COOKIE),
        header(header::LOCATION),
        header(header::CONTENT_SECURITY_POLICY),
    );
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    Reply {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
        cookie,
        location,
        csp,
    }
}

pub fn session_of(reply: &Reply) -> String {
    let cookie = reply.cookie.as_deref().expect("a session cookie");
    cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches(&format!("{COOKIE}="))
        .to_string()
}

pub fn csrf_of(body: &str) -> String {
    let start = body.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
    body[start..].split('"').next().unwrap().to_string()
}

pub fn get(path: &str, session: Option<&str>) -> Request<Body> {
    let mut request = Request::get(path);
    if let Some(id) = session {
        request = request.header(header::COOKIE, format!("{COOKIE}={id}"));
    }
    request.body(Body::empty()).unwrap()
}

pub fn post(path: &str, session: &str, form: &[(&str, &str)]) -> Request<Body> {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    Request::post(path)
        .header(header::COOKIE, format!("{COOKIE}={session}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap()
}
