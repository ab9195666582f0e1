"""Authenticated denial of existence of a DS record (RFC 4035 §5.2, RFC 5155 §8.5-8.6), pure: no I/O.

    how = prove_no_ds(child, parent_zone, parent_keys, denial, now)   # "nsec" | "nsec3" | "nsec3 opt-out"

A signed parent that answers "no DS" for a delegation must prove it: an NSEC (or NSEC3) record at the
delegation point, signed by the parent's keys, whose type bitmap has NS but neither DS nor SOA; or, with
NSEC3 opt-out, a closest-encloser proof whose next-closer name is covered by an opt-out NSEC3. Without a
valid proof the delegation is bogus, not insecure: `Bogus` says why.
"""

from __future__ import annotations

import base64

import dns.dnssec
import dns.name
import dns.rdatatype

from .dnssec import Bogus, verify

MAX_NSEC3_ITERATIONS = 500  # RFC 9276 §3.2: validators may stop at a lower bound; beyond this we do not hash


def _types(rdata) -> set[int]:
    out: set[int] = set()
    for window, bitmap in rdata.windows:
        for i, byte in enumerate(bitmap):
            for bit in range(8):
                if byte & (0x80 >> bit):
                    out.add(window * 256 + i * 8 + bit)
    return out


def _checked(rrset, sigset, zone: dns.name.Name, keys, now: float | None) -> None:
    if not rrset.name.is_subdomain(zone):
        raise Bogus(f"denial record {rrset.name} is outside the parent zone {zone}")
    verify(rrset, sigset, zone, keys, now)


def _delegation_bits(types: set[int], what: str) -> None:
    if dns.rdatatype.DS in types:
        raise Bogus(f"{what} lists a DS record: the denial contradicts itself")
    if dns.rdatatype.SOA in types:
        raise Bogus(f"{what} comes from the child zone (SOA bit), not from the parent")
    if dns.rdatatype.NS not in types:
        raise Bogus(f"{what} has no NS bit: not a delegation")


def _nsec_covers(rdata_owner: dns.name.Name, nxt: dns.name.Name, name: dns.name.Name) -> bool:
    if rdata_owner < nxt:
        return rdata_owner < name < nxt
    return name > rdata_owner  # the last NSEC of the zone points back to the apex


def _nsec(child: dns.name.Name, zone: dns.name.Name, keys, denial, now, nxdomain: bool) -> str | None:
    nsecs = [(rrset, sigset) for rrset, sigset in denial if rrset.rdtype == dns.rdatatype.NSEC]
    for rrset, sigset in nsecs:
        if rrset.name == child:
            _checked(rrset, sigset, zone, keys, now)
            _delegation_bits(_types(rrset[0]), f"NSEC at {child}")
            return "nsec"
    if not nxdomain or not nsecs:
        return None
    # NXDOMAIN (RFC 4035 §5.4): one NSEC covers the name, one covers the wildcard of its closest encloser
    covering = [(r, s) for r, s in nsecs if _nsec_covers(r.name, r[0].next, child)]
    if not covering:
        raise Bogus(f"no NSEC covers {child}")
    _checked(*covering[0], zone, keys, now)
    encloser = _common(child, covering[0][0].name, covering[0][0][0].next, zone)
    wildcard = dns.name.Name((b"*", *encloser.labels))
    wild = [(r, s) for r, s in nsecs if r.name == wildcard or _nsec_covers(r.name, r[0].next, wildcard)]
    if not wild:
        raise Bogus(f"no NSEC denies the wildcard {wildcard}")
    _checked(*wild[0], zone, keys, now)
    return "nsec (name does not exist in the parent)"


def _ancestors(name: dns.name.Name):
    while len(name) > 1:
        name = name.parent()
        yield name


