//! The relay's HTTP clients: bounded in time, never redirected (a push service answers where
//! it was asked), never through a proxy from the environment (a proxy would resolve endpoint
//! names itself, past the private-address guard), certificates checked against the system's
//! store and Mozilla's roots.

use std::time::Duration;

/// Per request, from sending to the reply's last byte.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// A push service that does not even accept the connection in this time is down.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

pub fn client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .no_proxy()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .tls_built_in_native_certs(true)
        .tls_built_in_webpki_certs(true)
}
