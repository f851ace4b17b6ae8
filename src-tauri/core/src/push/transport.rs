//! Whether the connection to a push server can be trusted: the rule for enrollment links, for
//! the tokens in the list, and for pocket-gen, in one place.

use url::Url;

/// What is wrong with how a server is reached. Either lets anyone on the network between the
/// phone and the server read and change what passes, and so answer logins in the user's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportRisk {
    /// `http://` to another machine: nothing is encrypted.
    PlainHttp,
    /// `https://` with `sslverify=0`: encrypted, but to whoever answers.
    CertificateUnchecked,
}

impl TransportRisk {
    /// The kind of error the UI explains and asks the user to accept.
    pub fn kind(self) -> crate::error::ErrorKind {
        match self {
            TransportRisk::PlainHttp => crate::error::ErrorKind::InsecureServer,
            TransportRisk::CertificateUnchecked => crate::error::ErrorKind::CertificateUnchecked,
        }
    }

    pub fn code(self) -> &'static str {
        self.kind().code()
    }

    /// Finishes "{host} is reached …" for logs and the command line.
    pub fn explain(self) -> &'static str {
        match self {
            TransportRisk::PlainHttp => {
                "over plain HTTP: anyone on the network can read and change what passes, and answer logins in your name"
            }
            TransportRisk::CertificateUnchecked => {
                "without checking its certificate (sslverify=0): anyone on the network can pose as it, read and change what passes, and answer logins in your name"
            }
        }
    }
}

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

fn is_loopback(url: &Url) -> bool {
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
