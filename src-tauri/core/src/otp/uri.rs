//! The Key URI format (`otpauth://TYPE/LABEL?PARAMETERS`), parsed as services really write it
//! and formatted canonically.

use url::Url;
use url::form_urlencoded;

use super::draft::AccountDraft;
use super::params::{Algorithm, DEFAULT_PERIOD, OtpKind, OtpParams};
use super::secret::SecretKey;
use crate::error::{Error, Result};

pub fn parse_uri(text: &str) -> Result<AccountDraft> {
    let text = text.trim();
    let scheme_ok = text
        .get(..10)
        .is_some_and(|s| s.eq_ignore_ascii_case("otpauth://"));
    if !scheme_ok {
        return Err(Error::NotOtpauthUri);
    }
    let url = Url::parse(text).map_err(|_| Error::NotOtpauthUri)?;
    let kind_name = url.host_str().unwrap_or_default().to_ascii_lowercase();

    let query = Query::parse(url.query().unwrap_or_default());
    let (label_issuer, name) = split_label(url.path());
    // The parameter wins over the label prefix when they disagree (Key URI spec).
    let issuer = match query.get("issuer") {
        Some(issuer) if !issuer.trim().is_empty() => issuer.trim().to_string(),
        _ => label_issuer,
    };
    let secret = SecretKey::from_base32(
        query
            .get("secret")
            .ok_or(Error::MissingParameter("secret"))?,
    )?;

    let is_steam = kind_name == "steam"
        || query
            .get("encoder")
            .is_some_and(|e| e.eq_ignore_ascii_case("steam"))
        || issuer.eq_ignore_ascii_case("steam");
    let params = match kind_name.as_str() {
        "totp" | "steam" if is_steam => OtpParams::steam(),
        "totp" => OtpParams {
            kind: OtpKind::Totp {
                period: query.number("period")?.unwrap_or(DEFAULT_PERIOD),
            },
            algorithm: query.algorithm()?,
            digits: query.number("digits")?.unwrap_or(6),
        },
        "hotp" => OtpParams {
            kind: OtpKind::Hotp {
                counter: query
                    .number("counter")?
                    .ok_or(Error::MissingParameter("counter"))?,
            },
            algorithm: query.algorithm()?,
            digits: query.number("digits")?.unwrap_or(6),
        },
        other => return Err(Error::UnsupportedOtpType(other.to_string())),
    };
    AccountDraft::new(&issuer, &name, secret, params)
}

/// Formats a draft as a canonical Key URI (issuer both in the label and as a parameter).
pub fn format_uri(draft: &AccountDraft) -> String {
    let label = if draft.issuer.is_empty() {
        encode_component(&draft.name)
    } else {
        format!(
            "{}:{}",
            encode_component(&draft.issuer),
            encode_component(&draft.name)
        )
    };
    let kind = match draft.params.kind {
        OtpKind::Steam => "totp",
        other => other.as_str(),
    };
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("secret", &draft.secret.to_base32());
    if !draft.issuer.is_empty() {
        query.append_pair("issuer", &draft.issuer);
    }
    // Every parameter, even the defaults and Steam's fixed ones: a reader that assumes other
    // defaults still gets the account right.
    query.append_pair("algorithm", draft.params.algorithm.as_str());
    query.append_pair("digits", &draft.params.digits.to_string());
    match draft.params.kind {
        OtpKind::Steam => {
            query.append_pair("period", &DEFAULT_PERIOD.to_string());
            query.append_pair("encoder", "steam");
        }
        OtpKind::Totp { period } => {
            query.append_pair("period", &period.to_string());
        }
        OtpKind::Hotp { counter } => {
            query.append_pair("counter", &counter.to_string());
        }
    }
    // `+` for a space is valid form encoding but some apps read it literally; %20 is safe.
    format!(
        "otpauth://{kind}/{label}?{}",
        query.finish().replace('+', "%20")
    )
}

/// Splits `/Issuer:account` into issuer and account, percent-decoded.
fn split_label(path: &str) -> (String, String) {
    let raw = path.strip_prefix('/').unwrap_or(path);
    let decoded = percent_decode(raw);
    let (issuer, name) = match decoded.split_once(':') {
        Some((issuer, name)) => (issuer.trim().to_string(), name.trim().to_string()),
        None => (String::new(), decoded.trim().to_string()),
    };
    (plus_as_space(&issuer), plus_as_space(&name))
}

