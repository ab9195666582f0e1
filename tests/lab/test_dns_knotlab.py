"""Smoke tests of the knot lab itself (other lab tests build on it)."""

from __future__ import annotations

import dns.dnssec
import dns.rdatatype


def test_signed_zone_serves_soa_with_rrsig_and_ds_chain(knot_lab):
    lab = knot_lab()
    lab.add_zone("lab.", "", signed=True)
    lab.add_zone("ville.lab.", "@ TXT \"v=spf1 -all\"\n", signed=True)
    lab.add_zone("plain.lab.", "@ TXT hello\n")
    lab.start()
    msg = lab.query("ville.lab.", "SOA", dnssec=True)
    types = {r.rdtype for r in msg.answer}
    assert dns.rdatatype.SOA in types and dns.rdatatype.RRSIG in types
    ds = lab.query("ville.lab.", "DS", dnssec=True)
    ds_set = [r for r in ds.answer if r.rdtype == dns.rdatatype.DS][0]
    keys = lab.query("ville.lab.", "DNSKEY", tcp=True)
    key_set = [r for r in keys.answer if r.rdtype == dns.rdatatype.DNSKEY][0]
    ksk = [k for k in key_set if k.flags & 1][0]
    assert dns.dnssec.make_ds("ville.lab.", ksk, "SHA256") in ds_set
    assert "DNSKEY 257 3 13" in lab.trust_anchor()
    # the unsigned child has no DS and no signature
    assert not lab.query("plain.lab.", "DS").answer
    assert lab.nameserver == f"{lab.address}:53"


def test_broken_zone_answers_servfail_and_reload_adds_zone(knot_lab):
    lab = knot_lab()
    lab.add_zone("lab.", "")
    lab.add_broken_zone("cassee.lab.")
    lab.start()
    assert lab.query("cassee.lab.", "SOA").rcode() == 2  # SERVFAIL
    lab.add_zone("nouvelle.lab.", "@ A 192.0.2.1\n")
    lab.reload()
    assert lab.query("nouvelle.lab.", "A").answer
