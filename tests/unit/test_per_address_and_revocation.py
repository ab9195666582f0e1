"""Per-address merge of findings, and OCSP/CRL answers that must never count as "good" (pure)."""

from __future__ import annotations

import datetime as dt

from cyberaudit.checks.per_address import merge_by_address
from cyberaudit.checks.tls import LEGACY, MODERN
from cyberaudit.probes.tlsscan.ocsp_crl import crl_status, ocsp_status, pointers
from tests.lab.pki import TestCA

NOW = dt.datetime.now(dt.UTC)


def test_worst_address_wins_and_is_named():
    merged = merge_by_address({
        "192.0.2.1": [LEGACY.finding("pass", target="a.fr"), MODERN.finding("pass", target="a.fr")],
        "192.0.2.2": [LEGACY.finding("fail", target="a.fr", evidence={"accepted": ["TLSv1.0"]}),
                      MODERN.finding("pass", target="a.fr")],
    })
    legacy, modern = merged
    assert legacy.status.value == "fail" and legacy.evidence["address"] == "192.0.2.2"
    assert legacy.evidence["addresses"] == {"192.0.2.1": "pass", "192.0.2.2": "fail"}
    assert legacy.detail.en.startswith("Address 192.0.2.2")
    assert modern.status.value == "pass" and not modern.detail  # all agree: no address prefix
    single = merge_by_address({"192.0.2.9": [LEGACY.finding("pass", target="a.fr")]})
    assert single[0].evidence == {"address": "192.0.2.9"}


def test_ocsp_and_crl_answers_are_verified():
    ca, other = TestCA(), TestCA("Other")
    leaf = ca.issue(["a.lab"], ocsp_url="http://ocsp.lab/", crl_url="http://pki.lab/i.crl")
    assert pointers(leaf.cert) == {"ocsp": ["http://ocsp.lab/"], "crl": ["http://pki.lab/i.crl"]}
    assert ocsp_status(ca.ocsp_response(leaf.cert, revoked=False), leaf.cert, ca.intermediate, NOW)["status"] == "good"
    # the same answer signed by another CA, a stale one, garbage: errors, never good
    forged = other.ocsp_response(leaf.cert, revoked=False)
    assert ocsp_status(forged, leaf.cert, ca.intermediate, NOW)["status"] == "error"
    late = NOW + dt.timedelta(days=3)
    assert "stale" in ocsp_status(ca.ocsp_response(leaf.cert, revoked=False), leaf.cert, ca.intermediate,
                                  late)["reason"]
    assert ocsp_status(b"not der", leaf.cert, ca.intermediate, NOW)["status"] == "error"
    other_leaf = ca.issue(["b.lab"])
    assert "does not name" in ocsp_status(ca.ocsp_response(other_leaf.cert, revoked=True), leaf.cert,
                                          ca.intermediate, NOW)["reason"]
    assert crl_status(ca.crl([leaf.cert]), leaf.cert, ca.intermediate, NOW)["status"] == "revoked"
    assert crl_status(other.crl([]), leaf.cert, ca.intermediate, NOW)["status"] == "error"
    assert crl_status(ca.crl([], days=1), leaf.cert, ca.intermediate, NOW + dt.timedelta(days=2))["status"] == "error"
