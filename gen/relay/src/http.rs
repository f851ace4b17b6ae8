//! The relay's HTTP clients: bounded in time, never redirected (a push service answers where
//! it was asked), certificates checked against the system's store and Mozilla's roots.

use std::time::Duration;

/// Per request, from sending to the reply's last byte.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

pub fn client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .tls_built_in_native_certs(true)
        .tls_built_in_webpki_certs(true)
}
