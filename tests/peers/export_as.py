"""Writes the accounts on stdin as another authenticator app's export would hold them, from
that app's published format and independently of Pocket: the crypto comes from pyca's
cryptography and from libsodium (PyNaCl), as the apps themselves use it.

usage: export_as.py FORMAT [--password P] [--hostile] [--key-file PATH] < accounts.json > export

accounts.json is a list of {issuer, name, secret (Base32), type (totp, hotp or steam),
algorithm, digits, period, counter}. FORMAT is one of the names in WRITERS. --hostile names
key-derivation settings no real export has (the reader must refuse them unrun).
"""
import argparse, base64, csv, hashlib, io, json, os, struct, sys, uuid

import nacl.bindings as sodium
import nacl.pwhash
from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hmac import HMAC
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand


def b64(data):
    return base64.b64encode(data).decode()


def b32_bytes(secret):
    secret = secret.upper().replace(" ", "")
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def uri(a):
    """An otpauth:// link as the apps write them (all parameters)."""
    from urllib.parse import quote
    kind = "totp" if a["type"] == "steam" else a["type"]
    label = quote(f"{a['issuer']}:{a['name']}", safe=":@")
    query = f"secret={a['secret']}&issuer={quote(a['issuer'])}&algorithm={a['algorithm']}&digits={a['digits']}"
    query += f"&counter={a['counter']}" if a["type"] == "hotp" else f"&period={a['period']}"
    if a["type"] == "steam":
        query += "&encoder=steam"
    return f"otpauth://{kind}/{label}?{query}"


def gcm(key, plain, aad=None):
    nonce = os.urandom(12)
    return nonce, AESGCM(key).encrypt(nonce, plain, aad)


# --- 2FAS: schema 4 services; encrypted with PBKDF2-SHA256 (10,000) and AES-GCM. ---------

# 2FAS seals a fixed text of its own beside the accounts, to check a password with; a
# reader only needs it to decrypt, so any text stands in for it here.
TWOFAS_REFERENCE = "a known text that only the right password opens " * 5


def twofas_services(accounts, schema):
    services = []
    for i, a in enumerate(accounts):
        otp = {"account": a["name"], "issuer": a["issuer"], "digits": a["digits"],
               "algorithm": a["algorithm"], "tokenType": a["type"].upper(), "source": "Link"}
        if schema >= 4:
            otp["label"] = a["name"]
            otp["link"] = uri(a)
        else:
            otp["label"] = f"{a['issuer']}:{a['name']}"
        if a["type"] == "hotp":
            otp["counter"] = a["counter"]
        else:
            otp["period"] = a["period"]
        if schema < 3:
            del otp["tokenType"], otp["source"]
        services.append({"name": a["issuer"], "secret": a["secret"], "updatedAt": 1700000000000 + i,
                         "otp": otp, "order": {"position": i}})
    return services


def twofas(accounts, password, hostile, schema=4):
    backup = {"services": twofas_services(accounts, schema), "groups": [], "updatedAt": 1700000000000,
              "schemaVersion": schema, "appVersionCode": 5000009, "appVersionName": "5.1.0",
              "appOrigin": "android"}
    if password is not None:
        salt = os.urandom(256)
        key = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 10000, 32)

        def sealed(plain):
            nonce, ct = gcm(key, plain)
            return f"{b64(ct)}:{b64(salt)}:{b64(nonce)}"
        backup["servicesEncrypted"] = sealed(json.dumps(backup["services"], separators=(",", ":")).encode())
        backup["reference"] = sealed(TWOFAS_REFERENCE.encode())
        backup["services"] = []
    return json.dumps(backup).encode()


# --- andOTP: a JSON array; encrypted: iterations, salt, nonce, AES-GCM (PBKDF2-SHA1). --------

