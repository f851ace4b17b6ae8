"""The second wave of export_as.py's writers: FreeOTP 1 and 2, LastPass, Steam Desktop
Authenticator, Proton Pass, TOTP Authenticator, Authenticator Plus, andOTP's first encryption
and 2FAS's first schema (password managers' and vaults' files are in export_vaults.py).
Each is written from the app's published format (its source), with Python's standard
library, pyca's cryptography and pyzipper, independently of Pocket."""
import base64, hashlib, io, json, os, struct, subprocess, tempfile, uuid, zipfile
from xml.sax.saxutils import escape

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def b32_bytes(secret):
    secret = secret.upper().replace(" ", "")
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def signed(data):
    """Java's bytes: signed, as Gson writes a byte[]."""
    return [b - 256 if b > 127 else b for b in data]


def cbc(key, iv, plain):
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(padder.update(plain) + padder.finalize()) + encryptor.finalize()


def freeotp_token(a, with_secret, algo_always=True):
    # FreeOTP keeps the counter of the code last shown: one less than the link's.
    token = {"counter": a["counter"] - 1 if a["type"] == "hotp" else 0, "digits": a["digits"],
             "issuerExt": a["issuer"], "issuerInt": a["issuer"], "label": a["name"],
             "period": a["period"], "type": "TOTP" if a["type"] == "steam" else a["type"].upper()}
    if algo_always or a["algorithm"] != "SHA1":
        token["algo"] = a["algorithm"]
    if with_secret:
        token["secret"] = signed(b32_bytes(a["secret"]))
    return token


# --- FreeOTP 1: shared preferences XML, each token's JSON under "issuer:label". -------------

def freeotp_1(accounts, password, hostile):
    names = [f"{a['issuer']}:{a['name']}" for a in accounts]
    lines = ["<?xml version='1.0' encoding='utf-8' standalone='yes' ?>", "<map>"]
    # Android writes the entries in hash order, not the app's: the order list says which.
    for a, name in reversed(list(zip(accounts, names))):
        value = json.dumps(freeotp_token(a, True), separators=(",", ":"))
        lines.append(f'    <string name="{escape(name, {chr(34): "&quot;"})}">'
                     f'{escape(value, {chr(34): "&quot;"})}</string>')
    order = json.dumps(names, separators=(",", ":"))
    lines.append(f'    <string name="tokenOrder">{escape(order, {chr(34): "&quot;"})}</string>')
    lines.append("</map>")
    return ("\n".join(lines) + "\n").encode()


# --- FreeOTP 2: a Java-serialised HashMap<String, String>, keys sealed with AES-GCM. ----------

def java_utf(text):
    """Java's modified UTF-8: UTF-16 units, NUL as two bytes."""
    out = bytearray()
    units = text.encode("utf-16-be")
    for i in range(0, len(units), 2):
        u = (units[i] << 8) | units[i + 1]
        if 0 < u < 0x80:
            out.append(u)
        elif u < 0x800:
            out += bytes([0xC0 | (u >> 6), 0x80 | (u & 0x3F)])
        else:
            out += bytes([0xE0 | (u >> 12), 0x80 | ((u >> 6) & 0x3F), 0x80 | (u & 0x3F)])
    return bytes(out)


def java_map(pairs, android_6):
    """ObjectOutputStream.writeObject(HashMap) as Android writes it: before 7 (Harmony) the
    class has one field, loadFactor; since, two (threshold too)."""
    out = bytearray(b"\xac\xed\x00\x05")
    out += b"\x73\x72" + struct.pack(">H", 17) + b"java.util.HashMap"
    out += bytes.fromhex("0507dac1c31660d1") + b"\x03"
    fields = [(b"F", b"loadFactor")] if android_6 else [(b"F", b"loadFactor"), (b"I", b"threshold")]
    out += struct.pack(">H", len(fields))
    for code, name in fields:
        out += code + struct.pack(">H", len(name)) + name
    out += b"\x78\x70"
    out += struct.pack(">f", 0.75)
    if not android_6:
        out += struct.pack(">i", 12)
    capacity = 16
    while capacity * 0.75 < len(pairs):
        capacity *= 2
    out += b"\x77\x08" + struct.pack(">ii", capacity, len(pairs))
    handles, next_handle = {}, 0x7E0002
    for key, value in pairs:
        for text in (key, value):
            if text in handles:
                out += b"\x71" + struct.pack(">I", handles[text])
                continue
            data = java_utf(text)
            out += (b"\x74" + struct.pack(">H", len(data))) if len(data) < 0x10000 \
                else (b"\x7c" + struct.pack(">Q", len(data)))
            out += data
            handles[text] = next_handle
            next_handle += 1
    out += b"\x78"
    return bytes(out)


