"""Cipher-suite classes (pure): which suites are NULL, export, anonymous, RC4, DES/3DES, RSA key
exchange without forward secrecy, CBC. Derived from the IANA names in `suites.py`.
"""

from __future__ import annotations

from functools import cache

from .suites import SUITES

# TLS versions as on the wire
SSL3, TLS10, TLS11, TLS12, TLS13 = 0x0300, 0x0301, 0x0302, 0x0303, 0x0304
VERSION_NAMES = {SSL3: "SSLv3", TLS10: "TLSv1.0", TLS11: "TLSv1.1", TLS12: "TLSv1.2", TLS13: "TLSv1.3"}
LEGACY = (SSL3, TLS10, TLS11)

# Weak classes in the order they are reported; CBC only warns (ANSSI prefers AEAD, R10).
WEAK_CLASSES = ("null", "export", "anonymous", "rc4", "des", "rsa_kex", "cbc")

NAMES: dict[int, str] = {cid: iana for cid, iana, _ in SUITES}
TLS13_SUITES = (0x1301, 0x1302, 0x1303, 0x1304, 0x1305)


def suite_name(cid: int) -> str:
    return NAMES.get(cid, f"0x{cid:04X}")


def _parts(iana: str) -> tuple[str, str]:
    """IANA name -> (key exchange/authentication part, cipher+MAC part)."""
    body = iana.removeprefix("TLS_").removeprefix("SSL_")
    kex, sep, rest = body.partition("_WITH_")
    if not sep:  # TLS 1.3 names carry no key exchange
        return "", body
    return kex, rest


def classes_of(iana: str) -> set[str]:
    kex, cipher = _parts(iana)
    out: set[str] = set()
    if not kex:
        return out  # TLS 1.3 suites: AEAD with (EC)DHE, none weak
    if cipher.startswith("NULL"):
        out.add("null")
    if "EXPORT" in kex or "EXPORT" in cipher:
        out.add("export")
    if "anon" in kex:
        out.add("anonymous")
    if "RC4" in cipher:
        out.add("rc4")
    if "DES" in cipher:  # DES40, DES, 3DES_EDE
        out.add("des")
    if kex in ("RSA", "RSA_EXPORT", "RSA_EXPORT1024", "RSA_FIPS"):
        out.add("rsa_kex")
    if "_CBC" in cipher or cipher.startswith("CBC"):
        out.add("cbc")
    return out


def is_forward_secret(iana: str) -> bool:
    kex, _ = _parts(iana)
    return not kex or kex.startswith(("ECDHE", "DHE"))


@cache
def _weak_suites() -> dict[str, tuple[int, ...]]:
    """Weak class -> its code points, from one pass over the table (each name is classified once)."""
    out: dict[str, list[int]] = {cls: [] for cls in WEAK_CLASSES}
    for cid, iana, _ in SUITES:
        if cid == 0 or cid in TLS13_SUITES or cid > 0xFF00 or any(x in iana for x in ("PSK", "SRP", "KRB5", "GOST")):
            continue
        for cls in classes_of(iana):
            out[cls].append(cid)
    return {cls: tuple(cids) for cls, cids in out.items()}


def suites_of_class(cls: str) -> tuple[int, ...]:
    """Code points of a weak class, TLS-1.2-era suites only (never TLS 1.3 ones, no PSK/SRP/KRB5/GOST)."""
    return _weak_suites().get(cls, ())


@cache
def all_pre13_suites() -> tuple[int, ...]:
    """Every TLS 1.2-and-earlier suite a server might pick (for protocol probes)."""
    return tuple(cid for cid, iana, _ in SUITES
                 if 0 < cid < 0xFF00 and cid not in TLS13_SUITES and not any(x in iana for x in ("KRB5", "GOST")))


def class_version(cls: str, supported: set[int]) -> int | None:
    """Protocol version to offer a class at: the highest legacy-or-1.2 version the server accepts;
    export suites only exist up to TLS 1.0."""
    allowed = [v for v in (TLS12, TLS11, TLS10, SSL3) if v in supported]
    if cls == "export":
        allowed = [v for v in allowed if v <= TLS10]
    return allowed[0] if allowed else None