def andotp(accounts, password, hostile):
    entries = []
    for a in accounts:
        entry = {"secret": a["secret"], "issuer": a["issuer"], "label": a["name"], "digits": a["digits"],
                 "type": a["type"].upper(), "algorithm": a["algorithm"], "thumbnail": "Default",
                 "last_used": 0, "used_frequency": 0, "tags": []}
        if a["type"] == "hotp":
            entry["counter"] = a["counter"]
        elif a["type"] == "totp":
            entry["period"] = a["period"]
        entries.append(entry)
    plain = json.dumps(entries).encode()
    if password is None:
        return plain
    # andOTP draws 140,000 to 160,000; the hostile file asks for more than any andOTP did.
    iterations = 5_000_000 if hostile else 150_001
    salt = os.urandom(12)
    key = hashlib.pbkdf2_hmac("sha1", password.encode(), salt, 1 if hostile else iterations, 32)
    nonce, ct = gcm(key, plain)
    return struct.pack(">I", iterations) + salt + nonce + ct


# --- Bitwarden: JSON and CSV; protected JSON with PBKDF2 or Argon2id, AES-CBC + HMAC. --------

def bitwarden_totp(a):
    if a["type"] == "steam":
        return "steam://" + a["secret"]
    if a["type"] == "totp" and (a["algorithm"], a["digits"], a["period"]) == ("SHA1", 6, 30):
        return a["secret"].lower()  # a bare key, as people paste it
    return uri(a)


def bitwarden_plain(accounts):
    items = [{"id": str(uuid.uuid4()), "organizationId": None, "folderId": None, "type": 2, "reprompt": 0,
              "name": "A note", "notes": "not an account", "favorite": False, "secureNote": {"type": 0},
              "collectionIds": None}]
    for a in accounts:
        items.append({"id": str(uuid.uuid4()), "organizationId": None, "folderId": None, "type": 1, "reprompt": 0,
                      "name": a["issuer"], "notes": None, "favorite": False,
                      "login": {"uris": [{"match": None, "uri": "https://example.com"}], "username": a["name"],
                                "password": "hunter2", "totp": bitwarden_totp(a)},
                      "collectionIds": None})
    items.append({"id": str(uuid.uuid4()), "type": 1, "name": "No second factor", "login": {"username": "x",
                  "password": "y", "totp": None}})
    return {"encrypted": False, "folders": [], "items": items}


def bitwarden(accounts, password, hostile, kdf="pbkdf2"):
    plain = json.dumps(bitwarden_plain(accounts), indent=2).encode()
    if password is None:
        return plain
    salt = b64(os.urandom(16))
    if kdf == "pbkdf2":
        iterations = 600_000_000 if hostile else 5000
        master = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 1 if hostile else iterations, 32)
        settings = {"kdfType": 0, "kdfIterations": iterations}
    else:
        memory = 4096 if hostile else 16
        master = Argon2id(salt=hashlib.sha256(salt.encode()).digest(), length=32, iterations=2,
                          lanes=4, memory_cost=16 * 1024).derive(password.encode())
        settings = {"kdfType": 1, "kdfIterations": 2, "kdfMemory": memory, "kdfParallelism": 4}
    enc = HKDFExpand(hashes.SHA256(), 32, b"enc").derive(master)
    mac = HKDFExpand(hashes.SHA256(), 32, b"mac").derive(master)

    def enc_string(data):
        iv = os.urandom(16)
        padder = padding.PKCS7(128).padder()
        padded = padder.update(data) + padder.finalize()
        encryptor = Cipher(algorithms.AES(enc), modes.CBC(iv)).encryptor()
        ct = encryptor.update(padded) + encryptor.finalize()
        h = HMAC(mac, hashes.SHA256())
        h.update(iv + ct)
        return f"2.{b64(iv)}|{b64(ct)}|{b64(h.finalize())}"
    export = {"encrypted": True, "passwordProtected": True, "salt": salt, **settings,
              "encKeyValidation_DO_NOT_EDIT": enc_string(str(uuid.uuid4()).encode()),
              "data": enc_string(plain)}
    return json.dumps(export, indent=2).encode()


