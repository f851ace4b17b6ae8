//! Aegis vaults (docs/protocols.md): plain and password-encrypted ones imported, and an encrypted
//! export Aegis (and Pocket) can read back, so users can leave.

use aes_gcm::aead::rand_core::RngCore;
use aes_gcm::aead::{Aead, KeyInit, OsRng};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use data_encoding::HEXLOWER_PERMISSIVE as HEX;
use serde::Deserialize;
use serde_json::{Value, json};
use zeroize::Zeroizing;

use super::kdf::{KdfBudget, KdfCost};
use super::wipe::{Entries, entry_as, wipe};
use super::{Format, Imported};
use crate::error::{Error, Result};
use crate::otp::{
    AccountDraft, AccountIcon, Algorithm, MAX_ICON_BYTES, OtpKind, OtpParams, SecretKey,
    SkippedAccount,
};
use sha2::{Digest, Sha256};

/// scrypt as Aegis uses it: N = 2^15, r = 8, p = 1.
const SCRYPT_LOG_N: u8 = 15;
const SCRYPT_R: u32 = 8;
const SCRYPT_P: u32 = 1;
const PASSWORD_SLOT: u64 = 1;

#[derive(Deserialize)]
struct VaultFile {
    version: u64,
    header: Header,
    db: Value,
}

#[derive(Deserialize)]
struct Header {
    slots: Option<Vec<Value>>,
    params: Option<KeyParams>,
}

#[derive(Deserialize)]
struct KeyParams {
    nonce: String,
    tag: String,
}

#[derive(Deserialize)]
struct PasswordSlot {
    key: String,
    key_params: KeyParams,
    n: u64,
    r: u32,
    p: u32,
    salt: String,
}

#[derive(Deserialize)]
struct Content {
    entries: Vec<Value>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    issuer: String,
    info: Info,
    /// Base64 of the image; Aegis' oldest vaults have no `icon_mime` and mean JPEG. Read
    /// loosely, as the label: an odd icon costs the icon, never the account.
    icon: Option<Value>,
    icon_mime: Option<Value>,
    /// Pocket's own: letters on a colour (from a 2FAS label), which Aegis has no field for.
    pocket_label: Option<Value>,
}

#[derive(Deserialize)]
struct Info {
    secret: String,
    algo: Option<String>,
    digits: Option<u8>,
    period: Option<u32>,
    counter: Option<u64>,
}

impl Drop for Info {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.secret);
    }
}

fn unreadable(reason: impl Into<String>) -> Error {
    Error::BackupDamaged(reason.into())
}

/// Aegis' vault file, plain or encrypted: a JSON object with `version`, `header` and `db`.
pub struct Aegis;

impl Format for Aegis {
    fn name(&self) -> &'static str {
        "aegis"
    }

    fn recognises(&self, file: &[u8]) -> bool {
        super::names_keys(file, &["version", "header", "db"])
    }

    fn is_encrypted(&self, file: &[u8]) -> bool {
        super::text(file)
            .and_then(|text| serde_json::from_str::<VaultFile>(text).ok())
            .is_some_and(|vault| vault.header.slots.is_some())
    }

    fn read(&self, file: &[u8], password: Option<&str>, kdf: &mut KdfBudget) -> Result<Imported> {
        let text = super::text(file).ok_or_else(|| unreadable("the vault is not text"))?;
        read_vault(text, password, kdf)
    }
}

/// Reads an Aegis vault on its own; `password` opens an encrypted one.
pub fn read_aegis(text: &str, password: Option<&str>) -> Result<Imported> {
    read_vault(text, password, &mut KdfBudget::default())
}

fn read_vault(text: &str, password: Option<&str>, kdf: &mut KdfBudget) -> Result<Imported> {
    let file: VaultFile =
        serde_json::from_str(text).map_err(|_| unreadable("this is not an Aegis vault"))?;
    if file.version != 1 {
        return Err(unreadable(format!(
            "Aegis vault version {} is not known",
            file.version
        )));
    }
    let content: Content = match (file.header.slots, file.header.params, file.db) {
        (None, None, db @ Value::Object(_)) => serde_json::from_value(db)
            .map_err(|_| unreadable("the vault's contents are not readable"))?,
        (Some(slots), Some(params), Value::String(sealed)) => {
            let password = password.ok_or(Error::BackupPasswordRequired)?;
            let master = open_slots(&slots, password, kdf)?;
            let sealed = base64::engine::general_purpose::STANDARD
                .decode(sealed.trim())
                .map_err(|_| unreadable("the vault's contents are not base64"))?;
            let plain = open(&master, &params, &sealed)
                .map_err(|_| unreadable("the vault's contents do not decrypt"))?;
            serde_json::from_slice(&plain)
                .map_err(|_| unreadable("the vault's contents are not readable"))?
        }
        _ => return Err(unreadable("the vault's header does not match its contents")),
    };
    let entries = Entries(content.entries);
    let mut imported = Imported::default();
    for entry in entries.iter() {
        match read_entry(entry) {
            Ok(draft) => imported.accounts.push(draft),
            Err(reason) => imported.skipped.push(SkippedAccount {
                label: label_of(entry),
                reason,
            }),
        }
    }
    Ok(imported)
}

