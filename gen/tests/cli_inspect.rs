//! `pocket-gen inspect`: the parsed account as JSON, or the error kind and its parameter.

use std::process::Command;
use std::time::Duration;

use pocket_tests::process::run;

fn inspect(uri: &str) -> (bool, serde_json::Value) {
    let out = run(
        Command::new(env!("CARGO_BIN_EXE_pocket-gen")).args(["inspect", uri]),
        Duration::from_secs(30),
    )
    .unwrap();
    let report = serde_json::from_slice(&out.stdout).unwrap();
    (out.success(), report)
}

#[test]
fn an_account_prints_as_json() {
    let (ok, report) = inspect(
        "otpauth://totp/ACME%20Co:bob@example.com?secret=jbswy3dpehpk3pxp&digits=8&algorithm=sha256&period=60",
    );
    assert!(ok);
    assert_eq!(report["type"], "totp");
    assert_eq!(report["issuer"], "ACME Co");
    assert_eq!(report["name"], "bob@example.com");
    assert_eq!(report["algorithm"], "SHA256");
    assert_eq!(report["digits"], 8);
    assert_eq!(report["period"], 60);
    assert_eq!(report["secret_bits"], 80);
    assert!(report["counter"].is_null());
    let canonical = report["canonical_uri"].as_str().unwrap();
    assert!(
        canonical.starts_with("otpauth://totp/ACME%20Co:bob%40example.com?secret=JBSWY3DPEHPK3PXP")
    );

    let (ok, report) = inspect("otpauth://hotp/X:y?secret=JBSWY3DPEHPK3PXP&counter=42");
    assert!(ok);
    assert_eq!(
        (report["type"].as_str(), report["counter"].as_u64()),
        (Some("hotp"), Some(42))
    );
}

#[test]
fn an_error_prints_its_kind_and_parameter() {
    let (ok, report) = inspect("otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP&period=0");
    assert!(!ok);
    assert_eq!(report["error"], "invalid_parameter");
    assert_eq!(report["parameter"], "period");
    let (ok, report) = inspect("http://example.com");
    assert!(!ok);
    assert_eq!(report["error"], "not_otpauth_uri");
    assert!(report["parameter"].is_null());
}
