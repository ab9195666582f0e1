"""Pure judges: statuses and severities for observations (no network)."""

from __future__ import annotations

import pytest

from cyberaudit.checks import dns as d
from cyberaudit.checks import mail as m
from cyberaudit.checks import mail_spf as spf_judges


@pytest.mark.parametrize("obs,status", [
    ({"status": "ok", "found_at": "v.fr", "policy": "reject"}, "pass"),
    ({"status": "ok", "found_at": "v.fr", "policy": "quarantine"}, "warn"),
    ({"status": "ok", "found_at": "v.fr", "policy": "none"}, "fail"),
    ({"status": "ok", "found_at": "v.fr", "policy": "reject", "testing": True}, "fail"),
    ({"status": "ok", "found_at": "v.fr", "policy": "reject", "pct": 10, "obsolete": ["pct"]}, "warn"),
    ({"status": "ok", "found_at": "v.fr", "policy": None, "problems": ["no p tag"]}, "fail"),
    ({"status": "ok", "found_at": "v.fr", "policy": "reject", "several": True}, "fail"),
    ({"status": "none"}, "fail"),
    ({"status": "timeout", "found_at": "v.fr"}, "error"),
    ({"status": "servfail", "found_at": "v.fr"}, "error"),
])
def test_dmarc_policy(obs, status):
    assert m.judge_dmarc_policy("v.fr", obs).status.value == status


def test_dmarc_where_found_is_said():
    f = m.judge_dmarc_policy("a.v.fr", {"status": "ok", "found_at": "v.fr", "policy": "reject"})
    assert "v.fr" in f.detail.fr and "inherited" in f.detail.en and f.evidence["found_at"] == "v.fr"


@pytest.mark.parametrize("all_q,status", [("-", "pass"), ("~", "warn"), ("?", "fail"), ("+", "fail"), (None, "fail")])
def test_spf_all_qualifier(all_q, status):
    obs = {"status": "ok", "records": ["v=spf1 ..."], "all": all_q}
    assert spf_judges.judge_spf_policy("v.fr", obs).status.value == status


def test_spf_lookups_limits():
    base = {"status": "ok", "tree": {"domain": "v.fr"}, "void": 0, "errors": [], "unknown": [], "loop": False}
    assert spf_judges.judge_spf_lookups("v.fr", {**base, "lookups": 10}).status.value == "pass"
    assert spf_judges.judge_spf_lookups("v.fr", {**base, "lookups": 11}).status.value == "fail"
    assert spf_judges.judge_spf_lookups("v.fr", {**base, "lookups": 3, "void": 3}).status.value == "fail"
    assert spf_judges.judge_spf_lookups("v.fr", {**base, "lookups": 3, "unknown": ["a:x timeout"]}).status.value == "error"
    assert spf_judges.judge_spf_lookups("v.fr", {"status": "timeout"}).status.value == "error"


def test_dnssec_severities():
    bogus = d.judge_dnssec("v.fr", {"state": "bogus", "reason": "x"})
    assert (bogus.status.value, bogus.severity.value, bogus.evidence["result"]) == ("fail", "high", "bogus")
    unsigned = d.judge_dnssec("v.fr", {"state": "insecure", "reason": "no DNSKEY"})
    assert (unsigned.status.value, unsigned.severity.value) == ("fail", "medium")
    assert d.judge_dnssec("v.fr", {"state": "secure", "algorithms": [7]}).status.value == "warn"
    assert d.judge_dnssec("v.fr", {"state": "secure", "algorithms": [13], "expires_in_days": 1.5}).status.value == "warn"
    assert d.judge_dnssec("v.fr", {"state": "secure", "algorithms": [8], "expires_in_days": 9}).status.value == "pass"
    assert d.judge_dnssec("v.fr", {"state": "error", "reason": "timeout"}).status.value == "error"


def test_dkim_sizes():
    def obs(bits, kind="rsa"):
        return {"status": "ok", "selectors": {"s": {"type": kind, "bits": bits, "revoked": False, "error": None}}}
    assert m.judge_dkim("v.fr", obs(512)).status.value == "fail"
    assert m.judge_dkim("v.fr", obs(1024)).status.value == "warn"
    assert m.judge_dkim("v.fr", obs(2048)).status.value == "pass"
    assert m.judge_dkim("v.fr", obs(256, "ed25519")).status.value == "pass"
    assert m.judge_dkim("v.fr", {"status": "ok", "selectors": {}}).status.value == "warn"
    assert m.judge_dkim("v.fr", {"status": "timeout", "selectors": {}}).status.value == "error"


def test_every_check_has_bilingual_texts_and_references():
    for info in (*d.DNS_CHECKS, d.ZONE_RESOLVES, *m.MAIL_CHECKS):
        for text in (info.title, info.explanation, info.remediation):
            assert text.fr and text.en and text.fr != text.en
        assert info.refs and all(":" in r for r in info.refs)
    assert "anssi-pa-066:R44" in m.SPF_POLICY.refs and "rfc:9989" in m.DMARC_POLICY.refs
