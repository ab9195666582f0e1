"""Pure judges of the TLS, certificate, STARTTLS and web checks, fed with observation dicts."""

from __future__ import annotations

import datetime as dt

import pytest

from cyberaudit.checks import REGISTRY
from cyberaudit.checks.tls import judge_available, judge_ciphers, judge_protocols, judge_renegotiation
from cyberaudit.checks.tls_cert import hostname_matches, judge_cert, wildcard_match
from cyberaudit.checks.tls_mail import judge_starttls
from cyberaudit.checks.web import (
    judge_cookies,
    judge_headers,
    judge_hsts,
    judge_redirect,
    parse_cookie,
    parse_hsts,
)

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def _leaf(days_left: float = 60, *, key=("EC", 256), sig="sha256", sans=("ville.fr",), lifetime=90):
    not_after = NOW + dt.timedelta(days=days_left)
    return {"subject": "CN=ville.fr", "issuer": "CN=CA", "sha256": "00", "subject_cn": "ville.fr",
            "not_before": (not_after - dt.timedelta(days=lifetime)).isoformat(), "not_after": not_after.isoformat(),
            "san_dns": list(sans), "san_ip": [], "key_type": key[0], "key_bits": key[1], "signature_hash": sig,
            "self_issued": False, "is_ca": False, "aia_issuer": True}


def _by_id(findings):
    return {f.id: f for f in findings}


def test_every_required_id_is_registered_with_refs_in_both_languages():
    import cyberaudit.checks.tls_mail  # noqa: F401
    import cyberaudit.checks.web  # noqa: F401

    for cid in ("tls.https.available", "tls.protocol.legacy", "tls.protocol.modern", "tls.cipher.weak",
                "tls.cert.trusted", "tls.cert.hostname", "tls.cert.expiry", "tls.cert.key", "tls.cert.signature",
                "web.https.redirect", "web.hsts.policy", "web.headers.security", "web.cookies.flags",
                "mail.starttls.supported"):
        info = REGISTRY[cid]
        assert info.refs and info.title.fr != info.title.en and info.remediation.fr and info.explanation.en
    assert "anssi-tls:R4" in REGISTRY["tls.protocol.legacy"].refs
    assert "anssi-tls:R24" in REGISTRY["tls.cert.signature"].refs


@pytest.mark.parametrize("pattern,name,ok", [
    ("ville.fr", "VILLE.fr.", True),
    ("*.ville.fr", "www.ville.fr", True),
    ("*.ville.fr", "ville.fr", False),
    ("*.ville.fr", "a.b.ville.fr", False),
    ("w*.ville.fr", "www.ville.fr", False),
    ("*.fr", "ville.fr", False),
    ("*.ville.fr", "xn--mairie-9ya.ville.fr", False),
    ("www.*.fr", "www.ville.fr", False),
])
def test_rfc6125_wildcards(pattern, name, ok):
    assert wildcard_match(pattern, name) is ok


def test_ip_hosts_match_ip_sans_only():
    assert hostname_matches("192.0.2.7", [], ["192.0.2.7"])
    assert not hostname_matches("192.0.2.7", ["192.0.2.7"], [])


@pytest.mark.parametrize("days,status,severity", [
    (-1, "fail", "critical"), (5, "fail", "high"), (13.5, "fail", "high"), (20, "warn", "medium"), (45, "pass", None)])
