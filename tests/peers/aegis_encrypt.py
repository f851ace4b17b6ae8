"""Encrypts an Aegis vault as Aegis does, independently of Pocket: the vault's database (JSON
on stdin) sealed with AES-256-GCM under a random master key, which a password slot (scrypt,
Aegis's parameters) wraps. A biometric slot Pocket must pass over comes first.

usage: aegis_encrypt.py PASSWORD < db.json > vault.json
"""
import base64, hashlib, json, os, sys, uuid

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def seal(key, data):
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, data, None)
    return sealed[:-16], {"nonce": nonce.hex(), "tag": sealed[-16:].hex()}


password = sys.argv[1].encode()
content = sys.stdin.buffer.read()
master = AESGCM.generate_key(bit_length=256)
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
