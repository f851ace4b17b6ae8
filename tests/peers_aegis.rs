//! Aegis vaults against an independent implementation of their spec (Python, with
//! pyca/cryptography's AES-GCM and hashlib's scrypt): a vault Python encrypts imports into
//! Pocket, and the vault Pocket exports decrypts in Python to the same entries.

use anyhow::{Context, Result, ensure};
use pocket_core::otp::{AccountDraft, Algorithm, OtpKind, OtpParams, SecretKey};
use pocket_core::transfer::{read_aegis, write_aegis};
use pocket_tests::tools::run_peer;

/// The database of the vault the independent writer encrypts: three entries, one Steam.
const DB: &str = r#"{"version": 3, "groups": [], "entries": [
  {"type": "totp", "uuid": "5b0b3a4e-7f1a-4d59-9a59-1b1f2f3f4f5f", "name": "alice@example.com", "issuer": "Google",
   "note": "", "icon": null, "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA1", "digits": 6, "period": 30}},
  {"type": "totp", "uuid": "6c1c4b5f-8a2b-4e6a-8b6a-2c2a3a4a5a6a", "name": "bob", "issuer": "Bänk",
   "note": "", "icon": null, "info": {"secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "algo": "SHA512", "digits": 8, "period": 60}},
  {"type": "steam", "uuid": "7d2d5c6a-9b3c-4f7b-9c7b-3d3b4b5b6b7b", "name": "carol", "issuer": "Steam",
   "note": "", "icon": null, "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA1", "digits": 5, "period": 30}}
]}"#;

#[test]
fn a_vault_encrypted_by_an_independent_implementation_imports() -> Result<()> {
    let vault = String::from_utf8(run_peer(
        "aegis_encrypt.py",
        &["pässword 1"],
        DB.as_bytes(),
    )?)?;
    let imported = read_aegis(&vault, Some("pässword 1"))?;
    ensure!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    let read: Vec<_> = imported
        .accounts
        .iter()
        .map(|a| {
            (
                a.issuer.as_str(),
                a.name.as_str(),
                a.params.kind,
                a.params.algorithm,
                a.params.digits,
            )
        })
        .collect();
    ensure!(
        read == [
            (
                "Google",
                "alice@example.com",
                OtpKind::Totp { period: 30 },
                Algorithm::Sha1,
                6
            ),
            (
                "Bänk",
                "bob",
                OtpKind::Totp { period: 60 },
                Algorithm::Sha512,
                8
            ),
            ("Steam", "carol", OtpKind::Steam, Algorithm::Sha1, 5),
        ],
        "{read:?}"
    );
    ensure!(
        read_aegis(&vault, Some("pässword 2"))
            .err()
            .map(|e| e.code())
            == Some("wrong_backup_password")
    );
    Ok(())
}

#[test]
fn pockets_export_decrypts_in_an_independent_implementation() -> Result<()> {
    let accounts = vec![
        AccountDraft::new(
            "ACME",
            "alice",
            SecretKey::from_base32("JBSWY3DPEHPK3PXP")?,
            OtpParams::default_totp(),
        )?,
        AccountDraft::new(
            "Counter Co",
            "bob",
            SecretKey::from_base32("GEZDGNBVGY3TQOJQ")?,
            OtpParams {
                kind: OtpKind::Hotp { counter: 9 },
                algorithm: Algorithm::Sha256,
                digits: 8,
            },
        )?,
    ];
    let export = write_aegis(&accounts, "leave with this")?;
    let entries: serde_json::Value = serde_json::from_slice(&run_peer(
        "aegis_decrypt.py",
        &["leave with this"],
        export.as_bytes(),
    )?)?;
    let read: Vec<_> = entries
        .as_array()
        .context("no entries")?
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap_or_default().to_string(),
                e["issuer"].as_str().unwrap_or_default().to_string(),
                e["name"].as_str().unwrap_or_default().to_string(),
                e["info"]["secret"].as_str().unwrap_or_default().to_string(),
                e["info"]["algo"].as_str().unwrap_or_default().to_string(),
                e["info"]["digits"].as_u64(),
                e["info"]["period"].as_u64(),
                e["info"]["counter"].as_u64(),
            )
        })
        .collect();
    ensure!(
        read == [
            (
                "totp".into(),
                "ACME".into(),
                "alice".into(),
                "JBSWY3DPEHPK3PXP".into(),
                "SHA1".into(),
                Some(6),
                Some(30),
                None
            ),
            (
                "hotp".into(),
                "Counter Co".into(),
                "bob".into(),
                "GEZDGNBVGY3TQOJQ".into(),
                "SHA256".into(),
                Some(8),
                None,
                Some(9)
            ),
        ],
        "{read:?}"
    );
    Ok(())
}
