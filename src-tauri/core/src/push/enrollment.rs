//! The push token enrollment QR code: `otpauth://pipush/LABEL?…` or `pia://LABEL?…`.

use url::Url;

use super::transport::transport_risk;
use crate::error::TransportRisk;
use crate::error::{Error, Result};
use crate::link_query::LinkQuery;

/// A validated enrollment, before the rollout. Its `Debug` leaves the credential out.
#[derive(Clone, PartialEq, Eq)]
pub struct PushEnrollment {
    pub serial: String,
    pub label: String,
    pub issuer: String,
    /// Where the phone rolls out, polls and answers (privacyIDEA's `/ttype/push`).
    pub url: Url,
    /// Minutes within which the rollout must happen, counted from when the code was shown.
    pub ttl_minutes: u32,
    pub enrollment_credential: String,
    /// `sslverify=0`: the server asked not to verify its certificate (test set-ups).
    pub verify_tls: bool,
    pub poll_only: bool,
    /// The server asks for the unlock step before each answer (its `app_force_unlock`).
    pub unlock: Option<super::UnlockDemand>,
}

impl PushEnrollment {
    /// What the user must accept before Pocket enrolls with this server, if anything.
    pub fn risk(&self) -> Option<TransportRisk> {
        transport_risk(&self.url, self.verify_tls)
    }
}

impl std::fmt::Debug for PushEnrollment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushEnrollment")
            .field("serial", &self.serial)
            .field("label", &self.label)
            .field("issuer", &self.issuer)
            .field("url", &self.url.as_str())
            .field("ttl_minutes", &self.ttl_minutes)
            .field("enrollment_credential", &"<redacted>")
            .field("verify_tls", &self.verify_tls)
            .field("poll_only", &self.poll_only)
            .field("unlock", &self.unlock)
            .finish()
    }
}

pub fn parse_enrollment(text: &str) -> Result<PushEnrollment> {
    let text = text.trim();
    let lower = text.get(..17).unwrap_or(text).to_ascii_lowercase();
    let rest = if lower.starts_with("otpauth://pipush/") {
        &text[17..]
    } else if lower.starts_with("pia://") {
        &text[6..]
    } else {
        return Err(Error::NotPushEnrollment);
    };
    // Parse as one URL with a fixed scheme so that label and query are split the same way.
    let url = Url::parse(&format!("pipush://x/{rest}")).map_err(|_| Error::NotPushEnrollment)?;
    let query = LinkQuery::of(&url);
    let get = |name: &str| query.get(name);
    let required = |name: &'static str| query.required(name);

    let version = required("v")?;
    if version != "1" {
        return Err(Error::invalid(
            "v",
            format!("version {version} of the push protocol is not supported"),
        ));
    }
    let serial = query.serial()?;
    let server = Url::parse(&required("url")?)
        .map_err(|_| Error::invalid("url", "it is not a web address"))?;
    if !matches!(server.scheme(), "https" | "http") || server.host().is_none() {
        return Err(Error::invalid("url", "it must be an https:// address"));
    }
    let ttl_minutes = required("ttl")?
        .parse()
        .map_err(|_| Error::invalid("ttl", "it is not a number of minutes"))?;
    let enrollment_credential = required("enrollment_credential")?;
    let label = percent_decoded(url.path().trim_start_matches('/'));
    let flag = |name: &'static str, default: bool| query.flag(name, default, "it must be 0 or 1");
    Ok(PushEnrollment {
        issuer: get("issuer").unwrap_or_default(),
        label: if label.is_empty() {
            serial.clone()
        } else {
            label
        },
        serial,
        url: server,
        ttl_minutes,
        enrollment_credential,
        verify_tls: flag("sslverify", true)?,
        poll_only: flag("poll_only", false)?,
        unlock: super::UnlockDemand::in_link(&query),
    })
}

fn percent_decoded(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const REAL: &str = "otpauth://pipush/PIPU000077AA?url=http%3A//127.0.0.1%3A5055/ttype/push&ttl=10&issuer=privacyIDEA&enrollment_credential=950b5080254eeec914b4fc9e3bac4e9468b518e1&v=1&serial=PIPU000077AA&sslverify=0&poll_only=True";

    #[test]
    fn reads_what_privacyidea_writes() {
        let enrollment = parse_enrollment(REAL).unwrap();
        assert_eq!(enrollment.serial, "PIPU000077AA");
        assert_eq!(enrollment.label, "PIPU000077AA");
        assert_eq!(enrollment.issuer, "privacyIDEA");
        assert_eq!(enrollment.url.as_str(), "http://127.0.0.1:5055/ttype/push");
        assert_eq!(enrollment.ttl_minutes, 10);
        assert!(!enrollment.verify_tls && enrollment.poll_only);
        // On this device: no network between the phone and the server.
        assert_eq!(enrollment.risk(), None);
        let pia = parse_enrollment(&REAL.replace("otpauth://pipush/", "pia://")).unwrap();
        assert_eq!(pia, enrollment);
    }

    #[test]
    fn says_what_is_wrong() {
        let cases: [(&str, &str, Option<&str>); 7] = [
            ("otpauth://totp/x?secret=A", "not_push_enrollment", None),
            (
                "otpauth://pipush/X?v=1",
                "missing_parameter",
                Some("serial"),
            ),
            (&REAL.replace("v=1", "v=2"), "invalid_parameter", Some("v")),
            (
                &REAL.replace("ttl=10", "ttl=soon"),
                "invalid_parameter",
                Some("ttl"),
            ),
            (
                &REAL.replace("url=http%3A//127.0.0.1%3A5055/ttype/push", "url=ftp%3A//x/"),
                "invalid_parameter",
                Some("url"),
            ),
            (
                &REAL.replace(
                    "&enrollment_credential=950b5080254eeec914b4fc9e3bac4e9468b518e1",
                    "",
                ),
                "missing_parameter",
                Some("enrollment_credential"),
            ),
            (
                &REAL.replace("sslverify=0", "sslverify=maybe"),
                "invalid_parameter",
                Some("sslverify"),
            ),
        ];
        for (uri, code, field) in cases {
            let err = parse_enrollment(uri).unwrap_err();
            assert_eq!((err.code(), err.field()), (code, field), "{uri}");
        }
    }

    #[test]
    fn plain_http_and_unchecked_certificates_are_risks_unless_on_this_device() {
        let remote = REAL.replace("127.0.0.1%3A5055", "mfa.example.com");
        assert_eq!(
            parse_enrollment(&remote).unwrap().risk(),
            Some(TransportRisk::PlainHttp)
        );
        let https = remote.replace("http%3A", "https%3A");
        assert_eq!(
            parse_enrollment(&https).unwrap().risk(),
            Some(TransportRisk::CertificateUnchecked)
        );
        let checked = https.replace("sslverify=0", "sslverify=1");
        assert_eq!(parse_enrollment(&checked).unwrap().risk(), None);
        let localhost = REAL.replace("127.0.0.1", "localhost");
        assert_eq!(parse_enrollment(&localhost).unwrap().risk(), None);
    }

    #[test]
    fn the_credential_is_never_printed() {
        let shown = format!("{:?}", parse_enrollment(REAL).unwrap());
        assert!(shown.contains("PIPU000077AA"), "{shown}");
        assert!(
            !shown.contains("950b5080254eeec914b4fc9e3bac4e9468b518e1"),
            "{shown}"
        );
    }
}
