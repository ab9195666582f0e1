"""DNSSEC validation helpers (pure: no network). The probe fetches, this module judges.

Chain of trust, validated by hand with dnspython's crypto:
trust anchor (IANA root KSK, or `Net.options["trust_anchor"]`: zone-file lines of DS or
DNSKEY records for some zone) -> for each zone cut down to the domain: DS set signed by
the parent's keys -> a DNSKEY matching a DS signs the DNSKEY set -> the zone's keys
sign the SOA (the sample RRset).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

import dns.dnssec
import dns.exception
import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.rrset

ROOT_ANCHOR = ". 172800 IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBB683457104237C7F8EC8D\n"
DEPRECATED_ALGORITHMS = {1: "RSAMD5", 3: "DSA", 5: "RSASHA1", 6: "DSA-NSEC3-SHA1", 7: "RSASHA1-NSEC3-SHA1",
                         12: "ECC-GOST"}
NEAR_EXPIRY_DAYS = 3.0
DIGESTS = {1: "SHA1", 2: "SHA256", 4: "SHA384"}


class Bogus(Exception):
    """The chain does not validate (a signature, a DS match or a validity period fails)."""


@dataclass
class Anchor:
    zone: dns.name.Name
    ds: list = field(default_factory=list)
    keys: list = field(default_factory=list)


def parse_anchor(text: str) -> Anchor:
    """Zone-file lines of DS or DNSKEY records, all for one zone. Raises ValueError."""
    zone = None
    anchor = Anchor(zone=dns.name.root)
    for raw in text.splitlines():
        line = raw.split(";", 1)[0].strip()
        if not line:
            continue
        try:
            rrset = dns.rrset.from_text_list(*_split_rr(line))
        except (dns.exception.DNSException, ValueError) as exc:
            raise ValueError(f"trust anchor line not understood: {line[:80]!r} ({exc})") from None
        if zone is not None and rrset.name != zone:
            raise ValueError("trust anchor lines must all name the same zone")
        zone = rrset.name
        if rrset.rdtype == dns.rdatatype.DS:
            anchor.ds.extend(rrset)
        elif rrset.rdtype == dns.rdatatype.DNSKEY:
            anchor.keys.extend(rrset)
        else:
            raise ValueError("a trust anchor is made of DS or DNSKEY records")
    if zone is None:
        raise ValueError("empty trust anchor")
    anchor.zone = zone
    return anchor


def _split_rr(line: str):
    parts = line.split()
    name = parts[0]
    rest = parts[1:]
    ttl = 300
    if rest and rest[0].isdigit():
        ttl = int(rest.pop(0))
    if rest and rest[0].upper() == "IN":
        rest.pop(0)
    if len(rest) < 2:
        raise ValueError("missing type or data")
    return name, ttl, "IN", rest[0], [" ".join(rest[1:])]


class Unsupported(Exception):
    """No DS record uses an algorithm and digest this validator supports (RFC 4035 §5.2: insecure)."""


def algorithm_supported(number: int) -> bool:
    import dns.dnssecalgs

    try:
        dns.dnssecalgs.get_algorithm_cls(number)
    except Exception:  # UnsupportedAlgorithm, or a missing backend
        return False
    return True


def supported_ds(ds_records) -> list:
    return [ds for ds in ds_records if ds.digest_type in DIGESTS and algorithm_supported(int(ds.algorithm))]


def keys_matching_ds(zone: dns.name.Name, dnskeys, ds_records) -> list:
    """DNSKEY records of `zone` whose digest appears in the DS set."""
    out = []
    for key in dnskeys:
        for ds in ds_records:
            digest = DIGESTS.get(ds.digest_type)
            if digest is None or ds.key_tag != dns.dnssec.key_id(key) or ds.algorithm != key.algorithm:
                continue
            try:
                if dns.dnssec.make_ds(zone, key, digest) == ds:
                    out.append(key)
                    break
            except (dns.exception.DNSException, ValueError):
                continue
    return out


def verify(rrset, sigset, zone: dns.name.Name, keys, now: float | None = None) -> None:
    """Raise Bogus unless one RRSIG over rrset made by one of `keys` validates."""
    if rrset is None:
        raise Bogus("no records")
    if sigset is None or len(sigset) == 0:
        raise Bogus(f"no RRSIG over {dns.rdatatype.to_text(rrset.rdtype)}")
    keyset = dns.rrset.from_rdata_list(zone, 300, list(keys))
    try:
        dns.dnssec.validate(rrset, sigset, {zone: keyset}, now=now if now is not None else time.time())
    except dns.dnssec.ValidationFailure as exc:
        raise Bogus(f"{dns.rdatatype.to_text(rrset.rdtype)}: {exc}") from None
    except (dns.exception.DNSException, ValueError, TypeError) as exc:
        raise Bogus(f"{dns.rdatatype.to_text(rrset.rdtype)}: {type(exc).__name__}") from None


def secure_keys(zone: dns.name.Name, ds_records, dnskey_rrset, dnskey_sigs, now: float | None = None) -> list:
    """Validate a zone's DNSKEY set from its DS (or anchor) records; returns the zone keys."""
    usable = supported_ds(ds_records)
    if ds_records and not usable:
        described = ", ".join(sorted({f"algorithm {int(d.algorithm)}/digest {d.digest_type}" for d in ds_records}))
        raise Unsupported(f"{zone}: no DS with a supported algorithm and digest ({described})")
    if dnskey_rrset is None or len(dnskey_rrset) == 0:
        raise Bogus("DS published but no DNSKEY")
    sep = keys_matching_ds(zone, dnskey_rrset, usable)
    if not sep:
        raise Bogus("no DNSKEY matches the DS")
    verify(dnskey_rrset, dnskey_sigs, zone, sep, now)
    return list(dnskey_rrset)


def earliest_expiry(sigs) -> str | None:
    """The earliest RRSIG expiration among `sigs`, as ISO-8601 UTC (the judge counts the days from
    the observation's own date, so a re-judge months later judges it as of that day)."""
    values = [s.expiration for s in sigs or []]
    if not values:
        return None
    return dt.datetime.fromtimestamp(min(values), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def algorithms(keys) -> list[int]:
    return sorted({int(k.algorithm) for k in keys})
