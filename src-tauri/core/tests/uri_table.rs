//! Key URIs as real services and apps write them, each with what Pocket must make of it.

use pocket_core::otp::{Algorithm, OtpKind, parse_uri};

const S80: &str = "JBSWY3DPEHPK3PXP";
const S160: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const S256: &str = "AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQTCQKRMFYYDENBWHA5DYPQ";
const S512: &str = "MRSWMZ3INFVGW3DNNZXXA4LSON2HK5TXPB4XU634PV7H7AEBQKBYJBMGQ6EITCULRSGY5D4QSGJJHFEVS2LZRGM2TOOJ3HU7UCQ2FIY";

#[derive(Debug)]
enum Expect {
    Ok {
        issuer: &'static str,
        name: &'static str,
        kind: &'static str,
        algorithm: Algorithm,
        digits: u8,
        period: Option<u32>,
        secret_bits: usize,
    },
    Err {
        code: &'static str,
        param: Option<&'static str>,
    },
}

const fn ok(issuer: &'static str, name: &'static str) -> Expect {
    Expect::Ok {
        issuer,
        name,
        kind: "totp",
        algorithm: Algorithm::Sha1,
        digits: 6,
        period: Some(30),
        secret_bits: 80,
    }
}

const fn err(code: &'static str, param: Option<&'static str>) -> Expect {
    Expect::Err { code, param }
}

fn with(expect: Expect, change: impl FnOnce(&mut Expect)) -> Expect {
    let mut expect = expect;
    change(&mut expect);
    expect
}

