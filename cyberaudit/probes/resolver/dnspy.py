"""dnspython's view of raw DNS answers, for the few uses that need it: DNSSEC validation and zone transfers.

Everything else goes through the wire codec (`wire`); the client imports this module only when a
DNSSEC answer or an AXFR is read, so a TLS, web or plain DNS scan starts without loading dnspython.
"""

from __future__ import annotations

import dns.exception
import dns.message
import dns.name
import dns.rdataclass
import dns.rdatatype

MAX_DENIAL_SETS = 16


def axfr_count(data: bytes) -> int | None:
    """Records of a zone-transfer answer; None when it is no transfer (an error, or no SOA first)."""
    try:
        msg = dns.message.from_wire(data, ignore_trailing=True, one_rr_per_rrset=True)
    except (dns.exception.DNSException, EOFError, ValueError):
        return None
    if msg.rcode() != 0 or not msg.answer or msg.answer[0].rdtype != dns.rdatatype.SOA:
        return None
    return sum(len(r) for r in msg.answer)


def answer_sets(raw: bytes, owner: str, want: int):
    """(RRset, RRSIG RRset or None) of `owner`/`want` in a DNSSEC answer; None when absent or unreadable."""
    try:
        msg = dns.message.from_wire(raw, ignore_trailing=True)
        name = dns.name.from_text(owner + ".") if owner else dns.name.root
    except (dns.exception.DNSException, ValueError):
        return None
    rrset = msg.get_rrset(msg.answer, name, dns.rdataclass.IN, want)
    if rrset is None:
        return None
    return rrset, msg.get_rrset(msg.answer, name, dns.rdataclass.IN, dns.rdatatype.RRSIG, want)


def denial_sets(raw: bytes) -> list:
    """NSEC/NSEC3 RRsets of a negative DNSSEC answer's authority section, each with its RRSIGs."""
    try:
        msg = dns.message.from_wire(raw, ignore_trailing=True)
    except (dns.exception.DNSException, ValueError):
        return []
    out = []
    for rrset in msg.authority:
        if rrset.rdtype in (dns.rdatatype.NSEC, dns.rdatatype.NSEC3):
            sig = msg.get_rrset(msg.authority, rrset.name, dns.rdataclass.IN, dns.rdatatype.RRSIG, rrset.rdtype)
            out.append((rrset, sig))
    return out[:MAX_DENIAL_SETS]