def bitwarden_csv(accounts, password, hostile):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["folder", "favorite", "type", "name", "notes", "fields", "reprompt", "login_uri",
                     "login_username", "login_password", "login_totp"])
    writer.writerow(["", "", "note", "A note", "line one\nline two, with a comma", "", "0", "", "", "", ""])
    for a in accounts:
        writer.writerow(["Work", "1", "login", a["issuer"], "", "custom: field\nother: \"quoted\"", "0",
                         "https://example.com,https://example.org", a["name"], "p,a\"ss", bitwarden_totp(a)])
    return out.getvalue().encode()


# --- Ente Auth: otpauth lines; encrypted with Argon2id (libsodium) and a secret stream. -------

def ente_line(a):
    from urllib.parse import quote
    kind = {"totp": "totp", "hotp": "hotp", "steam": "steam"}[a["type"]]
    display = quote(json.dumps({"pinned": False, "trashed": a.get("trashed", False), "lastUsedAt": 0,
                                "tapCount": 0, "tags": [], "note": ""})).replace(",", "%2C")
    # Ente does not percent-encode the label.
    line = (f"otpauth://{kind}/{a['issuer']}:{a['name']}?secret={a['secret']}&issuer={quote(a['issuer'])}"
            f"&algorithm={a['algorithm']}&digits={a['digits']}")
    line += f"&counter={a['counter']}" if a["type"] == "hotp" else f"&period={a['period']}"
    return line + f"&codeDisplay={display}"


def ente(accounts, password, hostile):
    text = "".join(ente_line(a) + "\n" for a in accounts).encode()
    if password is None:
        return text
    salt = os.urandom(16)
    ops, mem = 2, 8 << 20
    key = nacl.pwhash.argon2id.kdf(32, password.encode(), salt, opslimit=ops, memlimit=mem)
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    header = sodium.crypto_secretstream_xchacha20poly1305_init_push(state, key)
    sealed = sodium.crypto_secretstream_xchacha20poly1305_push(
        state, text, None, sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL)
    if hostile:
        ops, mem = 4, 4 << 30  # 4 GiB: beyond what any device Ente runs on would give
    return json.dumps({"version": 1, "kdfParams": {"memLimit": mem, "opsLimit": ops, "salt": b64(salt)},
                       "encryptedData": b64(sealed), "encryptionNonce": b64(header)}).encode()


# --- Proton Authenticator: entries of links; encrypted with Argon2id and AES-GCM + AAD. -------

def proton(accounts, password, hostile):
    entries = []
    for a in accounts:
        if a["type"] == "steam":
            content = {"uri": "steam://" + a["secret"].rstrip("="), "entry_type": "Steam", "name": a["name"]}
        else:
            content = {"uri": uri(a), "entry_type": "Totp", "name": a["name"]}
        entries.append({"id": str(uuid.uuid4()), "content": content, "note": None})
    plain = json.dumps({"version": 1, "entries": entries}).encode()
    if password is None:
        return plain
    salt = os.urandom(16)
    key = Argon2id(salt=salt, length=32, iterations=2, lanes=1, memory_cost=19456).derive(password.encode())
    nonce, ct = gcm(key, plain, b"proton.authenticator.export.v1")
    return json.dumps({"version": 1, "salt": b64(salt), "content": b64(nonce + ct)}).encode()


# --- FreeOTP+: tokens with signed-byte secrets, and their order. ------------------------------

def freeotp_plus(accounts, password, hostile):
    tokens, order = [], []
    for a in accounts:
        raw = b32_bytes(a["secret"])
        # FreeOTP keeps the counter of the code last shown: one less than the link's.
        counter = a["counter"] - 1 if a["type"] == "hotp" else 0
        tokens.append({"algo": a["algorithm"], "counter": counter, "digits": a["digits"],
                       "issuerExt": a["issuer"], "issuerInt": a["issuer"], "label": a["name"],
                       "period": a["period"], "secret": [b - 256 if b > 127 else b for b in raw],
                       # Steam has no type of its own: a TOTP token issued by "Steam".
                       "type": "TOTP" if a["type"] == "steam" else a["type"].upper()})
        order.append(f"{a['issuer']}:{a['name']}")
    return json.dumps({"tokenOrder": order, "tokens": tokens}).encode()


# --- Authenticator Pro: capitalised JSON; AUTHENTICATORPRO (Argon2id, GCM) or legacy (CBC). ---

def authenticator_pro(accounts, password, hostile, legacy=None):
    kinds = {"hotp": 1, "totp": 2, "steam": 4}
    algorithms_ = {"SHA1": 0, "SHA256": 1, "SHA512": 2}
    plain = json.dumps({"Authenticators": [
        {"Type": kinds[a["type"]], "Icon": None, "Issuer": a["issuer"], "Username": a["name"], "Secret": a["secret"],
         "Pin": None, "Algorithm": algorithms_[a["algorithm"]], "Digits": a["digits"], "Period": a["period"],
         "Counter": a.get("counter", 0), "CopyCount": 0, "Ranking": i} for i, a in enumerate(accounts)],
        "Categories": [], "AuthenticatorCategories": [], "CustomIcons": []}).encode()
    if password is None:
        return plain
    if legacy:
        # Before 2021: an 8-byte salt and 100,000 iterations; since: 20 bytes and 64,000.
        salt_length, iterations = (8, 100000) if legacy == "2020" else (20, 64000)
        salt, iv = os.urandom(salt_length), os.urandom(16)
        key = hashlib.pbkdf2_hmac("sha1", password.encode(), salt, iterations, 32)
        padder = padding.PKCS7(128).padder()
        encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
        ct = encryptor.update(padder.update(plain) + padder.finalize()) + encryptor.finalize()
        return b"AuthenticatorPro" + salt + iv + ct
    salt = os.urandom(16)
    key = Argon2id(salt=salt, length=32, iterations=3, lanes=4, memory_cost=65536).derive(password.encode())
    nonce, ct = gcm(key, plain)
    return b"AUTHENTICATORPRO" + salt + nonce + ct


WRITERS = {
    "2fas": twofas,
    "2fas-v2": lambda a, p, h: twofas(a, p, h, schema=2),
    "2fas-v3": lambda a, p, h: twofas(a, p, h, schema=3),
    "andotp": andotp,
    "bitwarden": bitwarden,
    "bitwarden-argon2": lambda a, p, h: bitwarden(a, p, h, kdf="argon2"),
    "bitwarden-csv": bitwarden_csv,
    "ente": ente,
    "proton": proton,
    "freeotp-plus": freeotp_plus,
    "authenticator-pro": authenticator_pro,
    "authenticator-pro-legacy": lambda a, p, h: authenticator_pro(a, p, h, legacy="2021"),
    "authenticator-pro-legacy-2020": lambda a, p, h: authenticator_pro(a, p, h, legacy="2020"),
}

import export_more
import export_vaults

WRITERS.update(export_more.WRITERS)
WRITERS.update(export_vaults.WRITERS)
WRITERS["authenticator-plus"] = lambda a, p, h: export_more.authenticator_plus(a, p, h, uri)
WRITERS["authenticator-plus-aes"] = lambda a, p, h: export_more.authenticator_plus(a, p, h, uri, aes=True)

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("format", choices=sorted(WRITERS))
    parser.add_argument("--password")
    parser.add_argument("--hostile", action="store_true")
    parser.add_argument("--key-file", help="where a KeePass writer puts the database's key file")
    args = parser.parse_args()
    export_vaults.KEY_FILE_OUT = args.key_file
    accounts = json.load(sys.stdin)
    sys.stdout.buffer.write(WRITERS[args.format](accounts, args.password, args.hostile))