def freeotp_sealed(key, plain, token):
    """EncryptedKey: AES/GCM/NoPadding, its parameters as DER GCMParameters, the ciphertext
    with its tag, and what was sealed (also the associated data)."""
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plain, token.encode())
    der = b"\x30\x11\x04\x0c" + nonce + b"\x02\x01\x10"
    return {"mCipher": "AES/GCM/NoPadding", "mCipherText": signed(sealed),
            "mParameters": signed(der), "mToken": token}


def freeotp_2(accounts, password, hostile, android_6=False, iterations=100000):
    master = os.urandom(32)
    salt = os.urandom(32)
    wrapping = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, 1 if hostile else iterations, 32)
    master_key = {"mAlgorithm": "PBKDF2withHmacSHA512",
                  "mEncryptedKey": freeotp_sealed(wrapping, master, "AES"),
                  "mIterations": 2_000_000_000 if hostile else iterations, "mSalt": signed(salt)}
    pairs = [("masterKey", json.dumps(master_key, separators=(",", ":")))]
    for a in accounts:
        token_id = str(uuid.uuid4())
        hmac = "Hmac" + a["algorithm"]
        sealed = freeotp_sealed(master, b32_bytes(a["secret"]), hmac)
        pairs.append((token_id, json.dumps({"key": json.dumps(sealed, separators=(",", ":"))})))
        # The Android 6 file is also the one whose SHA1 tokens name no algorithm.
        settings = freeotp_token(a, False, algo_always=not android_6)
        pairs.append((token_id + "-token", json.dumps(settings, separators=(",", ":"))))
    return java_map(pairs, android_6)


# --- LastPass Authenticator: JSON, Android (version 3, device fields) and iOS (version 1). ----

def lastpass(accounts, password, hostile, ios=False):
    rows = []
    for i, a in enumerate(accounts):
        row = {"accountID": str(uuid.uuid4()), "issuerName": a["issuer"], "originalIssuerName": a["issuer"],
               "userName": a["name"], "originalUserName": a["name"], "pushNotification": False,
               "secret": a["secret"], "timeStep": a["period"], "digits": a["digits"],
               "creationTimestamp": 1700000000 + i if ios else 1700000000000 + i,
               "isFavorite": i == 0, "algorithm": a["algorithm"],
               "folderData": {"folderId": 0 if i == 0 else 1, "position": 0 if i == 0 else i - 1}}
        if ios and i % 2:
            # Renamed in the app to nothing: the names the code came with stand in.
            row["issuerName"], row["userName"] = "", ""
        if not ios:
            row["backupInfo"] = {"creationDate": "2024-01-01", "deviceOS": "Android", "appVersion": "2.11.0"}
        rows.append(row)
    # The app writes its favourites folder's accounts first whatever their creation order.
    rows = rows[1:] + rows[:1]
    export = {"version": 1 if ios else 3, "accounts": rows,
              "folders": [{"id": 0, "name": "Favorites", "isOpened": True},
                          {"id": 1, "name": "Other Accounts", "isOpened": True}]}
    if not ios:
        export.update({"deviceId": str(uuid.uuid4()), "deviceSecret": os.urandom(16).hex(),
                       "localDeviceId": str(uuid.uuid4()), "deviceName": "Pixel 8"})
    return json.dumps(export, indent=2).encode()


# --- Steam Desktop Authenticator: .maFile JSON; the maFiles folder (manifest.json) zipped. ---

def steam_ma_file(a, i):
    return {"shared_secret": base64.b64encode(b32_bytes(a["secret"])).decode(),
            "serial_number": str(7000000000000000000 + i), "revocation_code": f"R{i:05d}",
            "uri": f"otpauth://totp/Steam:{a['name']}?secret={a['secret']}&issuer=Steam",
            "server_time": 1700000000, "account_name": a["name"], "token_gid": os.urandom(8).hex(),
            "identity_secret": base64.b64encode(os.urandom(20)).decode(),
            "secret_1": base64.b64encode(os.urandom(20)).decode(), "status": 1,
            "device_id": f"android:{uuid.uuid4()}", "fully_enrolled": True,
            "Session": {"SessionID": os.urandom(12).hex(), "SteamID": 76561190000000000 + i}}


