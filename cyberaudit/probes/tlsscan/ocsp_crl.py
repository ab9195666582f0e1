"""Revocation data of a certificate (pure: no I/O): OCSP requests and responses (RFC 6960), CRLs (RFC 5280).

    urls = pointers(leaf)                                   # {"ocsp": [...], "crl": [...]}
    der = ocsp_request(leaf, issuer)                        # body of the POST to the responder
    ocsp_status(der_response, leaf, issuer, now)            # {"status": good|revoked|unknown|error, ...}
    crl_status(der_or_pem, leaf, issuer, now)               # {"status": good|revoked|error, ...}

A response counts only when it is signed by the issuer, or by a responder certificate the issuer signed
for OCSP signing (id-kp-OCSPSigning), names this very certificate, and is current (thisUpdate not in the
future, nextUpdate not past). A CRL counts only when the issuer signed it and it is current. Anything
else is an `error` with its reason: never "good".
"""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID

MAX_URLS = 3
SKEW = dt.timedelta(minutes=5)


def pointers(cert: x509.Certificate) -> dict[str, list[str]]:
    """http(s) URLs of the OCSP responder (AIA) and of the CRL distribution points."""
    out: dict[str, list[str]] = {"ocsp": [], "crl": []}
    try:
        aia = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
        out["ocsp"] = [d.access_location.value for d in aia if d.access_method == AuthorityInformationAccessOID.OCSP
                       and isinstance(d.access_location, x509.UniformResourceIdentifier)]
    except (x509.ExtensionNotFound, ValueError):
        pass
    try:
        cdp = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
        out["crl"] = [n.value for dp in cdp for n in (dp.full_name or [])
                      if isinstance(n, x509.UniformResourceIdentifier)]
    except (x509.ExtensionNotFound, ValueError):
        pass
    return {k: [u for u in v if u.lower().startswith(("http://", "https://"))][:MAX_URLS] for k, v in out.items()}


def find_issuer(leaf: x509.Certificate, candidates: list[x509.Certificate]) -> x509.Certificate | None:
    for c in candidates:
        if c.subject == leaf.issuer and _signed_by(leaf, c):
            return c
    return None


def _verify(public_key, signature: bytes, data: bytes, hash_algorithm) -> None:
    if isinstance(public_key, rsa.RSAPublicKey):
        public_key.verify(signature, data, padding.PKCS1v15(), hash_algorithm)
    elif isinstance(public_key, ec.EllipticCurvePublicKey):
        public_key.verify(signature, data, ec.ECDSA(hash_algorithm))
    elif isinstance(public_key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        public_key.verify(signature, data)
    else:
        raise InvalidSignature("unsupported key type")


def _signed_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def ocsp_request(leaf: x509.Certificate, issuer: x509.Certificate) -> bytes:
    # start-up: the serialization package (with its SSH key code) only when an OCSP request is sent
    from cryptography.hazmat.primitives import serialization

    builder = ocsp.OCSPRequestBuilder().add_certificate(leaf, issuer, hashes.SHA1())
    return builder.build().public_bytes(serialization.Encoding.DER)


def _responder_ok(resp, issuer: x509.Certificate, now: dt.datetime) -> str | None:
    """Why the response signature cannot be trusted, or None."""
    signer = issuer
    by_issuer = (resp.responder_name == issuer.subject) if resp.responder_name is not None else \
        resp.responder_key_hash == x509.SubjectKeyIdentifier.from_public_key(issuer.public_key()).digest
    if not by_issuer:
        delegated = [c for c in resp.certificates if _signed_by(c, issuer)]
        if not delegated:
            return "response signed by an unknown responder"
        signer = delegated[0]
        try:
            eku = signer.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        except (x509.ExtensionNotFound, ValueError):
            return "responder certificate without OCSP signing usage"
        if ExtendedKeyUsageOID.OCSP_SIGNING not in eku:
            return "responder certificate without OCSP signing usage"
        if not signer.not_valid_before_utc - SKEW <= now <= signer.not_valid_after_utc + SKEW:
            return "responder certificate outside its validity"
    try:
        _verify(signer.public_key(), resp.signature, resp.tbs_response_bytes, resp.signature_hash_algorithm)
    except (InvalidSignature, ValueError, TypeError):
        return "invalid response signature"
    return None


def ocsp_status(der: bytes, leaf: x509.Certificate, issuer: x509.Certificate, now: dt.datetime) -> dict:
    try:
        resp = ocsp.load_der_ocsp_response(der)
    except ValueError as exc:
        return {"status": "error", "reason": f"unreadable OCSP response: {exc}"[:160]}
    if resp.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        return {"status": "error", "reason": f"responder answered {resp.response_status.name.lower()}"}
    bad = _responder_ok(resp, issuer, now)
    if bad:
        return {"status": "error", "reason": bad}
    for single in resp.responses:
        if single.serial_number != leaf.serial_number:
            continue
        if single.this_update_utc > now + SKEW:
            return {"status": "error", "reason": "response not yet valid (thisUpdate in the future)"}
        if single.next_update_utc is not None and single.next_update_utc < now - SKEW:
            return {"status": "error", "reason": f"stale response (nextUpdate {single.next_update_utc.date()})"}
        status = single.certificate_status
        if status == ocsp.OCSPCertStatus.REVOKED:
            reason = single.revocation_reason.name if single.revocation_reason else "unspecified"
            return {"status": "revoked", "revoked_at": single.revocation_time_utc.isoformat(), "reason": reason}
        if status == ocsp.OCSPCertStatus.GOOD:
            return {"status": "good", "this_update": single.this_update_utc.isoformat()}
        return {"status": "unknown", "reason": "the responder does not know this certificate"}
    return {"status": "error", "reason": "response does not name this certificate"}


def load_crl(data: bytes) -> x509.CertificateRevocationList:
    if data.lstrip().startswith(b"-----BEGIN"):
        return x509.load_pem_x509_crl(data)
    return x509.load_der_x509_crl(data)


def crl_status(data: bytes, leaf: x509.Certificate, issuer: x509.Certificate, now: dt.datetime) -> dict:
    try:
        crl = load_crl(data)
    except ValueError as exc:
        return {"status": "error", "reason": f"unreadable CRL: {exc}"[:160]}
    if crl.issuer != issuer.subject or not crl.is_signature_valid(issuer.public_key()):
        return {"status": "error", "reason": "CRL not signed by the certificate's issuer"}
    if crl.next_update_utc is not None and crl.next_update_utc < now - SKEW:
        return {"status": "error", "reason": f"stale CRL (nextUpdate {crl.next_update_utc.date()})"}
    entry = crl.get_revoked_certificate_by_serial_number(leaf.serial_number)
    if entry is None:
        return {"status": "good", "this_update": crl.last_update_utc.isoformat()}
    try:
        reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason.name
    except (x509.ExtensionNotFound, ValueError):
        reason = "unspecified"
    return {"status": "revoked", "revoked_at": entry.revocation_date_utc.isoformat(), "reason": reason}
