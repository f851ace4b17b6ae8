//! Requests through the service's router, as a browser would send them: a browser keeps its
//! cookies and comes from an address of its own.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::connect_info::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use pocket_gen::service::COOKIE;
use tower::ServiceExt;

pub struct Reply {
    pub status: StatusCode,
    pub body: String,
    /// Every `Set-Cookie` line.
    pub cookies: Vec<String>,
    pub location: Option<String>,
    pub csp: Option<String>,
}

impl Reply {
    /// The session cookie's line, when the reply sets one.
    pub fn session_cookie(&self) -> Option<&str> {
        self.cookies
            .iter()
            .map(String::as_str)
            .find(|c| c.starts_with(&format!("{COOKIE}=")))
    }
}

pub async fn send(router: &Router, request: Request<Body>) -> Reply {
    let response = router.clone().oneshot(request).await.unwrap();
    let headers = response.headers().clone();
    let header = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (status, location, csp) = (
        response.status(),
        header(header::LOCATION),
        header(header::CONTENT_SECURITY_POLICY),
    );
    let cookies = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_string)
        .collect();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    Reply {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
        cookies,
        location,
        csp,
    }
}

pub fn csrf_of(body: &str) -> String {
    let start = body.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
    body[start..].split('"').next().unwrap().to_string()
}

/// The waiting page's status address, with its login secret.
pub fn status_url_of(body: &str) -> String {
    let start = body.find("data-status-url=\"").expect("a status address") + 17;
    body[start..]
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&")
}

/// A browser: its cookie jar and the address it connects from.
pub struct Browser {
    router: Router,
    cookies: BTreeMap<String, String>,
    address: SocketAddr,
    language: Option<&'static str>,
    forwarded_for: Option<String>,
}

impl Browser {
    pub fn new(router: &Router) -> Browser {
        Browser::from(router, "127.0.0.1:50000")
    }

    /// A browser on another machine (`address` is `ip:port`).
    pub fn from(router: &Router, address: &str) -> Browser {
        Browser {
            router: router.clone(),
            cookies: BTreeMap::new(),
            address: address.parse().unwrap(),
            language: None,
            forwarded_for: None,
        }
    }

    pub fn speaking(mut self, language: &'static str) -> Browser {
        self.language = Some(language);
        self
    }

    /// Its requests carry this `X-Forwarded-For`, as a proxy (or the browser itself) writes it.
    pub fn forwarded_for(mut self, addresses: &str) -> Browser {
        self.forwarded_for = Some(addresses.to_string());
        self
    }

    /// The value of a cookie it holds.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies.get(name).map(String::as_str)
    }

    /// Every cookie it holds.
    pub fn cookies(&self) -> Vec<(String, String)> {
        self.cookies
            .iter()
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect()
    }

    /// Sets a cookie as another page on this machine could (cookies ignore ports).
    pub fn plant(&mut self, name: &str, value: &str) {
        self.cookies.insert(name.to_string(), value.to_string());
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        let request = self
            .request(Request::get(path))
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Reply {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let request = self
            .request(Request::post(path))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Logs in with the login page's form; returns the reply to the password.
    pub async fn log_in(&mut self, email: &str, password: &str) -> Reply {
        let page = self.get("/login").await;
        let csrf = csrf_of(&page.body);
        self.post(
            "/login",
            &[("email", email), ("password", password), ("csrf", &csrf)],
        )
        .await
    }

    fn request(&self, builder: axum::http::request::Builder) -> axum::http::request::Builder {
        let mut builder = builder.extension(ConnectInfo(self.address));
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            builder = builder.header(header::COOKIE, jar.join("; "));
        }
        if let Some(language) = self.language {
            builder = builder.header(header::ACCEPT_LANGUAGE, language);
        }
        if let Some(addresses) = &self.forwarded_for {
            builder = builder.header("x-forwarded-for", addresses);
        }
        builder
    }

    async fn send(&mut self, request: Request<Body>) -> Reply {
        let reply = send(&self.router, request).await;
        for line in &reply.cookies {
            let pair = line.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        reply
    }
}