fn label_of(entry: &Value) -> String {
    let text = |key: &str| entry.get(key).and_then(Value::as_str).unwrap_or("").trim();
    match (text("issuer"), text("name")) {
        ("", name) => name.to_string(),
        (issuer, "") => issuer.to_string(),
        (issuer, name) => format!("{issuer} ({name})"),
    }
}

fn read_entry(entry: &Value) -> Result<AccountDraft> {
    let entry: Entry =
        entry_as(entry).map_err(|_| Error::invalid("info", "this entry is incomplete"))?;
    let info = &entry.info;
    let algorithm = match info.algo.as_deref() {
        Some(algo) => Algorithm::parse(algo)?,
        None => Algorithm::Sha1,
    };
    let digits = info.digits.unwrap_or(6);
    let params = match entry.kind.to_ascii_lowercase().as_str() {
        "totp" => OtpParams {
            kind: OtpKind::Totp {
                period: info.period.unwrap_or(30),
            },
            algorithm,
            digits,
        },
        "hotp" => OtpParams {
            kind: OtpKind::Hotp {
                counter: info.counter.ok_or(Error::MissingParameter("counter"))?,
            },
            algorithm,
            digits,
        },
        "steam" => OtpParams::steam(),
        other => return Err(Error::UnsupportedOtpType(other.to_string())),
    };
    Ok(AccountDraft::new(
        &entry.issuer,
        &entry.name,
        SecretKey::from_base32(&info.secret)?,
        params,
    )?
    .with_icon(icon_of(&entry)))
}

