//! Whether the connection to a push server can be trusted: the rule for enrollment links, for
//! the tokens in the list, and for pocket-gen, in one place.

use url::Url;

use crate::error::TransportRisk;

/// The risk of reaching `url`, with or without certificate checks. This device itself
/// (loopback) is no risk: nobody is on the way.
pub fn transport_risk(url: &Url, verify_tls: bool) -> Option<TransportRisk> {
    if is_loopback(url) {
        None
    } else if url.scheme() == "http" {
        Some(TransportRisk::PlainHttp)
    } else if !verify_tls {
        Some(TransportRisk::CertificateUnchecked)
    } else {
        None
    }
}

pub(super) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchecked_certificates_are_as_risky_as_plain_http_except_on_this_device() {
        let risk = |url: &str, verify| transport_risk(&Url::parse(url).unwrap(), verify);
        assert_eq!(risk("https://mfa.example.com/ttype/push", true), None);
        assert_eq!(
            risk("https://mfa.example.com/ttype/push", false),
            Some(TransportRisk::CertificateUnchecked)
        );
        assert_eq!(
            risk("http://mfa.example.com/ttype/push", true),
            Some(TransportRisk::PlainHttp)
        );
        assert_eq!(
            risk("http://10.1.2.3/ttype/push", false),
            Some(TransportRisk::PlainHttp)
        );
        for local in [
            "http://127.0.0.1:5000/",
            "https://127.0.0.1:5000/",
            "http://[::1]/",
            "https://localhost/",
        ] {
            assert_eq!(risk(local, false), None, "{local}");
        }
    }
}