def steam_file(accounts, password, hostile):
    return json.dumps(steam_ma_file(accounts[0], 0)).encode()


def steam_folder(accounts, password, hostile):
    entries, files = [], {}
    for i, a in enumerate(accounts):
        steamid = 76561190000000000 + i
        name = f"{steamid}.maFile"
        plain = json.dumps(steam_ma_file(a, i)).encode()
        entry = {"encryption_iv": None, "encryption_salt": None, "filename": name, "steamid": steamid}
        if password is not None:
            salt, iv = os.urandom(8), os.urandom(16)
            key = hashlib.pbkdf2_hmac("sha1", password.encode(), salt, 50000, 32)
            plain = base64.b64encode(cbc(key, iv, plain))
            entry["encryption_iv"] = base64.b64encode(iv).decode()
            entry["encryption_salt"] = base64.b64encode(salt).decode()
        entries.append(entry)
        files[name] = plain
    manifest = {"encrypted": password is not None, "first_run": False, "entries": entries,
                "periodic_checking": False, "periodic_checking_interval": 5,
                "periodic_checking_checkall": False, "auto_confirm_market_transactions": False,
                "auto_confirm_trades": False}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("maFiles/manifest.json", json.dumps(manifest))
        for name, data in files.items():
            archive.writestr("maFiles/" + name, data)
    return out.getvalue()


# --- Proton Pass: a zip holding "Proton Pass/data.json", vaults of items. --------------------

def proton_pass_uri(a):
    from urllib.parse import quote
    if a["algorithm"] == "SHA1" and a["digits"] == 6 and a["period"] == 30 and a["name"].startswith("z"):
        return a["secret"]  # a bare key, as people paste it
    return (f"otpauth://totp/{quote(a['issuer'])}:{quote(a['name'], safe='@')}?secret={a['secret']}"
            f"&issuer={quote(a['issuer'])}&algorithm={a['algorithm']}&digits={a['digits']}&period={a['period']}")


def proton_pass_item(share, name, content, extra=(), state=1, kind="login"):
    return {"itemId": base64.b64encode(os.urandom(12)).decode(), "shareId": share,
            "data": {"metadata": {"name": name, "note": "", "itemUuid": str(uuid.uuid4())[:8]},
                     "extraFields": list(extra), "type": kind, "content": content},
            "state": state, "aliasEmail": None, "contentFormatVersion": 1, "createTime": 1700000000,
            "modifyTime": 1700000100, "pinned": False}


def proton_pass(accounts, password, hostile):
    share = base64.b64encode(os.urandom(24)).decode()
    items = [proton_pass_item(share, "A note", {}, kind="note"),
             proton_pass_item(share, "No code", {"itemEmail": "x@example.com", "itemUsername": "", "password": "p",
                                                 "urls": [], "totpUri": "", "passkeys": []})]
    for i, a in enumerate(accounts):
        content = {"itemEmail": a["name"] if "@" in a["name"] else "", "itemUsername": "" if "@" in a["name"] else a["name"],
                   "password": "hunter2", "urls": ["https://example.com"], "totpUri": proton_pass_uri(a),
                   "passkeys": []}
        extra = [{"fieldName": "PIN", "type": "hidden", "data": {"content": "1234"}}]
        if i == len(accounts) - 1:
            # The last one's code is an extra field of an item whose own is blank.
            extra.append({"fieldName": "", "type": "totp", "data": {"totpUri": content["totpUri"]}})
            content["totpUri"] = ""
        items.append(proton_pass_item(share, a["issuer"], content, extra))
    items.append(proton_pass_item(share, "Old site", {"itemEmail": "", "itemUsername": "old", "password": "",
                                                      "urls": [], "totpUri": "JBSWY3DPEHPK3PXP", "passkeys": []},
                                  state=2))
    data = {"version": "1.21.2", "userId": base64.b64encode(os.urandom(12)).decode(), "encrypted": False,
            "vaults": {share: {"name": "Personal", "description": "Personal vault",
                               "display": {"color": 0, "icon": 0}, "items": items}}}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Proton Pass/data.json", json.dumps(data))
    return out.getvalue()


# --- TOTP Authenticator: Base64 of AES-256-CBC (zero IV) under SHA-256 of the password. ------