/// Some generators write a space as `+` in the label; an e-mail address keeps its `+`.
fn plus_as_space(text: &str) -> String {
    if text.contains('@') {
        text.to_string()
    } else {
        text.replace('+', " ")
    }
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn encode_component(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// Query parameters; names are matched case-insensitively and the first occurrence wins.
struct Query(Vec<(String, String)>);

impl Query {
    fn parse(query: &str) -> Query {
        Query(
            form_urlencoded::parse(query.as_bytes())
                .map(|(k, v)| (k.to_ascii_lowercase(), v.into_owned()))
                .collect(),
        )
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn number<T: std::str::FromStr>(&self, name: &'static str) -> Result<Option<T>> {
        match self.get(name) {
            None => Ok(None),
            Some(text) => text
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| Error::invalid(name, "it is not a whole number in range")),
        }
    }

    fn algorithm(&self) -> Result<Algorithm> {
        self.get("algorithm")
            .map_or(Ok(Algorithm::Sha1), Algorithm::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_SEED_B32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn reads_a_typical_uri() {
        let draft = parse_uri(
            "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30",
        )
        .unwrap();
        assert_eq!(draft.issuer, "ACME Co");
        assert_eq!(draft.name, "john.doe@email.com");
        assert_eq!(draft.params, OtpParams::default_totp());
    }

    #[test]
    fn applies_the_label_rules() {
        let cases = [
            (
                "otpauth://totp/Example:alice?secret=JBSWY3DP",
                "Example",
                "alice",
            ),
            (
                "otpauth://totp/Example%3Aalice?secret=JBSWY3DP",
                "Example",
                "alice",
            ),
            (
                "otpauth://totp/Example:%20%20alice?secret=JBSWY3DP",
                "Example",
                "alice",
            ),
            ("otpauth://totp/alice?secret=JBSWY3DP", "", "alice"),
            (
                "otpauth://totp/alice?secret=JBSWY3DP&issuer=Corp",
                "Corp",
                "alice",
            ),
            (
                "otpauth://totp/Old:alice?secret=JBSWY3DP&issuer=New",
                "New",
                "alice",
            ),
            (
                "otpauth://totp/Big+Corp:alice+smith?secret=JBSWY3DP",
                "Big Corp",
                "alice smith",
            ),
            (
                "otpauth://totp/Corp:alice+tag@x.org?secret=JBSWY3DP",
                "Corp",
                "alice+tag@x.org",
            ),
            ("otpauth://totp/?secret=JBSWY3DP&issuer=Corp", "Corp", ""),
        ];
        for (uri, issuer, name) in cases {
            let draft = parse_uri(uri).unwrap_or_else(|e| panic!("{uri}: {e}"));
            assert_eq!(
                (draft.issuer.as_str(), draft.name.as_str()),
                (issuer, name),
                "{uri}"
            );
        }
    }

    #[test]
    fn reads_every_parameter() {
        let draft = parse_uri(&format!(
            "OTPAUTH://TOTP/X:y?SECRET={RFC_SEED_B32}&algorithm=sha512&digits=8&period=60&image=x"
        ))
        .unwrap();
        assert_eq!(
            draft.params,
            OtpParams {
                kind: OtpKind::Totp { period: 60 },
                algorithm: Algorithm::Sha512,
                digits: 8
            }
        );
        let hotp = parse_uri("otpauth://hotp/X:y?secret=JBSWY3DP&counter=42").unwrap();
        assert_eq!(hotp.params.kind, OtpKind::Hotp { counter: 42 });
        let steam = parse_uri("otpauth://totp/Steam:gamer?secret=JBSWY3DP&issuer=Steam").unwrap();
        assert_eq!(steam.params, OtpParams::steam());
    }

    #[test]
    fn says_which_parameter_is_wrong() {
        let cases: [(&str, &str, Option<&str>); 11] = [
            ("https://example.com", "not_otpauth_uri", None),
            ("otpauth:/totp/x?secret=JBSWY3DP", "not_otpauth_uri", None),
            (
                "otpauth://yotp/x?secret=JBSWY3DP",
                "unsupported_otp_type",
                None,
            ),
            ("otpauth://totp/x", "missing_parameter", Some("secret")),
            (
                "otpauth://totp/x?secret=JBSW1",
                "invalid_parameter",
                Some("secret"),
            ),
            (
                "otpauth://totp/x?secret=JBSWY3DP&algorithm=MD5",
                "invalid_parameter",
                Some("algorithm"),
            ),
            (
                "otpauth://totp/x?secret=JBSWY3DP&digits=9",
                "invalid_parameter",
                Some("digits"),
            ),
            (
                "otpauth://totp/x?secret=JBSWY3DP&digits=six",
                "invalid_parameter",
                Some("digits"),
            ),
            (
                "otpauth://totp/x?secret=JBSWY3DP&period=0",
                "invalid_parameter",
                Some("period"),
            ),
            (
                "otpauth://hotp/x?secret=JBSWY3DP",
                "missing_parameter",
                Some("counter"),
            ),
            ("otpauth://totp/?secret=JBSWY3DP", "missing_label", None),
        ];
        for (uri, code, field) in cases {
            let err = parse_uri(uri).unwrap_err();
            assert_eq!((err.code(), err.field()), (code, field), "{uri}: {err}");
        }
    }

    #[test]
    fn formats_what_it_parses() {
        for uri in [
            format!(
                "otpauth://totp/ACME%20Co:jo%2Bhn%40x.org?secret={RFC_SEED_B32}&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60"
            ),
            "otpauth://totp/alice?secret=JBSWY3DP&algorithm=SHA1&digits=6&period=30".to_string(),
            "otpauth://hotp/X:y?secret=JBSWY3DP&issuer=X&algorithm=SHA1&digits=7&counter=5"
                .to_string(),
            "otpauth://totp/Steam:gamer?secret=JBSWY3DP&issuer=Steam&algorithm=SHA1&digits=5&period=30&encoder=steam".to_string(),
        ] {
            let draft = parse_uri(&uri).unwrap();
            assert_eq!(format_uri(&draft), uri);
            assert_eq!(parse_uri(&format_uri(&draft)).unwrap(), draft);
        }
    }
}
