"""An unsigned child in a signed parent is "insecure" only with the parent's signed proof that there is no
DS (NSEC / NSEC3, RFC 4035 §5.2, RFC 5155); without a valid proof it is bogus. Real knot, plus a relay
that strips or tampers with the proof."""

from __future__ import annotations

import dns.name
import dns.rdatatype
import dns.rrset
import pytest

from .conftest import free_dns_address
from .dns_filter import DnsFilter

PARENT = "enfant.lab. NS ns1.lab.\n"  # a real delegation to the unsigned child


def _scan(nameserver: str, anchor: str, *domains):
    from cyberaudit.probes import Target
    from cyberaudit.probes import pipeline as scanning
    from cyberaudit.probes.net import Net

    net = Net(nameserver=nameserver, port=53, timeout=1.0, retries=1, options={"trust_anchor": anchor})
    targets = [Target(name=d, kind="domain", scope=frozenset({"dns"})) for d in domains]
    res = scanning.scan(targets, ["dns"], net)
    return {r.target: next(f for f in r.findings if f.id == "dns.dnssec.valid") for r in res.results}


def _strip(name, rdtype, msg):
    if rdtype == "DS":
        msg.authority = [r for r in msg.authority if r.rdtype not in (dns.rdatatype.NSEC, dns.rdatatype.NSEC3)
                         and not (r.rdtype == dns.rdatatype.RRSIG and r.covers in (dns.rdatatype.NSEC,
                                                                                     dns.rdatatype.NSEC3))]
    return msg


def _tamper(name, rdtype, msg):
    """Claim the delegation has no DS by rewriting the NSEC bitmap: the parent's signature no longer matches."""
    if rdtype == "DS":
        out = []
        for r in msg.authority:
            if r.rdtype == dns.rdatatype.NSEC:
                forged = r[0].replace(next=dns.name.from_text("zzzz.lab."))
                r = dns.rrset.from_rdata(r.name, r.ttl, forged)
            out.append(r)
        msg.authority = out
    return msg


@pytest.fixture
def signed_parent(knot_lab):
    def make(nsec3: bool = False):
        lab = knot_lab()
        lab.add_zone("lab.", PARENT, signed=True, nsec3=nsec3)
        lab.add_zone("enfant.lab.", "")
        lab.add_zone("hors.lab.", "")  # served, but the parent does not delegate it: the parent proves NXDOMAIN
        lab.start()
        return lab

    return make


@pytest.fixture
def relay():
    relays = []

    def make(upstream: str, rewrite) -> DnsFilter:
        r = DnsFilter(free_dns_address("dns2"), upstream, rewrite=rewrite).start()
        relays.append(r)
        return r

    yield make
    for r in relays:
        r.stop()


@pytest.mark.parametrize("nsec3", [False, True], ids=["nsec", "nsec3"])
def test_unsigned_child_with_a_valid_denial_proof_is_insecure(signed_parent, nsec3):
    lab = signed_parent(nsec3)
    found = _scan(lab.address, lab.trust_anchor(), "enfant.lab", "hors.lab")
    child = found["enfant.lab"]
    assert child.evidence["result"] == "unsigned", child.evidence
    assert child.evidence["denial"] == ("nsec3" if nsec3 else "nsec")
    outside = found["hors.lab"]
    assert outside.evidence["result"] == "unsigned" and "does not exist in the parent" in outside.evidence["denial"]


def test_missing_proof_is_bogus_not_insecure(signed_parent, relay):
    lab = signed_parent()
    r = relay(lab.address, _strip)
    child = _scan(r.address, lab.trust_anchor(), "enfant.lab")["enfant.lab"]
    assert child.evidence["result"] == "bogus" and child.severity.value == "high"
    assert "without any NSEC/NSEC3 proof" in child.evidence["reason"]


def test_tampered_proof_is_bogus(signed_parent, relay):
    lab = signed_parent()
    r = relay(lab.address, _tamper)
    child = _scan(r.address, lab.trust_anchor(), "enfant.lab")["enfant.lab"]
    assert child.evidence["result"] == "bogus", child.evidence
    assert "NSEC" in child.evidence["reason"]
