"""Decrypts an Aegis vault independently of Pocket (scrypt password slot, AES-256-GCM) and
prints its entries as JSON.

usage: aegis_decrypt.py PASSWORD < vault.json > entries.json
"""
import base64, hashlib, json, sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def open_sealed(key, params, data):
    tag = bytes.fromhex(params["tag"])
    return AESGCM(key).decrypt(bytes.fromhex(params["nonce"]), data + tag, None)


password = sys.argv[1].encode()
vault = json.load(sys.stdin)
master = None
for slot in vault["header"]["slots"]:
    if slot["type"] == 1:
        key = hashlib.scrypt(password, salt=bytes.fromhex(slot["salt"]), n=slot["n"], r=slot["r"],
                             p=slot["p"], dklen=32, maxmem=64 * 1024 * 1024)
        master = open_sealed(key, slot["key_params"], bytes.fromhex(slot["key"]))
content = json.loads(open_sealed(master, vault["header"]["params"], base64.b64decode(vault["db"])))
print(json.dumps(content["entries"]))
