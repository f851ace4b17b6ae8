"""export_as.py's writers of password managers' and vaults' files: KeePass and KeePassXC
(pykeepass for KDBX 4, KDBX 3.1 from its parts), Raivo (pyzipper), Duo, and Proton Pass
encrypted with GnuPG. Written from each format's published description, independently of
Pocket."""
import io, json, os, struct, subprocess, tempfile, uuid, zipfile

from export_more import b32_bytes, proton_pass

WRITERS = {}


# --- KeePass / KeePassXC: pykeepass writes KDBX 4; KDBX 3.1 is built with its own parts. ---

ARGON2D = b"\xef\x63\x6d\xdf\x8c\x29\x44\x4b\x91\xf7\xa9\xa4\x03\xe3\x0a\x0c"
ARGON2ID = b"\x9e\x29\x8b\x19\x56\xdb\x47\x73\xb2\x3d\xfc\x3e\xc6\xf0\xa1\xe6"


def keepass_fields(a, i):
    """The three ways these apps keep a code, spread over the accounts: an otpauth link in
    `otp` (KeePassXC since 2.4), KeePassXC's older TOTP Seed/Settings (defaults and Steam),
    KeePass 2.47's own TimeOtp-*/HmacOtp-* fields (counters, and every fourth account)."""
    from urllib.parse import quote
    if a["type"] == "hotp":
        return {"HmacOtp-Secret-Hex": b32_bytes(a["secret"]).hex(), "HmacOtp-Counter": str(a["counter"])}
    if a["type"] == "steam":
        return {"TOTP Seed": a["secret"], "TOTP Settings": "30;S"}
    if a["algorithm"] == "SHA1" and a["digits"] == 6 and a["period"] == 30:
        return {"TOTP Seed": a["secret"], "TOTP Settings": "30;6"}
    if i % 4 == 2:
        return {"TimeOtp-Secret-Base32": a["secret"], "TimeOtp-Length": str(a["digits"]),
                "TimeOtp-Period": str(a["period"]), "TimeOtp-Algorithm": "HMAC-" + a["algorithm"].replace("SHA", "SHA-")}
    return {"otp": f"otpauth://totp/{quote(a['issuer'])}:{quote(a['name'], safe='@')}?secret={a['secret']}"
                   f"&period={a['period']}&digits={a['digits']}&issuer={quote(a['issuer'])}&algorithm={a['algorithm']}"}


def keepass(accounts, password, hostile, version=4, key_file=None, argon2id=False, memory=8 << 20):
    from pykeepass import create_database
    from construct import Container
    from pykeepass.kdbx_parsing import KDBX
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "db.kdbx")
        keyfile = None
        if key_file:
            keyfile = os.path.join(folder, "db.keyx")
            with open(keyfile, "wb") as f:
                f.write(os.urandom(32))
        kp = create_database(path, password=password, keyfile=keyfile)
        kp.add_entry(kp.root_group, "Router", "admin", "hunter2")  # no code
        # Read depth first: the first half in a group, the rest in a group inside it.
        work = kp.add_group(kp.root_group, "Work")
        sites = kp.add_group(work, "Sites")
        for i, a in enumerate(accounts):
            group = work if i < len(accounts) // 2 else sites
            entry = kp.add_entry(group, a["issuer"], a["name"], "hunter2", url="https://example.com")
            for key, value in keepass_fields(a, i).items():
                if key == "otp":
                    entry.otp = value
                else:
                    entry.set_custom_property(key, value, protect=key.endswith("Seed") or "Secret" in key)
        # KeePass and KeePassXC keep an entry's fields together, after its times; pykeepass
        # appends a field it adds after everything else. Put them where the apps do.
        for element in kp.tree.iter("Entry"):
            fields = element.findall("String")
            for field in fields:
                element.remove(field)
            at = next((i for i, child in enumerate(element) if child.tag in ("Binary", "AutoType", "History")),
                      len(element))
            for offset, field in enumerate(fields):
                element.insert(at + offset, field)
        # A deleted entry with a code: in the recycle bin, it stays behind.
        old = kp.add_entry(kp.root_group, "Old site", "old", "x", otp="otpauth://totp/Old:old?secret=JBSWY3DPEHPK3PXP")
        kp.trash_entry(old)
        if version == 4:
            parameters = kp.kdbx.header.value.dynamic_header.kdf_parameters.data.dict
            parameters["M"].value = memory
            parameters["I"].value = 2
            parameters["P"].value = 2
            if argon2id:
                parameters["$UUID"].value = ARGON2ID
            kp.save()
            with open(path, "rb") as f:
                data = f.read()
            if hostile:
                # 8 GiB: named in the header only (deriving it here would take as much).
                memory = b"\x05\x01\x00\x00\x00M\x08\x00\x00\x00"
                at = data.index(memory) + len(memory)
                data = data[:at] + struct.pack("<Q", 8 << 30) + data[at + 8:]
        else:
            # KDBX 3.1: AES-KDF, AES-256, gzip, protected values under Salsa20.
            def item(name, data):
                return Container(id=name, data=data)
            dynamic = Container()
            for name, data in [("cipher_id", "aes256"), ("compression_flags", Container(compression=True)),
                               ("master_seed", os.urandom(32)), ("transform_seed", os.urandom(32)),
                               ("transform_rounds", 2_000_000_000_000 if hostile else 6000),
                               ("encryption_iv", os.urandom(16)), ("protected_stream_key", os.urandom(32)),
                               ("stream_start_bytes", os.urandom(32)), ("protected_stream_id", "salsa20"),
                               ("end", b"\r\n\r\n")]:
                dynamic[name] = item(name, data)
            header = Container(sig1=b"\x03\xd9\xa2\x9a", sig2=b"\x67\xfb\x4b\xb5", minor_version=1,
                               major_version=3, dynamic_header=dynamic)
            if hostile:
                # Deriving the hostile key would take days: the file is sealed with a cheap
                # one, so only its header asks for the work.
                rounds = dynamic["transform_rounds"]
                rounds.data = 1
            data = KDBX.build(Container(header=Container(value=header),
                                        body=Container(payload=Container(xml=kp.tree))),
                              password=password, keyfile=keyfile, transformed_key=None, decrypt=True)
            if hostile:
                at = data.index(b"\x06\x08\x00") + 3
                data = data[:at] + struct.pack("<Q", 2_000_000_000_000) + data[at + 8:]
        key = None
        if keyfile:
            with open(keyfile, "rb") as f:
                key = f.read()
        return data, key


