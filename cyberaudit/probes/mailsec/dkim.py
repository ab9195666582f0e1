"""DKIM public key records (RFC 6376, RFC 8463): tags, key type and size."""

from __future__ import annotations

import base64
import binascii

SELECTORS = ("default", "dkim", "mail", "selector1", "selector2", "google", "k1", "k2", "s1", "s2", "smtp", "mx")


def parse_tags(text: str) -> dict[str, str]:
    tags: dict[str, str] = {}
    for part in text.split(";"):
        name, sep, value = part.partition("=")
        if sep:
            tags.setdefault(name.strip().lower(), "".join(value.split()))
    return tags


def is_dkim(text: str) -> bool:
    tags = parse_tags(text)
    return "p" in tags and tags.get("v", "DKIM1") == "DKIM1"


def key_info(text: str) -> dict:
    """{"type": rsa|ed25519|..., "bits": int|None, "revoked": bool, "error": str|None, "sha1_only": bool}.

    `sha1_only`: the key's h= tag allows only SHA-1, which RFC 8301 forbids for signing and verifying.
    """
    tags = parse_tags(text)
    ktype = tags.get("k", "rsa").lower()
    hashes = [h for h in tags.get("h", "").lower().split(":") if h]
    info: dict = {"type": ktype, "bits": None, "revoked": False, "error": None,
                  "sha1_only": bool(hashes) and set(hashes) == {"sha1"}}
    p = tags.get("p", "")
    if not p:
        info["revoked"] = True
        return info
    try:
        der = base64.b64decode(p, validate=True)
    except (binascii.Error, ValueError):
        info["error"] = "public key is not valid base64"
        return info
    if ktype == "ed25519":
        info["bits"] = 256 if len(der) == 32 else None
        if info["bits"] is None:
            info["error"] = "ed25519 key is not 32 bytes"
        return info
    if ktype != "rsa":
        info["error"] = f"unknown key type {ktype[:20]}"
        return info
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    try:
        key = load_der_public_key(der)
    except (ValueError, TypeError):
        try:  # some publish a bare PKCS#1 RSAPublicKey
            key = _pkcs1(der)
        except ValueError:
            info["error"] = "public key not understood"
            return info
    if not isinstance(key, rsa.RSAPublicKey):
        info["error"] = "k=rsa but the key is not RSA"
        return info
    info["bits"] = key.key_size
    return info


def _pkcs1(der: bytes):
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    # wrap RSAPublicKey in a SubjectPublicKeyInfo
    alg = bytes.fromhex("300d06092a864886f70d0101010500")
    bitstring = b"\x03" + _len(len(der) + 1) + b"\x00" + der
    body = alg + bitstring
    return load_der_public_key(b"\x30" + _len(len(body)) + body)


def _len(n: int) -> bytes:
    if n < 128:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw
