//! The registration QR code of a privacyIDEA smartphone container:
//! `pia://container/SERIAL?issuer=…&ttl=…&nonce=…&time=…&url=…&serial=…&key_algorithm=…`.

use url::Url;

use crate::clock::parse_iso8601;
use crate::error::TransportRisk;
use crate::error::{Error, Result};
use crate::link_query::LinkQuery;
use crate::push::transport_risk;

const SCHEME_PREFIX: &str = "pia://container/";

/// The only key and hash privacyIDEA 3.14 offers; anything else is refused, not guessed.
pub const KEY_ALGORITHM: &str = "secp384r1";
pub const HASH_ALGORITHM: &str = "SHA256";

/// A validated registration link. Its `Debug` leaves the one-time nonce out.
#[derive(Clone, PartialEq, Eq)]
pub struct ContainerLink {
    pub serial: String,
    pub issuer: String,
    /// The server's base address; every endpoint is joined to it.
    pub server: Url,
    pub ttl_minutes: u32,
    /// The registration challenge, signed back by the phone.
    pub nonce: String,
    /// The challenge's time as the server wrote it (signed as is) and as Unix seconds.
    pub time: String,
    pub time_unix: i64,
    pub verify_tls: bool,
    /// What to ask the user for, when the server wants a passphrase.
    pub passphrase_prompt: Option<String>,
    /// Whether the passphrase is sent (checked against the user store) or only signed.
    pub send_passphrase: bool,
}

impl std::fmt::Debug for ContainerLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContainerLink")
            .field("serial", &self.serial)
            .field("issuer", &self.issuer)
            .field("server", &self.server.as_str())
            .field("ttl_minutes", &self.ttl_minutes)
            .field("nonce", &"<redacted>")
            .field("time", &self.time)
            .field("verify_tls", &self.verify_tls)
            .field("passphrase_prompt", &self.passphrase_prompt)
            .field("send_passphrase", &self.send_passphrase)
            .finish()
    }
}

/// Whether `text` is a container registration link at all (scans route on it).
pub fn is_container_link(text: &str) -> bool {
    let text = text.trim();
    text.get(..SCHEME_PREFIX.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(SCHEME_PREFIX))
}

impl ContainerLink {
    pub fn parse(text: &str) -> Result<ContainerLink> {
        let text = text.trim();
        if !is_container_link(text) {
            return Err(Error::NotContainerLink);
        }
        let url = Url::parse(&format!(
            "piacontainer://x/{}",
            &text[SCHEME_PREFIX.len()..]
        ))
        .map_err(|_| Error::NotContainerLink)?;
        let query = LinkQuery::of(&url);
        let get = |name: &str| query.get(name);
        let required = |name: &'static str| query.required(name);
        let flag = |name: &'static str, default: bool| {
            query.flag(name, default, "it must be True or False")
        };

