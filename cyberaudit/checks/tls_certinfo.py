"""Certificates as plain data (pure): what the certificate judges read, parsed from the PEM text an
observation carries (`describe_pem`). No trust store here: trust is observed by
`cyberaudit.probes.tlsscan.certinfo` (it needs the system store) and recorded beside the chain.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import ExtensionOID, NameOID

from ..sanitize import bounded


def _cn(name: x509.Name) -> str:
    try:
        attrs = name.get_attributes_for_oid(NameOID.COMMON_NAME)
        return bounded(str(attrs[0].value), 200) if attrs else ""
    except (ValueError, IndexError):
        return ""


def name_text(name: x509.Name) -> str:
    try:
        return bounded(name.rfc4514_string(), 300)
    except ValueError:
        return "?"


def _key(cert: x509.Certificate) -> tuple[str, int]:
    try:
        key = cert.public_key()
    except (ValueError, TypeError):
        return "unknown", 0
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "EC", key.curve.key_size
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", 256
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448", 456
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA", key.key_size
    return "unknown", 0


def sans_of(cert: x509.Certificate) -> tuple[list[str], list[str]]:
    try:
        ext = cert.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME).value
    except (x509.ExtensionNotFound, ValueError):
        return [], []
    dns_names = [bounded(n, 253) for n in ext.get_values_for_type(x509.DNSName)]
    ips = [str(a) for a in ext.get_values_for_type(x509.IPAddress)]
    return dns_names, ips


def has_aia_issuer(cert: x509.Certificate) -> bool:
    try:
        aia = cert.extensions.get_extension_for_oid(ExtensionOID.AUTHORITY_INFORMATION_ACCESS).value
    except (x509.ExtensionNotFound, ValueError):
        return False
    return any(d.access_method == x509.oid.AuthorityInformationAccessOID.CA_ISSUERS for d in aia)


def is_ca(cert: x509.Certificate) -> bool:
    try:
        return cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except (x509.ExtensionNotFound, ValueError):
        return False


def describe(cert: x509.Certificate) -> dict:
    """Plain data about one certificate (hostile strings stripped of control characters)."""
    dns_names, ips = sans_of(cert)
    kind, bits = _key(cert)
    try:
        sig = cert.signature_hash_algorithm
        sig_hash = sig.name if sig is not None else "none"
    except Exception:  # noqa: BLE001 - unknown algorithm
        sig_hash = "unknown"
    return {
        "subject": name_text(cert.subject),
        "subject_cn": _cn(cert.subject),
        "issuer": name_text(cert.issuer),
        "not_before": cert.not_valid_before_utc.isoformat(),
        "not_after": cert.not_valid_after_utc.isoformat(),
        "san_dns": dns_names,
        "san_ip": ips,
        "key_type": kind,
        "key_bits": bits,
        "signature_hash": sig_hash,
        "self_issued": cert.issuer == cert.subject,
        "is_ca": is_ca(cert),
        "aia_issuer": has_aia_issuer(cert),
        "sha256": cert.fingerprint(hashes.SHA256()).hex(),
    }


@lru_cache(maxsize=256)
def describe_pem(pem: str) -> dict:
    """`describe` of one PEM certificate; {} when the text is not a certificate."""
    try:
        cert = x509.load_pem_x509_certificate(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return {}
    return describe(cert)


def describe_chain(pems: list[str]) -> list[dict]:
    """The chain as the certificate judges read it ([] when one of them does not parse)."""
    out = [describe_pem(p) for p in pems]
    return out if all(out) else []