fn table() -> Vec<(String, Expect)> {
    use Algorithm::*;
    let set = |kind: &'static str, algorithm: Algorithm, digits: u8, period: Option<u32>| {
        move |e: &mut Expect| {
            if let Expect::Ok {
                kind: k,
                algorithm: a,
                digits: d,
                period: p,
                ..
            } = e
            {
                (*k, *a, *d, *p) = (kind, algorithm, digits, period);
            }
        }
    };
    let bits = |n: usize| {
        move |e: &mut Expect| {
            if let Expect::Ok { secret_bits, .. } = e {
                *secret_bits = n;
            }
        }
    };
    vec![
        // Big services, as their QR codes read.
        (
            format!("otpauth://totp/Google%3Aalice%40gmail.com?secret={S80}&issuer=Google"),
            ok("Google", "alice@gmail.com"),
        ),
        (
            format!("otpauth://totp/GitHub:alice?secret={S80}&issuer=GitHub"),
            ok("GitHub", "alice"),
        ),
        (
            format!("otpauth://totp/Microsoft:alice%40outlook.com?secret={S80}&issuer=Microsoft"),
            ok("Microsoft", "alice@outlook.com"),
        ),
        (
            format!(
                "otpauth://totp/Amazon%20Web%20Services:alice@123456789012?secret={S80}&issuer=Amazon%20Web%20Services"
            ),
            ok("Amazon Web Services", "alice@123456789012"),
        ),
        (
            format!("otpauth://totp/Dropbox:alice@example.com?secret={S80}&issuer=Dropbox"),
            ok("Dropbox", "alice@example.com"),
        ),
        (
            format!("otpauth://totp/alice@example.com?secret={S80}&issuer=Slack"),
            ok("Slack", "alice@example.com"),
        ),
        (
            format!("otpauth://totp/Discord:alice?secret={S80}"),
            ok("Discord", "alice"),
        ),
        // Odd case.
        (
            format!("OTPAUTH://TOTP/ACME:alice?secret={S80}&issuer=ACME"),
            ok("ACME", "alice"),
        ),
        (
            format!("otpauth://totp/ACME:alice?SECRET={S80}&ISSUER=ACME"),
            ok("ACME", "alice"),
        ),
        (
            format!(
                "otpauth://totp/ACME:alice?secret={}&issuer=ACME",
                S80.to_lowercase()
            ),
            ok("ACME", "alice"),
        ),
        (
            format!("otpauth://totp/ACME:alice?secret={S80}&algorithm=sha256"),
            with(ok("ACME", "alice"), set("totp", Sha256, 6, Some(30))),
        ),
        // Spaces, padding, separators in the secret.
        (
            "otpauth://totp/ACME:alice?secret=JBSW%20Y3DP%20EHPK%203PXP".to_string(),
            ok("ACME", "alice"),
        ),
        (
            "otpauth://totp/ACME:alice?secret=jbsw+y3dp+ehpk+3pxp".to_string(),
            ok("ACME", "alice"),
        ),
        (
            "otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP%3D%3D%3D%3D%3D%3D%3D%3D".to_string(),
            ok("ACME", "alice"),
        ),
        (
            "otpauth://totp/ACME:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY%3D%3D%3D%3D%3D%3D"
                .to_string(),
            with(ok("ACME", "alice"), bits(128)),
        ),
        (
            "otpauth://totp/ACME:alice?secret=JBSW-Y3DP-EHPK-3PXP".to_string(),
            ok("ACME", "alice"),
        ),
        // Labels: %3A, spaces, +, the issuer rules.
        (
            format!("otpauth://totp/Big%20Corp%3A%20alice?secret={S80}"),
            ok("Big Corp", "alice"),
        ),
        (
            format!("otpauth://totp/Big%20Corp:alice?secret={S80}&issuer=Big+Corp"),
            ok("Big Corp", "alice"),
        ),
        (
            format!("otpauth://totp/Old%20Name:alice?secret={S80}&issuer=New%20Name"),
            ok("New Name", "alice"),
        ),
        (
            format!("otpauth://totp/alice?secret={S80}"),
            ok("", "alice"),
        ),
        (
            format!("otpauth://totp/ACME:?secret={S80}&issuer=ACME"),
            ok("ACME", ""),
        ),
        (
            format!("otpauth://totp/?secret={S80}"),
            err("missing_label", None),
        ),
        (
            format!("otpauth://totp/ACME:alice%3Awork?secret={S80}"),
            ok("ACME", "alice:work"),
        ),
        (
            format!("  otpauth://totp/ACME:alice?secret={S80}  \n"),
            ok("ACME", "alice"),
        ),
        // Algorithms, digits, periods.
        (
            format!("otpauth://totp/ACME:alice?secret={S160}&algorithm=SHA256&digits=8"),
            with(
                with(ok("ACME", "alice"), set("totp", Sha256, 8, Some(30))),
                bits(160),
            ),
        ),
        (
            format!("otpauth://totp/ACME:alice?secret={S256}&algorithm=SHA512&digits=8&period=60"),
            with(
                with(ok("ACME", "alice"), set("totp", Sha512, 8, Some(60))),
                bits(256),
            ),
        ),
        (
            format!("otpauth://totp/ACME:alice?secret={S512}&algorithm=SHA512"),
            with(
                with(ok("ACME", "alice"), set("totp", Sha512, 6, Some(30))),
                bits(512),
            ),
        ),
        (
            format!("otpauth://totp/ACME:alice?secret={S80}&digits=7"),
            with(ok("ACME", "alice"), set("totp", Sha1, 7, Some(30))),
        ),
        (
            format!("otpauth://totp/ACME:alice?secret={S80}&period=60"),
            with(ok("ACME", "alice"), set("totp", Sha1, 6, Some(60))),
        ),
        (
            format!("otpauth://totp/ACME:alice?secret={S80}&period=15"),
            with(ok("ACME", "alice"), set("totp", Sha1, 6, Some(15))),
        ),
        (
            format!("otpauth://totp/ACME:alice?secret={S80}&period=86400"),
            with(ok("ACME", "alice"), set("totp", Sha1, 6, Some(86400))),
        ),
        // Steam Guard, three ways services and apps write it.
        (
            format!("otpauth://totp/Steam:alice?secret={S80}&issuer=Steam"),
            with(ok("Steam", "alice"), set("steam", Sha1, 5, Some(30))),
        ),
        (
            format!("otpauth://totp/alice?secret={S80}&encoder=steam"),
            with(ok("", "alice"), set("steam", Sha1, 5, Some(30))),
        ),
        (
            format!("otpauth://steam/Steam:alice?secret={S80}"),
            with(ok("Steam", "alice"), set("steam", Sha1, 5, Some(30))),
        ),
        // HOTP.
        (
            format!("otpauth://hotp/ACME:alice?secret={S80}&counter=5"),
            with(ok("ACME", "alice"), set("hotp", Sha1, 6, None)),
        ),
        (
            format!("otpauth://hotp/ACME:alice?secret={S80}&counter=0&digits=8"),
            with(ok("ACME", "alice"), set("hotp", Sha1, 8, None)),
        ),
        (
            format!("otpauth://hotp/ACME:alice?secret={S80}"),
            err("missing_parameter", Some("counter")),
        ),
        (
            format!("otpauth://hotp/ACME:alice?secret={S80}&counter=-1"),
            err("invalid_parameter", Some("counter")),
        ),
        // Unknown parameters are ignored.
        (
            format!(
                "otpauth://totp/ACME:alice?secret={S80}&image=https%3A%2F%2Fexample.com%2Flogo.png&color=red"
            ),
            ok("ACME", "alice"),
        ),
        // Wrong, each with its parameter.
        (
            "otpauth://totp/ACME:alice?issuer=ACME".to_string(),
            err("missing_parameter", Some("secret")),
        ),
        (
            "otpauth://totp/ACME:alice?secret=JBSWY3DP1".to_string(),
            err("invalid_parameter", Some("secret")),
        ),
        (
            "otpauth://totp/ACME:alice?secret=".to_string(),
            err("invalid_parameter", Some("secret")),
        ),
        (
            format!("otpauth://totp/ACME:alice?secret={S80}&digits=9"),
            err("invalid_parameter", Some("digits")),
        ),
        (
            format!("otpauth://totp/ACME:alice?secret={S80}&digits=5"),
            err("invalid_parameter", Some("digits")),
        ),
        (
            format!("otpauth://totp/ACME:alice?secret={S80}&digits=six"),
            err("invalid_parameter", Some("digits")),
        ),
        (
            format!("otpauth://totp/ACME:alice?secret={S80}&period=0"),
            err("invalid_parameter", Some("period")),
        ),
        (
            format!("otpauth://totp/ACME:alice?secret={S80}&period=-30"),
            err("invalid_parameter", Some("period")),
        ),
        (
            format!("otpauth://totp/ACME:alice?secret={S80}&period=86401"),
            err("invalid_parameter", Some("period")),
        ),
        (
            format!("otpauth://totp/ACME:alice?secret={S80}&algorithm=MD5"),
            err("invalid_parameter", Some("algorithm")),
        ),
        (
            format!("otpauth://motp/ACME:alice?secret={S80}"),
            err("unsupported_otp_type", None),
        ),
        (
            "https://example.com/otpauth://totp/x?secret=JBSWY3DPEHPK3PXP".to_string(),
            err("not_otpauth_uri", None),
        ),
        (
            "otpauth-migration://offline?data=CgA%3D".to_string(),
            err("not_otpauth_uri", None),
        ),
        (String::new(), err("not_otpauth_uri", None)),
    ]
}

#[test]
fn uris_as_services_write_them() {
    let table = table();
    assert!(table.len() >= 40, "{} cases", table.len());
    let mut wrong = Vec::new();
    for (uri, expect) in &table {
        let got = parse_uri(uri);
        let matches = match (&got, expect) {
            (
                Ok(draft),
                Expect::Ok {
                    issuer,
                    name,
                    kind,
                    algorithm,
                    digits,
                    period,
                    secret_bits,
                },
            ) => {
                draft.issuer == *issuer
                    && draft.name == *name
                    && draft.params.kind.as_str() == *kind
                    && draft.params.algorithm == *algorithm
                    && draft.params.digits == *digits
                    && draft.params.period() == *period
                    && draft.secret.bit_len() == *secret_bits
                    && matches!(
                        (draft.params.kind, *kind),
                        (OtpKind::Hotp { .. }, "hotp")
                            | (OtpKind::Totp { .. }, "totp")
                            | (OtpKind::Steam, "steam")
                    )
            }
            (Err(error), Expect::Err { code, param }) => {
                error.code() == *code && error.field() == *param
            }
            _ => false,
        };
        if !matches {
            wrong.push(format!(
                "{uri:?}\n    expected {expect:?}\n    got      {got:?}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} wrong:\n{}",
        wrong.len(),
        table.len(),
        wrong.join("\n")
    );
}