# Where a writer that makes a key file too puts it (export_as.py's --key-file).
KEY_FILE_OUT = None


def keepass_writer(version, key_file=False, argon2id=False):
    def write(accounts, password, hostile):
        data, key = keepass(accounts, password, hostile, version, key_file, argon2id)
        if key is not None:
            with open(KEY_FILE_OUT, "wb") as f:
                f.write(key)
        return data
    return write


WRITERS.update({
    "keepass": keepass_writer(4),
    "keepass-argon2id": keepass_writer(4, argon2id=True),
    "keepass-3": keepass_writer(3),
    "keepass-key-file": keepass_writer(4, key_file=True),
    "keepass-3-key-file": keepass_writer(3, key_file=True),
})


# --- Raivo OTP: a list of accounts, every value text; exported as an AES zip. ---------------

def raivo(accounts, password, hostile):
    rows = [{"issuer": a["issuer"], "account": a["name"], "secret": a["secret"], "algorithm": a["algorithm"],
             "digits": str(a["digits"]), "kind": a["type"].upper(), "timer": str(a["period"]),
             "counter": str(a["counter"]), "pinned": "false", "iconType": "", "iconValue": ""}
            for a in accounts]
    text = json.dumps(rows).encode()
    if password is None:
        return text
    import pyzipper
    out = io.BytesIO()
    # As Raivo's SSZipArchive writes it: stored (no compression), WinZip AES.
    with pyzipper.AESZipFile(out, "w", compression=pyzipper.ZIP_STORED, encryption=pyzipper.WZ_AES) as archive:
        archive.setpassword(password.encode())
        archive.writestr("raivo-otp-export.json", text)
        archive.writestr("raivo-otp-export.html", b"<html><body>accounts</body></html>")
    return out.getvalue()


# --- Duo Mobile, from a rooted phone: duokit/accounts.json. ---------------------------------

def duo(accounts, password, hostile):
    rows = []
    for a in accounts:
        generator = {"otpSecret": a["secret"]}
        if a["type"] == "hotp":
            generator["counter"] = a["counter"]
        rows.append({"version": 1.0, "accountType": "OtpAccount", "name": a["issuer"], "otpGenerator": generator,
                     "logoUri": "android.resource://com.duosecurity.duomobile/drawable/no_logo",
                     "pkey": str(uuid.uuid4()), "serviceTypeLabelIsCustom": False})
    # A Duo Push account, which has no code to move.
    rows.append({"version": 1.0, "accountType": "DuoAccount", "name": "Work VPN", "pkey": str(uuid.uuid4()),
                 "akey": "DAXXXXXXXXXXXXXXXXXX"})
    return json.dumps(rows).encode()


WRITERS.update({"raivo": raivo, "duo": duo})


# --- Proton Pass, encrypted: GnuPG's password encryption (AES-256, iterated and salted
# SHA-256 at its highest count, no compression), as Proton's OpenPGP.js writes it. ------------

def gpg_symmetric(data, password):
    with tempfile.TemporaryDirectory() as home:
        with open(os.path.join(home, "password"), "w") as f:
            f.write(password)
        try:
            # From a pipe, as OpenPGP.js streams it: the data packet has partial lengths.
            subprocess.run(["gpg", "--homedir", home, "--batch", "--yes", "--quiet", "--no-symkey-cache",
                            "--pinentry-mode", "loopback", "--passphrase-file", os.path.join(home, "password"),
                            "--symmetric", "--cipher-algo", "AES256", "--s2k-mode", "3", "--s2k-digest-algo", "SHA256",
                            "--s2k-count", "65011712", "--compress-algo", "none", "--armor",
                            "-o", os.path.join(home, "out")], input=data, check=True)
        finally:
            subprocess.run(["gpgconf", "--homedir", home, "--kill", "all"], check=False)
        with open(os.path.join(home, "out"), "rb") as f:
            return f.read()


def proton_pass_pgp(accounts, password, hostile, whole_zip=False):
    plain = proton_pass(accounts, None, hostile)
    if whole_zip:
        # Older exports: the whole zip as one message (a .pgp file).
        return gpg_symmetric(plain, password)
    with zipfile.ZipFile(io.BytesIO(plain)) as archive:
        data = archive.read("Proton Pass/data.json")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("Proton Pass/data.pgp", gpg_symmetric(data, password))
    return out.getvalue()


WRITERS.update({
    "proton-pass-pgp": proton_pass_pgp,
    "proton-pass-pgp-old": lambda a, p, h: proton_pass_pgp(a, p, h, whole_zip=True),
})