def test_expiry_thresholds(days, status, severity):
    f = _by_id(judge_cert("ville.fr", "ville.fr", {"certificates": [_leaf(days)], "trust": {"status": "trusted"}},
                          NOW))["tls.cert.expiry"]
    assert f.status.value == status
    if severity:
        assert f.severity.value == severity
    assert f.evidence["days_left"] == int(days // 1) and f.evidence["not_after"].startswith("2026-")


@pytest.mark.parametrize("days,fr,en", [
    (0.5, "Expire le 1er juin 2026 (dans moins d'un jour).", "Expires on 1 June 2026 (in less than a day)."),
    (1.2, "Expire le 2 juin 2026 (dans 1 jour).", "Expires on 2 June 2026 (in 1 day)."),
    (20, "Expire le 21 juin 2026 (dans 20 jours).", "Expires on 21 June 2026 (in 20 days)."),
    (-3, "Certificat expiré le 29 mai 2026.", "Certificate expired on 29 May 2026.")])
def test_expiry_detail_reads_a_written_date_in_each_language(days, fr, en):
    f = _by_id(judge_cert("ville.fr", "ville.fr", {"certificates": [_leaf(days)], "trust": {"status": "trusted"}},
                          NOW))["tls.cert.expiry"]
    assert (f.detail.fr, f.detail.en) == (fr, en)


def test_key_signature_lifetime_and_trust_kinds():
    obs = {"certificates": [_leaf(key=("RSA", 1024), sig="sha1", lifetime=1200)],
           "trust": {"status": "missing_intermediate", "missing": "CN=Inter"}}
    f = _by_id(judge_cert("ville.fr", "ville.fr", obs, NOW))
    assert f["tls.cert.key"].status.value == "fail" and f["tls.cert.signature"].status.value == "fail"
    assert f["tls.cert.lifetime"].status.value == "warn"
    assert f["tls.cert.trusted"].status.value == "fail" and "intermédiaire" in f["tls.cert.trusted"].detail.fr
    ok = _by_id(judge_cert("ville.fr", "ville.fr", {"certificates": [_leaf(key=("EC", 384))],
                                                    "trust": {"status": "trusted"}}, NOW))
    assert all(x.status.value == "pass" for x in ok.values())
    none = judge_cert("ville.fr", "ville.fr", {"certificates": [], "trust": None}, NOW)
    assert {x.status.value for x in none} == {"error"}


def test_root_self_signature_does_not_count_but_self_signed_leaf_does():
    root = {**_leaf(), "signature_hash": "sha1", "self_issued": True}
    f = _by_id(judge_cert("v", "ville.fr", {"certificates": [_leaf(), root], "trust": {"status": "trusted"}}, NOW))
    assert f["tls.cert.signature"].status.value == "pass"
    lone = {**_leaf(), "signature_hash": "md5", "self_issued": True}
    f = _by_id(judge_cert("v", "ville.fr", {"certificates": [lone], "trust": {"status": "self_signed"}}, NOW))
    assert f["tls.cert.signature"].status.value == "fail"


def test_protocol_verdicts():
    def run(**protos):
        base = {"SSLv3": "rejected", "TLSv1.0": "rejected", "TLSv1.1": "rejected", "TLSv1.2": "accepted",
                "TLSv1.3": "accepted"}
        return _by_id(judge_protocols("v", {"protocols": {**base, **protos}}))

    assert run()["tls.protocol.legacy"].status.value == "pass"
    f = run(SSLv3="accepted")["tls.protocol.legacy"]
    assert f.severity.value == "high" and f.evidence["accepted"] == ["SSLv3"]
    assert run(**{"TLSv1.0": "accepted"})["tls.protocol.legacy"].severity.value == "medium"
    assert run(**{"TLSv1.1": "error"})["tls.protocol.legacy"].status.value == "error"
    assert run(**{"TLSv1.3": "rejected"})["tls.protocol.modern"].status.value == "warn"
    assert run(**{"TLSv1.3": "rejected", "TLSv1.2": "rejected"})["tls.protocol.modern"].status.value == "fail"


def test_cipher_class_verdicts():
    def weak(**classes):
        return judge_ciphers("v", {"weak": {c: {"status": "accepted", "suites": [c.upper()], "version": "TLSv1.2"}
                                            for c in classes}})

    assert weak(cbc=1).status.value == "warn"
    assert (weak(cbc=1, rsa_kex=1).status.value, weak(cbc=1, rsa_kex=1).severity.value) == ("fail", "medium")
    assert weak(null=1, rc4=1).severity.value == "critical"
    assert judge_ciphers("v", {"weak": {"rc4": {"status": "rejected"}}}).status.value == "pass"
    assert judge_ciphers("v", {"weak": {"rc4": {"status": "error"}}}).status.value == "error"


def test_https_availability_kinds():
    assert judge_available("v", {"available": True}, None).status.value == "pass"
    assert judge_available("v", {"available": False, "plain_http": True}, None).status.value == "fail"
    assert judge_available("v", {"available": False, "error": "connection refused"}, True).status.value == "fail"
    assert judge_available("v", {"available": False, "error": "timeout"}, False).status.value == "error"
    moved = judge_available("v", {"available": False, "error": "connection refused"}, True,
                            https_redirect="https://www.ville.fr/")
    assert moved.status.value == "warn" and moved.evidence["http_redirect"] == "https://www.ville.fr/"


def test_starttls_verdicts():
    ok = {"starttls": True, "handshake": {"ok": True, "version": "TLSv1.3"}, "certificates": [_leaf()],
          "trust": {"status": "trusted"}, "address": "192.0.2.1"}
    mx = "ville.fr"
    assert judge_starttls(mx, ok, NOW, binding={}).status.value == "pass"
    bad = {**ok, "trust": {"status": "self_signed"}}
    assert judge_starttls(mx, bad, NOW, binding={"mta_sts": False, "dane": False}).status.value == "warn"
    assert judge_starttls(mx, bad, NOW, binding={"mta_sts": True}).status.value == "fail"
    assert judge_starttls(mx, {"starttls": False}, NOW, binding={}).status.value == "fail"
    assert judge_starttls(mx, {"error": "banner: 421 busy"}, NOW, binding={}).status.value == "error"
    old = {**ok, "handshake": {"ok": True, "version": "TLSv1"}}
    assert judge_starttls(mx, old, NOW, binding={}).status.value == "warn"


def test_hsts_parsing_and_thresholds():
    assert parse_hsts('max-age="31536000"; includeSubDomains; preload') == {
        "max_age": 31536000, "include_subdomains": True, "preload": True}
    assert parse_hsts("includeSubDomains") is None and parse_hsts("max-age=1; max-age=2") is None
    obs = {"https_ok": True}
    assert judge_hsts("v", {**obs, "hsts": "max-age=31536000"}).status.value == "pass"
    assert judge_hsts("v", {**obs, "hsts": "max-age=15552000"}).status.value == "warn"
    assert judge_hsts("v", {**obs, "hsts": "max-age=15551999"}).status.value == "fail"
    assert judge_hsts("v", {**obs, "hsts": None}).status.value == "fail"
    assert judge_hsts("v", {"https_ok": False, "https_error": "timeout"}).status.value == "error"


def test_headers_frame_protection_and_version_leaks():
    good = {"content-security-policy": "default-src 'self'; frame-ancestors 'self'",
            "x-content-type-options": "nosniff", "referrer-policy": "no-referrer"}
    assert judge_headers("v", {"headers": good}).status.value == "pass"
    leak = judge_headers("v", {"headers": {**good, "server": "Apache/2.4.41 (Ubuntu)"}})
    assert leak.status.value == "warn" and "server" in leak.evidence["version_disclosed"]
    assert judge_headers("v", {"headers": {**good, "server": "nginx"}}).status.value == "pass"
    no_frame = {**good, "content-security-policy": "default-src 'self'"}
    f = judge_headers("v", {"headers": no_frame})
    assert f.status.value == "fail" and f.evidence["missing"] == ["X-Frame-Options / frame-ancestors"]
    assert judge_headers("v", {"headers": {**no_frame, "x-frame-options": "DENY"}}).status.value == "pass"


def test_cookie_flags():
    assert parse_cookie("sid=1; Secure; HttpOnly; SameSite=Strict") == {
        "name": "sid", "secure": True, "httponly": True, "samesite": "Strict"}
    assert judge_cookies("v", {"headers": {}, "cookies": []}).status.value == "pass"
    assert judge_cookies("v", {"headers": {}, "cookies": ["a=1; HttpOnly"]}).status.value == "fail"
    assert judge_cookies("v", {"headers": {}, "cookies": ["a=1; Secure; SameSite=None"]}).status.value == "warn"


@pytest.mark.parametrize("outcome,final,status", [
    ("https_same", None, "pass"), ("https_other", "www.ville.fr", "pass"), ("https_other", "evil.example", "warn"),
    ("loop", None, "fail"), ("too_many", None, "fail"), ("no_redirect", None, "fail"), ("http_closed", None, "info"),
    ("error", None, "error")])
def test_redirect_outcomes(outcome, final, status):
    assert judge_redirect("ville.fr", {"outcome": outcome, "final_host": final, "hops": []},
                          "ville.fr").status.value == status


def test_secure_renegotiation():
    ok = {"hello_extensions": {"version": "TLSv1.2", "secure_renegotiation": True}}
    assert judge_renegotiation("v", ok).status.value == "pass"
    bad = {"hello_extensions": {"version": "TLSv1.0", "secure_renegotiation": False}}
    assert judge_renegotiation("v", bad).status.value == "fail"
    only13 = {"protocols": {"TLSv1.2": "rejected", "TLSv1.3": "accepted"}}
    assert judge_renegotiation("v", only13).evidence == {"tls13_only": True}
    assert judge_renegotiation("v", {"protocols": {"TLSv1.2": "error"}}) is None