/// The entry's picture, if it has one Pocket keeps; a broken one is left behind, not the
/// account.
fn icon_of(entry: &Entry) -> Option<AccountIcon> {
    if let Some(label) = &entry.pocket_label {
        let text = |key: &str| label.get(key).and_then(Value::as_str);
        return AccountIcon::label(text("text")?, text("colour")?);
    }
    let encoded = entry.icon.as_ref()?.as_str()?;
    // Checked before decoding, so that a huge field costs no second copy.
    if encoded.len() > MAX_ICON_BYTES / 3 * 4 + 4 {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let mime = entry.icon_mime.as_ref().and_then(Value::as_str);
    AccountIcon::image(mime.unwrap_or("image/jpeg"), bytes)
}

/// The entry's `icon`, `icon_mime` and `icon_hash` (SHA-256 of the image) as Aegis writes
/// them, or Pocket's label.
fn icon_fields(icon: Option<&AccountIcon>) -> Value {
    match icon {
        Some(AccountIcon::Image { format, bytes }) => json!({
            "icon": base64::engine::general_purpose::STANDARD.encode(bytes),
            "icon_mime": format.mime(),
            "icon_hash": HEX.encode(&Sha256::digest(bytes)),
        }),
        Some(AccountIcon::Label { text, colour }) => json!({
            "icon": null,
            "pocket_label": { "text": text, "colour": colour },
        }),
        None => json!({ "icon": null }),
    }
}

/// The master key from the first password slot the password opens. Every password slot is
/// read and priced first, so that a file asking for too much is refused before any work.
fn open_slots(slots: &[Value], password: &str, kdf: &mut KdfBudget) -> Result<Zeroizing<Vec<u8>>> {
    let mut password_slots = Vec::new();
    for slot in slots {
        if slot.get("type").and_then(Value::as_u64) != Some(PASSWORD_SLOT) {
            continue; // raw and biometric slots need keys only the other device has
        }
        let slot: PasswordSlot = serde_json::from_value(slot.clone())
            .map_err(|_| unreadable("a password slot is incomplete"))?;
        let log_n = match slot.n {
            n if n.is_power_of_two() && n > 1 => n.trailing_zeros() as u8,
            _ => {
                return Err(unreadable(
                    "a password slot's scrypt N is not a power of two",
                ));
            }
        };
        password_slots.push((slot, log_n));
    }
    if password_slots.is_empty() {
        return Err(unreadable(
            "this vault has no password slot (only a fingerprint unlocks it)",
        ));
    }
    let costs: Vec<KdfCost> = password_slots
        .iter()
        .map(|(slot, log_n)| KdfCost::scrypt(*log_n, slot.r, slot.p))
        .collect();
    kdf.spend(&costs)?;
    for (slot, log_n) in &password_slots {
        let salt = HEX
            .decode(slot.salt.as_bytes())
            .map_err(|_| unreadable("a password slot's salt is not hex"))?;
        let key = scrypt_key(password, &salt, *log_n, slot.r, slot.p)?;
        let wrapped = HEX
            .decode(slot.key.as_bytes())
            .map_err(|_| unreadable("a password slot is not hex"))?;
        if let Ok(master) = open(&key, &slot.key_params, &wrapped) {
            return Ok(master);
        }
    }
    Err(Error::WrongBackupPassword)
}

fn scrypt_key(
    password: &str,
    salt: &[u8],
    log_n: u8,
    r: u32,
    p: u32,
) -> Result<Zeroizing<Vec<u8>>> {
    let params = scrypt::Params::new(log_n, r, p, 32)
        .map_err(|_| unreadable("a password slot's scrypt parameters are not valid"))?;
    let mut key = Zeroizing::new(vec![0u8; 32]);
    scrypt::scrypt(password.as_bytes(), salt, &params, &mut key)
        .map_err(|e| Error::Crypto(e.to_string()))?;
    Ok(key)
}

/// AES-256-GCM with Aegis' layout: ciphertext, and the nonce and tag beside it in hex.
fn open(key: &[u8], params: &KeyParams, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let bad = || unreadable("the encryption parameters are not valid");
    let nonce = HEX.decode(params.nonce.as_bytes()).map_err(|_| bad())?;
    let tag = HEX.decode(params.tag.as_bytes()).map_err(|_| bad())?;
    if nonce.len() != 12 || tag.len() != 16 || key.len() != 32 {
        return Err(bad());
    }
    let cipher = Aes256Gcm::new_from_slice(key).map_err(|_| bad())?;
    let mut sealed = ciphertext.to_vec();
    sealed.extend_from_slice(&tag);
    cipher
        .decrypt(Nonce::from_slice(&nonce), sealed.as_slice())
        .map(Zeroizing::new)
        .map_err(|_| Error::WrongBackupPassword)
}

/// Encrypts `plain`; returns the ciphertext and its nonce and tag in hex.
fn seal(key: &[u8], plain: &[u8]) -> Result<(Vec<u8>, Value)> {
    let cipher = Aes256Gcm::new_from_slice(key).map_err(|e| Error::Crypto(e.to_string()))?;
    let mut nonce = [0u8; 12];
    OsRng.fill_bytes(&mut nonce);
    let mut sealed = cipher
        .encrypt(Nonce::from_slice(&nonce), plain)
        .map_err(|e| Error::Crypto(e.to_string()))?;
    let tag = sealed.split_off(sealed.len() - 16);
    let params = json!({ "nonce": HEX.encode(&nonce), "tag": HEX.encode(&tag) });
    Ok((sealed, params))
}

fn entry_of(draft: &AccountDraft) -> Value {
    let params = &draft.params;
    let (kind, extra) = match params.kind {
        OtpKind::Totp { period } => ("totp", json!({ "period": period })),
        OtpKind::Steam => ("steam", json!({ "period": 30 })),
        OtpKind::Hotp { counter } => ("hotp", json!({ "counter": counter })),
    };
    let mut info = json!({
        "secret": draft.secret.to_base32().to_string(),
        "algo": params.algorithm.as_str(),
        "digits": params.digits,
    });
    if let (Value::Object(info), Value::Object(extra)) = (&mut info, extra) {
        info.extend(extra);
    }
    let mut entry = json!({
        "type": kind,
        "uuid": uuid::Uuid::new_v4().to_string(),
        "name": draft.name,
        "issuer": draft.issuer,
        "note": "",
        "favorite": false,
        "groups": [],
        "info": info,
    });
    if let (Value::Object(entry), Value::Object(icon)) =
        (&mut entry, icon_fields(draft.icon.as_ref()))
    {
        entry.extend(icon);
    }
    entry
}

/// An Aegis vault of `accounts`, encrypted with `password` (one password slot).
pub fn write_aegis(accounts: &[AccountDraft], password: &str) -> Result<Zeroizing<String>> {
    super::check_password(password)?;
    let mut tree = json!({
        "version": 3,
        "entries": accounts.iter().map(entry_of).collect::<Vec<_>>(),
        "groups": [],
    });
    let content = Zeroizing::new(tree.to_string());
    wipe(&mut tree);
    let mut master = Zeroizing::new(vec![0u8; 32]);
    OsRng.fill_bytes(&mut master);
    let (sealed_db, db_params) = seal(&master, content.as_bytes())?;

    let mut salt = [0u8; 32];
    OsRng.fill_bytes(&mut salt);
    let key = scrypt_key(password, &salt, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P)?;
    let (wrapped, key_params) = seal(&key, &master)?;
    let slot = json!({
        "type": PASSWORD_SLOT,
        "uuid": uuid::Uuid::new_v4().to_string(),
        "key": HEX.encode(&wrapped),
        "key_params": key_params,
        "n": 1u64 << SCRYPT_LOG_N,
        "r": SCRYPT_R,
        "p": SCRYPT_P,
        "salt": HEX.encode(&salt),
        "repaired": true,
        "is_backup": false,
    });
    let file = json!({
        "version": 1,
        "header": { "slots": [slot], "params": db_params },
        "db": base64::engine::general_purpose::STANDARD.encode(&sealed_db),
    });
    Ok(Zeroizing::new(
        serde_json::to_string_pretty(&file).map_err(|e| Error::Crypto(e.to_string()))?,
    ))
}
