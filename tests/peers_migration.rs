//! Google Authenticator export payloads built by Python's official protobuf runtime (from
//! the export's schema, not from our reader's assumptions) import as the accounts they hold,
//! over a batch of two QR codes, with the accounts Pocket cannot take skipped and named.

use anyhow::{Context, Result, ensure};
use pocket_core::otp::{Algorithm, OtpKind, parse_migration};

/// Builds the schema at run time (no protoc needed), fills it, prints one export link per
/// batch part.
const BUILD_EXPORT: &str = r#"
import base64, urllib.parse
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

f = descriptor_pb2.FileDescriptorProto(name="migration.proto", package="ga", syntax="proto3")
payload = f.message_type.add(name="MigrationPayload")
for name, values in [
    ("Algorithm", ["ALGORITHM_UNSPECIFIED", "ALGORITHM_SHA1", "ALGORITHM_SHA256", "ALGORITHM_SHA512", "ALGORITHM_MD5"]),
    ("DigitCount", ["DIGIT_COUNT_UNSPECIFIED", "DIGIT_COUNT_SIX", "DIGIT_COUNT_EIGHT"]),
    ("OtpType", ["OTP_TYPE_UNSPECIFIED", "OTP_TYPE_HOTP", "OTP_TYPE_TOTP"]),
]:
    enum = payload.enum_type.add(name=name)
    for number, value in enumerate(values):
        enum.value.add(name=value, number=number)
F = descriptor_pb2.FieldDescriptorProto
params = payload.nested_type.add(name="OtpParameters")
for number, (name, kind, type_name) in enumerate([
    ("secret", F.TYPE_BYTES, None), ("name", F.TYPE_STRING, None), ("issuer", F.TYPE_STRING, None),
    ("algorithm", F.TYPE_ENUM, ".ga.MigrationPayload.Algorithm"),
    ("digits", F.TYPE_ENUM, ".ga.MigrationPayload.DigitCount"),
    ("type", F.TYPE_ENUM, ".ga.MigrationPayload.OtpType"), ("counter", F.TYPE_INT64, None),
], start=1):
    field = params.field.add(name=name, number=number, type=kind, label=F.LABEL_OPTIONAL)
    if type_name:
        field.type_name = type_name
payload.field.add(name="otp_parameters", number=1, type=F.TYPE_MESSAGE, label=F.LABEL_REPEATED,
                  type_name=".ga.MigrationPayload.OtpParameters")
for number, name in enumerate(["version", "batch_size", "batch_index", "batch_id"], start=2):
    payload.field.add(name=name, number=number, type=F.TYPE_INT32, label=F.LABEL_OPTIONAL)

pool = descriptor_pool.DescriptorPool()
pool.Add(f)
Payload = message_factory.GetMessageClass(pool.FindMessageTypeByName("ga.MigrationPayload"))

parts = [
    [  # secret, name, issuer, algorithm, digits, type, counter
        (bytes(range(10)), "alice@example.com", "Google", 1, 1, 2, 0),
        (bytes(range(20, 52)), "ACME:bob", "ACME", 2, 2, 2, 0),
        (bytes(range(64)), "carol — Zürich", "Ünïcode Bank", 3, 1, 2, 0),
    ],
    [
        (bytes(range(100, 116)), "dave", "", 0, 0, 0, 0),
        (bytes(range(16)), "erin", "Counter Co", 1, 1, 1, 7),
        (bytes(range(16)), "frank", "Old Bank", 4, 1, 2, 0),
    ],
]
for index, accounts in enumerate(parts):
    message = Payload(version=1, batch_size=len(parts), batch_index=index, batch_id=-1234)
    for secret, name, issuer, algorithm, digits, kind, counter in accounts:
        message.otp_parameters.add(secret=secret, name=name, issuer=issuer, algorithm=algorithm,
                                   digits=digits, type=kind, counter=counter)
    data = base64.b64encode(message.SerializeToString()).decode()
    print("otpauth-migration://offline?data=" + urllib.parse.quote(data, safe=""))
"#;

#[test]
fn an_export_made_by_the_official_protobuf_runtime_imports_correctly() -> Result<()> {
    let out = pocket_tests::tools::run_python(BUILD_EXPORT, b"")?;
    let links: Vec<String> = String::from_utf8(out)?
        .lines()
        .map(str::to_string)
        .collect();
    ensure!(links.len() == 2, "{links:?}");

    let first = parse_migration(&links[0])?;
    let batch = first.batch.context("no batch")?;
    ensure!(
        (batch.index, batch.size, batch.id) == (0, 2, -1234),
        "{batch:?}"
    );
    let read: Vec<_> = first
        .accounts
        .iter()
        .map(|a| {
            (
                a.issuer.as_str(),
                a.name.as_str(),
                a.params.algorithm,
                a.params.digits,
                a.secret.as_bytes().to_vec(),
            )
        })
        .collect();
    ensure!(
        read == vec![
            (
                "Google",
                "alice@example.com",
                Algorithm::Sha1,
                6,
                (0..10).collect::<Vec<u8>>()
            ),
            ("ACME", "bob", Algorithm::Sha256, 8, (20..52).collect()),
            (
                "Ünïcode Bank",
                "carol — Zürich",
                Algorithm::Sha512,
                6,
                (0..64).collect()
            ),
        ],
        "{read:?}"
    );
    ensure!(first.skipped.is_empty());
    ensure!(
        first
            .accounts
            .iter()
            .all(|a| a.params.kind == OtpKind::Totp { period: 30 })
    );

    let second = parse_migration(&links[1])?;
    ensure!(second.batch.map(|b| b.index) == Some(1));
    // Unspecified fields take the export's defaults: SHA1, 6 digits, time-based.
    let dave = &second.accounts[0];
    ensure!(
        (dave.issuer.as_str(), dave.name.as_str(), dave.params.digits) == ("", "dave", 6)
            && dave.params.kind == OtpKind::Totp { period: 30 }
    );
    let erin = &second.accounts[1];
    ensure!(erin.params.kind == OtpKind::Hotp { counter: 7 });
    // MD5 Pocket does not take: skipped, named, with its reason.
    ensure!(second.skipped.len() == 1, "{:?}", second.skipped);
    ensure!(second.skipped[0].label.contains("Old Bank"));
    ensure!(second.skipped[0].reason.field() == Some("algorithm"));
    Ok(())
}