TOTP_AUTHENTICATOR_DEFAULT = "TotpAuthenticator"


def totp_authenticator(accounts, password, hostile):
    rows = []
    for a in accounts:
        rows.append({"accountHeaderLabel": "", "allowNotifications": False, "base": 16,
                     "digits": str(a["digits"]), "fileName": "", "iconLabel": a["issuer"][:1],
                     "iconPath": "", "isFavorite": False, "isSelected": False, "isWidgetActive": False,
                     "issuer": a["issuer"], "key": b32_bytes(a["secret"]).hex().upper(),
                     "name": a["name"].lower(), "period": str(a["period"]), "setIconFromDrawable": False,
                     "source": "", "timeRemaining": 0, "totpCode": "", "widgetId": 0})
    plain = json.dumps({json.dumps(rows, separators=(",", ":")): "1700000000"}, separators=(",", ":"))
    key = hashlib.sha256((password or TOTP_AUTHENTICATOR_DEFAULT).encode()).digest()
    return base64.b64encode(cbc(key, bytes(16), plain.encode()))


# --- Authenticator Plus: a password-protected zip holding Accounts.txt, one link a line. ----

def authenticator_plus(accounts, password, hostile, uri, aes=False):
    text = "".join(uri(a) + "\n" for a in accounts).encode()
    if aes:
        import pyzipper
        out = io.BytesIO()
        with pyzipper.AESZipFile(out, "w", compression=pyzipper.ZIP_DEFLATED,
                                 encryption=pyzipper.WZ_AES) as archive:
            archive.setpassword(password.encode())
            archive.writestr("Accounts.txt", text)
            archive.writestr("Accounts.html", b"<html><body>accounts</body></html>")
        return out.getvalue()
    # Info-ZIP's zip, as the app's own files were made: the traditional encryption.
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "Accounts.txt"), "wb") as f:
            f.write(text)
        with open(os.path.join(folder, "Accounts.html"), "wb") as f:
            f.write(b"<html><body>accounts</body></html>")
        subprocess.run(["zip", "-q", "-P", password, "backup.zip", "Accounts.txt", "Accounts.html"],
                       cwd=folder, check=True)
        with open(os.path.join(folder, "backup.zip"), "rb") as f:
            return f.read()


# --- andOTP before 0.6.3: a nonce, then AES-GCM under SHA-256 of the password. --------------

def andotp_old(accounts, password, hostile):
    entries = []
    for a in accounts:
        # Before andOTP had an issuer field the label held both.
        entry = {"secret": a["secret"], "label": f"{a['issuer']} - {a['name']}", "digits": a["digits"],
                 "type": a["type"].upper(), "algorithm": a["algorithm"], "thumbnail": "Default",
                 "last_used": 0, "tags": []}
        if a["type"] == "hotp":
            entry["counter"] = a["counter"]
        elif a["type"] == "totp":
            entry["period"] = a["period"]
        entries.append(entry)
    key = hashlib.sha256(password.encode()).digest()
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, json.dumps(entries).encode(), None)


# --- 2FAS schema 1: services with no digits, period, algorithm or type. ----------------------

def twofas_v1(accounts, password, hostile):
    services = [{"name": a["issuer"], "secret": a["secret"], "type": "Unknown", "updatedAt": 1618417205843 + i,
                 "otp": {"account": a["name"], "issuer": a["issuer"], "label": f"{a['issuer']}:{a['name']}"},
                 "order": {"position": i}} for i, a in enumerate(accounts)]
    return json.dumps({"appOrigin": "android", "appVersionCode": 300101, "appVersionName": "3.1.1",
                       "schemaVersion": 1, "services": services, "updatedAt": 1618417205843}).encode()


# Authenticator Plus's writers take export_as.py's link writer, so are added there.
WRITERS = {
    "freeotp-1": freeotp_1,
    "freeotp-2": freeotp_2,
    "freeotp-2-android-6": lambda a, p, h: freeotp_2(a, p, h, android_6=True),
    "lastpass": lastpass,
    "lastpass-ios": lambda a, p, h: lastpass(a, p, h, ios=True),
    "steam-mafile": steam_file,
    "steam-folder": steam_folder,
    "proton-pass": proton_pass,
    "totp-authenticator": totp_authenticator,
    "andotp-old": andotp_old,
    "2fas-v1": twofas_v1,
}
