"""Web Push (RFC 8291/8188) and VAPID (RFC 8292) with independent libraries, for Pocket's
interop tests: http_ece for the aes128gcm coding, PyJWT for the VAPID token.

  webpush.py encrypt   stdin: {"p256dh", "auth", "plaintext"}  -> the body, base64url
  webpush.py decrypt   stdin: {"private", "auth", "body"}      -> the plaintext
  webpush.py vapid     stdin: {"authorization", "audience"}    -> the token's claims as JSON

Keys and bodies travel as unpadded base64url, as push subscriptions write them.
"""

import base64
import json
import sys

import http_ece
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def encrypt(request):
    sender = ec.generate_private_key(ec.SECP256R1())
    body = http_ece.encrypt(
        request["plaintext"].encode(),
        private_key=sender,
        dh=unb64(request["p256dh"]),
        auth_secret=unb64(request["auth"]),
        version="aes128gcm",
    )
    return b64(body)


def decrypt(request):
    phone = ec.derive_private_key(
        int.from_bytes(unb64(request["private"]), "big"), ec.SECP256R1()
    )
    plaintext = http_ece.decrypt(
        unb64(request["body"]),
        private_key=phone,
        auth_secret=unb64(request["auth"]),
        version="aes128gcm",
    )
    return plaintext.decode()


def vapid(request):
    fields = dict(
        part.strip().split("=", 1)
        for part in request["authorization"].removeprefix("vapid ").split(",")
    )
    public = ec.EllipticCurvePublicKey.from_encoded_point(
        ec.SECP256R1(), unb64(fields["k"])
    )
    pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    claims = jwt.decode(
        fields["t"],
        pem,
        algorithms=["ES256"],
        audience=request["audience"],
        options={"require": ["exp", "aud", "sub"]},
    )
    return json.dumps(claims, sort_keys=True)


if __name__ == "__main__":
    action = {"encrypt": encrypt, "decrypt": decrypt, "vapid": vapid}[sys.argv[1]]
    print(action(json.load(sys.stdin)))
