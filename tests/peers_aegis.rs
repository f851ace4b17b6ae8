//! Aegis vaults against an independent implementation of their spec (Python, with
//! pyca/cryptography's AES-GCM and hashlib's scrypt): a vault Python encrypts imports into
//! Pocket, and the vault Pocket exports decrypts in Python to the same entries.

use std::io::Write;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, ensure};
use pocket_core::otp::{AccountDraft, Algorithm, OtpKind, OtpParams, SecretKey};
use pocket_core::transfer::{read_aegis, write_aegis};

const ENCRYPT: &str = r#"
import base64, hashlib, json, os, sys, uuid
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
password = sys.argv[1].encode()
entries = [
    {"type": "totp", "uuid": str(uuid.uuid4()), "name": "alice@example.com", "issuer": "Google",
     "note": "", "icon": None, "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA1", "digits": 6, "period": 30}},
    {"type": "totp", "uuid": str(uuid.uuid4()), "name": "bob", "issuer": "Bänk",
     "note": "", "icon": None, "info": {"secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "algo": "SHA512", "digits": 8, "period": 60}},
    {"type": "steam", "uuid": str(uuid.uuid4()), "name": "carol", "issuer": "Steam",
     "note": "", "icon": None, "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA1", "digits": 5, "period": 30}},
]
content = json.dumps({"version": 3, "entries": entries, "groups": []}).encode()
master = AESGCM.generate_key(bit_length=256)
def seal(key, data):
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, data, None)
    return sealed[:-16], {"nonce": nonce.hex(), "tag": sealed[-16:].hex()}
db, params = seal(master, content)
salt = os.urandom(32)
key = hashlib.scrypt(password, salt=salt, n=32768, r=8, p=1, dklen=32, maxmem=64 * 1024 * 1024)
wrapped, key_params = seal(key, master)
slots = [
    {"type": 2, "uuid": str(uuid.uuid4()), "key": "00" * 32,
     "key_params": {"nonce": "00" * 12, "tag": "00" * 16}},
    {"type": 1, "uuid": str(uuid.uuid4()), "key": wrapped.hex(), "key_params": key_params,
     "n": 32768, "r": 8, "p": 1, "salt": salt.hex(), "repaired": True},
]
print(json.dumps({"version": 1, "header": {"slots": slots, "params": params},
                  "db": base64.b64encode(db).decode()}))
"#;

const DECRYPT: &str = r#"
import base64, hashlib, json, sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
password = sys.argv[1].encode()
vault = json.load(sys.stdin)
def open_(key, params, data):
    return AESGCM(key).decrypt(bytes.fromhex(params["nonce"]), data + bytes.fromhex(params["tag"]), None)
master = None
for slot in vault["header"]["slots"]:
    if slot["type"] == 1:
        key = hashlib.scrypt(password, salt=bytes.fromhex(slot["salt"]), n=slot["n"], r=slot["r"],
                             p=slot["p"], dklen=32, maxmem=64 * 1024 * 1024)
        master = open_(key, slot["key_params"], bytes.fromhex(slot["key"]))
content = json.loads(open_(master, vault["header"]["params"], base64.b64decode(vault["db"])))
print(json.dumps(content["entries"]))
"#;

fn python(script: &str, password: &str, stdin: Option<&str>) -> Result<String> {
    let mut child = Command::new(pocket_tests::tools::peers_python()?)
        .args(["-c", script, password])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run the peers' Python (`make test` installs it)")?;
    let mut input = child.stdin.take().context("no stdin")?;
    input.write_all(stdin.unwrap_or("").as_bytes())?;
    drop(input);
    let out = child.wait_with_output()?;
    ensure!(
        out.status.success(),
        "python: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8(out.stdout)?)
}

#[test]
fn a_vault_encrypted_by_an_independent_implementation_imports() -> Result<()> {
    let vault = python(ENCRYPT, "pässword 1", None)?;
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
    let entries: serde_json::Value =
        serde_json::from_str(&python(DECRYPT, "leave with this", Some(&export))?)?;
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
