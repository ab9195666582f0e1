"""Observe one TLS endpoint (address, port, SNI name) with few handshakes.

    obs = await observe_endpoint("127.44.0.1", 443, "ville.lab", timeout=5.0)

1 full handshake (best version/suite, certificate chain), then bare ClientHellos: one per protocol
version not already known, one per weak suite class offered alone (repeated without the suite
just accepted to list every accepted suite of that class), and the key exchange: DHE only and ECDHE
only at the best TLS <= 1.2 version (read up to the ServerKeyExchange), the TLS 1.3 key_share group. Returns a JSON-able observation dict
that `cyberaudit.checks.tls` judges.
"""

from __future__ import annotations

import asyncio

from .classes import (
    LEGACY,
    SSL3,
    TLS10,
    TLS11,
    TLS12,
    TLS13,
    TLS13_SUITES,
    VERSION_NAMES,
    WEAK_CLASSES,
    all_pre13_suites,
    class_version,
    suite_name,
    suites_of_class,
)
from .handshake import FullHandshake, HelloOutcome, full_handshake, probe_hello
from .kexprobe import observe_kex

# OpenSSL clients refuse a Certificate message over 100 KiB (max_cert_list, not settable from Python):
# the server sent a certificate, only too big to be read; never "no certificate"
OVERSIZED = ("certificate message larger than the 100 KiB a TLS client accepts (OpenSSL max_cert_list): "
             "not readable, so not judged")
MAX_ENUM = 24  # accepted suites listed per class, at most
_FULL_VERSION = {"TLSv1.3": TLS13, "TLSv1.2": TLS12, "TLSv1.1": TLS11, "TLSv1": TLS10, "SSLv3": SSL3}
_FATAL = ("timeout", "connection refused", "connection reset", "plain HTTP")


async def observe_endpoint(address: str, port: int, name: str | None, *, timeout: float, parallel: int = 4,
                           preamble=None, full: FullHandshake | None = None) -> dict:
    sem = asyncio.Semaphore(parallel)
    obs: dict = {"address": address, "port": port, "name": name, "available": False, "error": None,
                 "plain_http": False, "negotiated": None, "protocols": {}, "weak": {}, "chain_der": []}
    if full is None:
        full = await full_handshake(address, port, name, timeout=timeout)

    async def hello(version: int, suites, etm: bool = False, deflate: bool = False) -> HelloOutcome:
        async with sem:
            return await probe_hello(address, port, name, version, suites, timeout=timeout, etm=etm,
                                     deflate=deflate, preamble=preamble)

    known: dict[int, str] = {}
    if full.ok:
        obs["available"] = True
        obs["negotiated"] = {"version": full.version, "cipher": full.cipher}
        best = _FULL_VERSION.get(full.version)
        if best:
            known[best] = "accepted"
            if best == TLS12:
                known[TLS13] = "rejected"  # our full handshake offered TLS 1.3
        obs["chain_der"] = full.chain
    elif full.plain_http or any(full.reason.startswith(f) for f in _FATAL):
        obs["error"] = full.reason
        obs["plain_http"] = full.plain_http or "plain HTTP" in full.reason
        return obs

    # Protocol versions, concurrently: TLS 1.3 only when not known yet; TLS 1.2 and older always (bare
    # hellos are cheap, and the ServerHello extensions tell whether renegotiation is secure).
    todo = [v for v in (SSL3, TLS10, TLS11, TLS12, TLS13) if v not in known or v != TLS13]
    results = await asyncio.gather(*(
        hello(v, TLS13_SUITES[:3]) if v == TLS13 else hello(v, all_pre13_suites()) for v in todo))
    reasons: dict[str, str] = {}
    best_legacy = None
    for v, res in zip(todo, results, strict=True):
        if known.get(v) == "accepted" and res.status != "accepted":
            continue  # the full handshake already proved it
        known[v] = res.status
        if res.status == "accepted" and v != TLS13:
            best_legacy = res
        if res.status == "error":
            reasons[VERSION_NAMES[v]] = res.reason
            obs["plain_http"] = obs["plain_http"] or res.plain_http
    obs["protocols"] = {VERSION_NAMES[v]: known[v] for v in (SSL3, TLS10, TLS11, TLS12, TLS13)}
    if reasons:
        obs["protocol_errors"] = reasons
    if best_legacy is not None:
        obs["hello_extensions"] = {"version": VERSION_NAMES[best_legacy.version],
                                   "secure_renegotiation": best_legacy.secure_renegotiation}
    supported = {v for v, s in known.items() if s == "accepted"}
    if not full.ok:
        if not supported:
            obs["error"] = full.reason or "no TLS version accepted"
            return obs
        obs["available"] = True
        obs["error_full_handshake"] = full.reason
        if "excessive_message_size" in full.reason.lower().replace(" ", "_"):
            obs["certificate_error"] = OVERSIZED

    classes, obs["kex"] = await asyncio.gather(
        asyncio.gather(*(_enumerate_class(cls, supported, hello) for cls in WEAK_CLASSES)),
        observe_kex(address, port, name, supported, timeout=timeout, hello=hello, preamble=preamble))
    obs["weak"] = dict(zip(WEAK_CLASSES, classes, strict=True))
    return obs  # chain_der stays: the caller keeps it as PEM, observes its trust and revocation


async def _enumerate_class(cls: str, supported: set[int], hello) -> dict:
    version = class_version(cls, supported)
    if version is None or not any(v in supported for v in LEGACY + (TLS12,)):
        return {"status": "not_applicable", "suites": []}
    offer = list(suites_of_class(cls))
    accepted: list[str] = []
    etm = False
    status = "rejected"
    for _ in range(MAX_ENUM):
        if not offer:
            break
        res = await hello(version, offer, etm=(cls == "cbc"))
        if res.status == "error":
            if not accepted:
                return {"status": "error", "suites": [], "reason": res.reason, "version": VERSION_NAMES[version]}
            break
        if res.status != "accepted" or res.suite not in offer:
            break
        status = "accepted"
        etm = etm or res.etm
        accepted.append(suite_name(res.suite))
        offer.remove(res.suite)
    out = {"status": status, "suites": accepted, "version": VERSION_NAMES[version]}
    if cls == "cbc" and accepted:
        out["encrypt_then_mac"] = etm
    return out