def _common(child: dns.name.Name, owner: dns.name.Name, nxt: dns.name.Name, zone: dns.name.Name) -> dns.name.Name:
    """Closest encloser of `child` that the covering NSEC reveals: the longest ancestor of child shared with
    the NSEC's owner or next name (RFC 4035 §5.4), never above the zone."""
    best = zone
    for a in _ancestors(child):
        if a.is_subdomain(zone) and (owner.is_subdomain(a) or nxt.is_subdomain(a)) and len(a) > len(best):
            best = a
    return best


def _hash(name: dns.name.Name, rdata) -> str:
    if rdata.iterations > MAX_NSEC3_ITERATIONS:
        raise Bogus(f"NSEC3 with {rdata.iterations} iterations (more than {MAX_NSEC3_ITERATIONS})")
    return dns.dnssec.nsec3_hash(name, rdata.salt, rdata.iterations, rdata.algorithm).upper()


def _next_hash(rdata) -> str:
    return base64.b32encode(rdata.next).decode().translate(str.maketrans(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789ABCDEFGHIJKLMNOPQRSTUV")).rstrip("=")


def _covers(owner_hash: str, next_hash: str, h: str) -> bool:
    if owner_hash < next_hash:
        return owner_hash < h < next_hash
    return h > owner_hash or h < next_hash  # the last NSEC3 of the chain wraps around


def _nsec3(child: dns.name.Name, zone: dns.name.Name, keys, denial, now, nxdomain: bool) -> str | None:
    records = [(rrset, sigset) for rrset, sigset in denial if rrset.rdtype == dns.rdatatype.NSEC3]
    if not records:
        return None
    owners = {rrset.name.labels[0].decode().upper(): (rrset, sigset) for rrset, sigset in records
              if rrset.name.parent() == zone}
    params = records[0][0][0]
    exact = owners.get(_hash(child, params))
    if exact is not None:
        _checked(*exact, zone, keys, now)
        _delegation_bits(_types(exact[0][0]), f"NSEC3 of {child}")
        return "nsec3"
    # closest encloser proof (RFC 5155 §8.3): the encloser matches, the next closer name is covered; with
    # NODATA the covering NSEC3 must have opt-out (§8.6), with NXDOMAIN the wildcard must be covered (§8.4)
    name = child
    while len(name) > len(zone):
        encloser = name.parent()
        match = owners.get(_hash(encloser, params))
        if match is not None:
            _checked(*match, zone, keys, now)
            cover = _nsec3_cover(owners, _hash(name, params))
            if cover is None:
                raise Bogus(f"no NSEC3 covers {name}")
            _checked(*cover, zone, keys, now)
            if nxdomain:
                wildcard = dns.name.Name((b"*", *encloser.labels))
                if _nsec3_cover(owners, _hash(wildcard, params)) is None:
                    raise Bogus(f"no NSEC3 denies the wildcard {wildcard}")
                return "nsec3 (name does not exist in the parent)"
            if not cover[0][0].flags & 1:
                raise Bogus(f"NSEC3 covering {name} has no opt-out flag: {child} would not exist")
            return "nsec3 opt-out"
        name = encloser
    raise Bogus(f"no NSEC3 proves that {child} has no DS")


def _nsec3_cover(owners: dict, h: str):
    return next(((r, s) for label, (r, s) in owners.items() if _covers(label, _next_hash(r[0]), h)), None)


def prove_no_ds(child: dns.name.Name, zone: dns.name.Name, keys, denial: list, now: float | None = None, *,
                nxdomain: bool = False) -> str:
    """How the signed parent `zone` proves there is no DS at `child` (a NODATA answer, or NXDOMAIN when
    the parent has no such name); raises Bogus without a valid proof."""
    if not denial:
        raise Bogus(f"the signed parent {zone} denies a DS at {child} without any NSEC/NSEC3 proof")
    how = _nsec(child, zone, keys, denial, now, nxdomain) or _nsec3(child, zone, keys, denial, now, nxdomain)
    if how is None:
        raise Bogus(f"no NSEC record at {child} proves it has no DS")
    return how