        let serial = query.serial()?;
        for (name, expected) in [
            ("key_algorithm", KEY_ALGORITHM),
            ("hash_algorithm", HASH_ALGORITHM),
        ] {
            if let Some(found) = get(name).filter(|v| !v.is_empty())
                && !found.eq_ignore_ascii_case(expected)
            {
                return Err(Error::invalid(
                    name,
                    format!("{found} is not supported (only {expected})"),
                ));
            }
        }
        let server = Url::parse(&required("url")?)
            .map_err(|_| Error::invalid("url", "it is not a web address"))?;
        if !matches!(server.scheme(), "https" | "http") || server.host().is_none() {
            return Err(Error::invalid("url", "it must be an https:// address"));
        }
        let nonce = required("nonce")?;
        if nonce.len() > 256 || nonce.contains('|') {
            return Err(Error::invalid("nonce", "it is not a challenge"));
        }
        let time = required("time")?;
        if time.contains('|') {
            return Err(Error::invalid("time", "it is not a time"));
        }
        let time_unix = parse_iso8601(&time).ok_or(Error::invalid("time", "it is not a time"))?;
        let ttl_minutes = match get("ttl").filter(|v| !v.is_empty()) {
            None => 10,
            Some(ttl) => ttl
                .parse()
                .map_err(|_| Error::invalid("ttl", "it is not a number of minutes"))?,
        };
        // Server text shown to the user: plain, and short.
        let shown = |text: String, max| crate::push::plain_text(&text, max);
        Ok(ContainerLink {
            issuer: get("issuer")
                .filter(|i| !i.is_empty())
                .map_or_else(|| "privacyIDEA".into(), |i| shown(i, 100)),
            serial,
            server,
            ttl_minutes,
            nonce,
            time,
            time_unix,
            verify_tls: flag("ssl_verify", true)?,
            passphrase_prompt: get("passphrase")
                .filter(|p| !p.is_empty())
                .map(|p| shown(p, 200)),
            send_passphrase: flag("send_passphrase", false)?,
        })
    }

    /// What the user must accept before Pocket registers with this server, if anything: the
    /// same rule as for push tokens.
    pub fn risk(&self) -> Option<TransportRisk> {
        transport_risk(&self.server, self.verify_tls)
    }

    /// Whether the link's time to live is over at `now` (the server would refuse it too,
    /// after the user typed a passphrase for nothing).
    pub fn expired(&self, now_unix: u64) -> bool {
        let until = self
            .time_unix
            .saturating_add(i64::from(self.ttl_minutes) * 60);
        i64::try_from(now_unix).unwrap_or(i64::MAX) > until
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As privacyIDEA 3.14 writes it (`register/initialize`, with a passphrase prompt).
    pub(crate) const REAL: &str = "pia://container/SMPH00012E6F?issuer=privacyIDEA&ttl=10&nonce=6b5cd1e1bd0b4cf6a0ac41d88c1fa1cdc1b3b0c2&time=2026-12-02T09%3A14%3A07.215121%2B00%3A00&url=http%3A//127.0.0.1%3A5055/&serial=SMPH00012E6F&key_algorithm=secp384r1&hash_algorithm=SHA256&ssl_verify=False&passphrase=Your%20company%20PIN&send_passphrase=False";

    #[test]
    fn reads_what_privacyidea_writes() {
        let link = ContainerLink::parse(REAL).unwrap();
        assert_eq!(link.serial, "SMPH00012E6F");
        assert_eq!(link.issuer, "privacyIDEA");
        assert_eq!(link.server.as_str(), "http://127.0.0.1:5055/");
        assert_eq!(link.ttl_minutes, 10);
        assert_eq!(link.time, "2026-12-02T09:14:07.215121+00:00");
        assert_eq!(link.passphrase_prompt.as_deref(), Some("Your company PIN"));
        assert!(!link.send_passphrase && !link.verify_tls);
        assert_eq!(link.risk(), None);
        assert!(!link.expired(link.time_unix as u64 + 600));
        assert!(link.expired(link.time_unix as u64 + 601));
        assert!(is_container_link(
            &REAL.replace("pia://container", "PIA://Container")
        ));
        assert!(!format!("{link:?}").contains("6b5cd1e1bd0b"));
    }

    #[test]
    fn says_what_is_wrong() {
        let cases: [(String, &str, Option<&str>); 6] = [
            ("pia://PIPU0001?v=1".into(), "not_container_link", None),
            (
                REAL.replace("&serial=SMPH00012E6F", ""),
                "missing_parameter",
                Some("serial"),
            ),
            (
                REAL.replace("secp384r1", "secp256r1"),
                "invalid_parameter",
                Some("key_algorithm"),
            ),
            (
                REAL.replace("time=2026", "time=yesterday"),
                "invalid_parameter",
                Some("time"),
            ),
            (
                REAL.replace("ssl_verify=False", "ssl_verify=maybe"),
                "invalid_parameter",
                Some("ssl_verify"),
            ),
            (
                REAL.replace("nonce=6b5c", "nonce=6b%7C5c"),
                "invalid_parameter",
                Some("nonce"),
            ),
        ];
        for (link, code, field) in cases {
            let error = ContainerLink::parse(&link).unwrap_err();
            assert_eq!((error.code(), error.field()), (code, field), "{link}");
        }
    }

    #[test]
    fn an_unchecked_certificate_elsewhere_is_a_risk() {
        let remote = REAL
            .replace("http%3A//127.0.0.1%3A5055/", "https%3A//pi.example.com/")
            .to_string();
        assert_eq!(
            ContainerLink::parse(&remote).unwrap().risk(),
            Some(TransportRisk::CertificateUnchecked)
        );
        let checked = remote.replace("ssl_verify=False", "ssl_verify=True");
        assert_eq!(ContainerLink::parse(&checked).unwrap().risk(), None);
    }
}
