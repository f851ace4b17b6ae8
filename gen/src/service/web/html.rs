//! Server-rendered HTML: every value escaped, one layout, one stylesheet, no external assets.

use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};

use super::i18n::{Key, Lang};

/// Text and attribute values, escaped for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Nothing but our own stylesheet and script; no framing, no foreign form targets.
const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// A whole page around `body` (already escaped where it holds values).
pub fn page(lang: Lang, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · {service}</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head>\
         <body><main><p class=\"service\">{service}</p><h1>{title}</h1>{body}</main></body></html>",
        lang = lang.code(),
        title = escape(title),
        service = escape(lang.t(Key::ServiceName)),
    );
    let mut response = Html(html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub const STYLESHEET: &str = "
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0; background: Canvas; color: CanvasText; }
main { max-width: 420px; margin: 48px auto; padding: 0 20px; }
.service { color: GrayText; margin: 0; }
h1 { margin: 4px 0 20px; }
label { display: block; font-weight: 600; margin: 12px 0 6px; }
input { width: 100%; box-sizing: border-box; padding: 10px; font: inherit; }
button { margin-top: 18px; width: 100%; padding: 12px; font: inherit; font-weight: 700; cursor: pointer; }
.error { color: #b91c1c; }
.ok { color: #15803d; font-weight: 700; font-size: 1.2rem; }
.notice { background: color-mix(in srgb, CanvasText 8%, Canvas); padding: 10px 12px; border-radius: 8px; }
.number { font-size: 3rem; font-weight: 800; letter-spacing: 0.05em; margin: 8px 0; text-align: center; }
.qr svg { width: 100%; max-width: 320px; height: auto; background: #fff; }
code { word-break: break-all; font-size: 0.8rem; }
";
