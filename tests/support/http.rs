//! HTTP clients for the harness, all with deadlines: a server that accepts and never answers
//! fails the request, not the whole run.
#![allow(clippy::disallowed_methods)] // the home of the harness's reqwest clients

use std::time::Duration;

/// How long connecting may take, on loopback.
pub const CONNECT_LIMIT: Duration = Duration::from_secs(10);
/// How long a whole request may take (privacyIDEA's first requests compile its templates).
pub const REQUEST_LIMIT: Duration = Duration::from_secs(60);

/// A client builder with the harness's limits; callers add what else they need.
pub fn builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_LIMIT)
        .timeout(REQUEST_LIMIT)
}

/// A plain client with the harness's limits.
pub fn client() -> anyhow::Result<reqwest::Client> {
    Ok(builder().build()?)
}
