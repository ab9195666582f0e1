"""`cyberaudit scan` TLS + web families against a real nginx (many vhosts), real knot, SMTP servers
and hostile servers on loopback. Names resolve through knot (`--nameserver`) like a real scan.
One lab and one scan per module; each test asserts one scenario's verdicts.
"""

from __future__ import annotations

import time

import pytest

from cyberaudit.probes import Target
from cyberaudit.probes.net import Net
from cyberaudit.probes.pipeline import scan

from .fixtures_tls import RawServer
from .knot import KnotLab
from .nginx import NginxLab
from .pki import TestCA, many_sans, self_signed
from .smtp_server import SmtpServer
from .util import lab_address

GOOD_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Set-Cookie": "sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax",
}
MODERN = "ECDHE+AESGCM:ECDHE+CHACHA20"
TIMEOUT = 1.5


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tlslab")
    ca, rogue = TestCA(), TestCA("Rogue")
    bundle = ca.write_bundle(tmp / "ca.pem")
    nginx = NginxLab(tmp / "nginx")
    zone: list[str] = []
    servers: list = []

    def vhost(name, cert=None, **kw):
        addr = lab_address("tls")
        names = [name] if isinstance(name, str) else name
        zone.extend(f"{n.removesuffix('.lab')} A {addr}" for n in names)
        if cert is not None:
            files = cert.write(tmp / names[0])
            kw.update(cert=files.fullchain if kw.pop("full", True) else files.cert, key=files.key)
        nginx.add_vhost(names, addr, **kw)
        return addr

    ville = vhost(["ville.lab", "www.ville.lab"], ca.issue(["ville.lab", "www.ville.lab"]), ciphers=MODERN,
                  headers=GOOD_HEADERS)
    vhost("legacy.lab", ca.issue(["legacy.lab"], key="rsa"), protocols="TLSv1 TLSv1.1 TLSv1.2",
          ciphers="AES128-SHA:AES256-SHA:@SECLEVEL=0", headers=GOOD_HEADERS)
    vhost("expired.lab", ca.issue(["expired.lab"], expired=True), ciphers=MODERN, headers=GOOD_HEADERS)
    vhost("soon.lab", ca.issue(["soon.lab"], expires_in_days=10), ciphers=MODERN, headers=GOOD_HEADERS)
    vhost("selfsigned.lab", self_signed(["selfsigned.lab"]), ciphers=MODERN, headers=GOOD_HEADERS)
    vhost("mismatch.lab", ca.issue(["other.lab"]), ciphers=MODERN, headers=GOOD_HEADERS)
    vhost("nochain.lab", ca.issue(["nochain.lab"]), full=False, ciphers=MODERN, headers=GOOD_HEADERS)
    vhost("rogue.lab", rogue.issue(["rogue.lab"]), ciphers=MODERN, headers=GOOD_HEADERS)
    vhost("httponly.lab")
    vhost("shorthsts.lab", ca.issue(["shorthsts.lab"]), ciphers=MODERN,
          headers={**GOOD_HEADERS, "Strict-Transport-Security": "max-age=86400"})
    vhost("halfhsts.lab", ca.issue(["halfhsts.lab"]), ciphers=MODERN,
          headers={**GOOD_HEADERS, "Strict-Transport-Security": "max-age=16000000; preload"})
    vhost("noheaders.lab", ca.issue(["noheaders.lab"]), ciphers=MODERN,
          headers={"Set-Cookie": "track=1; Path=/", "X-Powered-By": "PHP/7.4.33"}, extra="        server_tokens on;")
    vhost("plainhttp.lab", plain_on_https=True)
    vhost("bigsan.lab", ca.issue(["bigsan.lab", *many_sans(999)]), ciphers=MODERN, headers=GOOD_HEADERS)
    vhost("evil.lab", ca.issue(["evil.lab"], subject_cn="<script>alert(1)</script>\x1b[31m\x07evil"),
          ciphers=MODERN, headers=GOOD_HEADERS)
    vhost("loop.lab", ca.issue(["loop.lab"]), ciphers=MODERN, headers=GOOD_HEADERS, http_redirect=False,
          extra="        location = / { return 301 http://$host/a; }\n        location = /a { return 301 http://$host/; }")
    # issue 12: HTTPS that sends back to http:// (a loop across schemes), HSTS with terminal escapes
    vhost("downgrade.lab", ca.issue(["downgrade.lab"]), ciphers=MODERN, headers=GOOD_HEADERS,
          extra="        location = / { return 301 http://$host/; }")
    vhost("ctlhsts.lab", ca.issue(["ctlhsts.lab"]), ciphers=MODERN,
          headers={**GOOD_HEADERS, "Strict-Transport-Security": "max-age=\x1b[2J31536000"})
    vhost("hugecert.lab", ca.issue(["hugecert.lab", *many_sans(10_000)]), ciphers=MODERN, headers=GOOD_HEADERS)
    if TestCA.can_sign("sha1"):
        vhost("sha1.lab", ca.issue(["sha1.lab"], hash="sha1", key="rsa", key_size=1024),
              ciphers=MODERN + ":@SECLEVEL=0", headers=GOOD_HEADERS)
    for name, mode in (("tarpit.lab", "tarpit"), ("reset.lab", "reset")):
        addr = lab_address("tls")
        zone.append(f"{name.removesuffix('.lab')} A {addr}")
        servers.append(RawServer(addr, (443, 80), mode).start())
    for domain, mode in (("ville.lab", "starttls"), ("nostarttls.lab", "plain"), ("busy.lab", "busy")):
        addr = lab_address("smtp")
        mx = f"mail.{domain}"
        files = ca.issue([mx]).write(tmp / mx)
        servers.append(SmtpServer(addr, mode=mode, cert=files.fullchain, key=files.key).start())
        zone += [f"{domain.removesuffix('.lab')} MX 10 {mx}.", f"{mx.removesuffix('.lab')} A {addr}"]
        if domain == "ville.lab":  # a second MX name on the same address: same connection, other name
            zone += ["ville MX 20 mx2.ville.lab.", f"mx2.ville A {addr}"]
    knot = KnotLab(tmp / "knot", lab_address("tls"))  # own block: no clash with DNS tests
    knot.add_zone("lab.", "\n".join(zone))
    try:
        knot.start()
        nginx.start()
        net = Net(nameserver=knot.address, port=53, ca_bundle=bundle, timeout=TIMEOUT, deadline=60)
        names = ["legacy.lab", "expired.lab", "soon.lab", "selfsigned.lab", "mismatch.lab", "nochain.lab",
                 "rogue.lab", "httponly.lab", "shorthsts.lab", "halfhsts.lab", "noheaders.lab", "plainhttp.lab",
                 "bigsan.lab", "evil.lab", "loop.lab", "tarpit.lab", "reset.lab", "sha1.lab", "downgrade.lab",
                 "ctlhsts.lab", "hugecert.lab"]
        targets = [Target("ville.lab", "domain", frozenset({"tls"})),
                   Target("nostarttls.lab", "domain", frozenset({"tls"})),
                   Target("busy.lab", "domain", frozenset({"tls"}))]
        targets += [Target(n, "host", frozenset({"tls"})) for n in [*names, ville]]
        start = time.monotonic()
        result = scan(targets, ["tls", "web"], net)
        elapsed = time.monotonic() - start
        findings = {(f.target, f.id): f for f in result.findings()}
        yield {"findings": findings, "elapsed": elapsed, "smtp": servers[-3:], "result": result,
               "nameserver": knot.nameserver, "bundle": bundle, "ville_ip": ville}
    finally:
        nginx.stop()
        knot.stop()
        for s in servers:
            s.stop()


def verdict(lab, target, cid):
    f = lab["findings"].get((target, cid))
    assert f is not None, f"no {cid} for {target}: {sorted(k for k in lab['findings'] if k[0] == target)}"
    return f


def test_good_site_passes_everything(lab):
    for name in ("ville.lab", "www.ville.lab"):
        for cid in ("tls.https.available", "tls.protocol.legacy", "tls.protocol.modern", "tls.cipher.weak",
                    "tls.cert.trusted", "tls.cert.hostname", "tls.cert.expiry", "tls.cert.key", "tls.cert.signature",
                    "tls.renegotiation.secure", "web.https.redirect", "web.hsts.policy", "web.headers.security", "web.cookies.flags"):
            f = verdict(lab, name, cid)
            assert f.status.value == "pass", (name, cid, f.evidence, f.detail)
    hsts = verdict(lab, "ville.lab", "web.hsts.policy")
    assert hsts.evidence["include_subdomains"] is True and hsts.evidence["preload"] is False
    assert verdict(lab, "ville.lab", "tls.protocol.modern").evidence["protocols"]["TLSv1.3"] == "accepted"


def test_ip_host_target_without_sni(lab):
    ip = lab["ville_ip"]
    assert verdict(lab, ip, "tls.https.available").status.value == "pass"
    host = verdict(lab, ip, "tls.cert.hostname")  # the certificate names ville.lab, not the address
    assert host.status.value == "fail" and host.evidence["name"] == ip
    assert verdict(lab, ip, "tls.cert.trusted").status.value == "pass"
    assert verdict(lab, ip, "web.https.redirect").evidence["hops"][0]["location"] == f"https://{ip}/"


def test_legacy_protocols_and_non_fs_cbc_suites(lab):
    legacy = verdict(lab, "legacy.lab", "tls.protocol.legacy")
    assert legacy.status.value == "fail" and legacy.evidence["accepted"] == ["TLSv1.0", "TLSv1.1"]
    assert legacy.evidence["protocols"]["SSLv3"] == "rejected"
    assert verdict(lab, "legacy.lab", "tls.protocol.modern").status.value == "warn"  # no TLS 1.3
    weak = verdict(lab, "legacy.lab", "tls.cipher.weak")
    assert weak.status.value == "fail" and weak.severity.value == "medium"
    assert sorted(weak.evidence["accepted"]["rsa_kex"]) == ["TLS_RSA_WITH_AES_128_CBC_SHA",
                                                            "TLS_RSA_WITH_AES_256_CBC_SHA"]
    assert set(weak.evidence["accepted"]) == {"rsa_kex", "cbc"}


def test_certificate_problems_told_apart(lab):
    exp = verdict(lab, "expired.lab", "tls.cert.expiry")
    assert (exp.status.value, exp.severity.value) == ("fail", "critical") and exp.evidence["days_left"] < 0
    assert verdict(lab, "expired.lab", "tls.cert.trusted").status.value == "pass"
    soon = verdict(lab, "soon.lab", "tls.cert.expiry")
    assert (soon.status.value, soon.severity.value) == ("fail", "high") and 8 <= soon.evidence["days_left"] <= 10
    assert verdict(lab, "selfsigned.lab", "tls.cert.trusted").evidence["status"] == "self_signed"
    assert verdict(lab, "nochain.lab", "tls.cert.trusted").evidence["status"] == "missing_intermediate"
    assert verdict(lab, "rogue.lab", "tls.cert.trusted").evidence["status"] == "unknown_ca"
    mismatch = verdict(lab, "mismatch.lab", "tls.cert.hostname")
    assert mismatch.status.value == "fail" and mismatch.evidence["san_dns"] == ["other.lab"]
    assert verdict(lab, "mismatch.lab", "tls.cert.trusted").status.value == "pass"


def test_sha1_and_small_key(lab):
    if ("sha1.lab", "tls.cert.signature") not in lab["findings"]:
        pytest.skip("local openssl cannot sign with SHA-1: SHA-1 case not tested")
    sig = verdict(lab, "sha1.lab", "tls.cert.signature")
    assert sig.status.value == "fail" and "sha1" in sig.evidence["signature_hashes"]
    key = verdict(lab, "sha1.lab", "tls.cert.key")
    assert key.status.value == "fail" and key.evidence["key_bits"] == 1024


def test_http_only_site(lab):
    assert verdict(lab, "httponly.lab", "tls.https.available").status.value == "fail"
    red = verdict(lab, "httponly.lab", "web.https.redirect")
    assert red.status.value == "fail" and red.evidence["outcome"] == "no_redirect"
    assert verdict(lab, "httponly.lab", "web.hsts.policy").status.value == "fail"
    assert ("httponly.lab", "tls.protocol.legacy") not in lab["findings"]


def test_hsts_thresholds(lab):
    short = verdict(lab, "shorthsts.lab", "web.hsts.policy")
    assert short.status.value == "fail" and short.evidence["max_age"] == 86400
    half = verdict(lab, "halfhsts.lab", "web.hsts.policy")
    assert half.status.value == "warn" and half.evidence["preload"] is True


def test_missing_headers_and_cookie_flags(lab):
    h = verdict(lab, "noheaders.lab", "web.headers.security")
    assert h.status.value == "fail"
    assert set(h.evidence["missing"]) == {"Content-Security-Policy", "X-Content-Type-Options",
                                          "X-Frame-Options / frame-ancestors", "Referrer-Policy"}
    assert h.evidence["version_disclosed"]["x-powered-by"] == "PHP/7.4.33"
    assert h.evidence["version_disclosed"]["server"].startswith("nginx/")
    c = verdict(lab, "noheaders.lab", "web.cookies.flags")
    assert c.status.value == "fail" and c.evidence["cookies"][0] == {
        "name": "track", "secure": False, "httponly": False, "samesite": None}


def test_redirect_loop(lab):
    red = verdict(lab, "loop.lab", "web.https.redirect")
    assert red.status.value == "fail" and red.evidence["outcome"] == "loop"


def test_https_sending_back_to_http_is_not_a_redirect_to_https(lab):
    red = verdict(lab, "downgrade.lab", "web.https.redirect")
    assert red.status.value == "fail" and red.evidence["outcome"] == "https_to_http", red.evidence
    assert red.evidence["hops"][-1]["location"] == "http://downgrade.lab/"


def test_hsts_with_control_characters_is_invalid(lab):
    hsts = verdict(lab, "ctlhsts.lab", "web.hsts.policy")
    assert hsts.status.value == "fail" and "max_age" not in hsts.evidence, hsts.evidence
    assert "\x1b" not in hsts.evidence["header"]  # inert, yet visibly not a number
    assert "31536000" in hsts.evidence["header"]


def test_a_certificate_over_the_client_limit_is_not_no_certificate(lab):
    """10,000 names: a Certificate message over OpenSSL's 100 KiB client limit. Judged, or `error` saying so."""
    for cid in ("tls.cert.trusted", "tls.cert.hostname", "tls.cert.expiry"):
        f = verdict(lab, "hugecert.lab", cid)
        if f.status.value == "error":
            reason = f.evidence["reason"]
            assert "100 KiB" in reason and "no certificate" not in reason, reason
        else:
            assert f.status.value == "pass", (cid, f.evidence)


def test_smtp_starttls(lab):
    ok = verdict(lab, "mail.ville.lab", "mail.starttls.supported")
    assert ok.status.value == "pass", ok.evidence
    assert ok.evidence["version"] == "TLSv1.3" and ok.evidence["trust"] == "trusted"
    no = verdict(lab, "mail.nostarttls.lab", "mail.starttls.supported")
    assert no.status.value == "fail"
    busy = verdict(lab, "mail.busy.lab", "mail.starttls.supported")
    assert busy.status.value == "error" and "421" in busy.evidence["reason"]
    # one STARTTLS session per MX address, then bare hellos for its versions and weak classes (issue 16);
    # a server without STARTTLS or one that is busy gets only the one polite connection
    assert lab["smtp"][0].connections <= 20 and [s.connections for s in lab["smtp"][1:]] == [1, 1]
    assert ok.evidence["protocols"]["TLSv1.3"] == "accepted" and ok.evidence["protocols"]["TLSv1.0"] != "accepted"
    mx2 = verdict(lab, "mx2.ville.lab", "mail.starttls.supported")  # certificate names mail.ville.lab only
    assert mx2.status.value == "warn" and mx2.evidence["certificate_problems"] == ["hostname"]


def test_hostile_servers_bounded(lab):
    tarpit = verdict(lab, "tarpit.lab", "tls.https.available")
    assert tarpit.status.value == "error" and tarpit.evidence["reason"] == "timeout"
    assert verdict(lab, "tarpit.lab", "web.hsts.policy").status.value == "error"
    reset = verdict(lab, "reset.lab", "tls.https.available")
    assert reset.status.value == "error"
    plain = verdict(lab, "plainhttp.lab", "tls.https.available")
    assert plain.status.value == "fail" and "HTTP" in plain.detail.en
    # every network wait is bounded: the tarpit costs a few timeouts, not minutes
    assert lab["elapsed"] < 12 * TIMEOUT
    assert not [f for f in lab["result"].findings() if f.id.endswith("probe.error")]


def test_hostile_certificates_stay_data(lab):
    big = verdict(lab, "bigsan.lab", "tls.cert.hostname")
    assert big.status.value == "pass" and big.evidence["san_count"] == 1000 and len(big.evidence["san_dns"]) == 20
    evil = verdict(lab, "evil.lab", "tls.cert.trusted")
    assert "\x1b" not in evil.evidence["subject"] and "\x07" not in evil.evidence["subject"]
    assert "<script" in evil.evidence["subject"].replace("\\", "")  # kept as data; renderers escape it
    dumped = lab["result"].model_dump_json()
    assert "\\u001b" not in dumped and "\\u0007" not in dumped


def test_cli_scan_prints_hostile_subject_safely(lab, run_cli, tmp_path):
    out_file = tmp_path / "scan.json"
    code, out, err = run_cli("scan", "evil.lab", "legacy.lab", "--checks", "tls,web", "--nameserver", lab["nameserver"],
                             "--ca-bundle", lab["bundle"], "--timeout", "2", "--format", "markdown",
                             "--output", out_file)
    assert code == 0, err
    code, out, err = run_cli("--lang", "en", "scan", "evil.lab", "legacy.lab", "--checks", "tls,web",
                             "--nameserver", lab["nameserver"], "--ca-bundle", lab["bundle"], "--timeout", "2",
                             "--fail-on", "medium")
    assert code == 1, err  # legacy.lab accepts TLS 1.0/1.1 and non-forward-secret suites
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "tls.protocol.legacy" in out or "TLS 1.0" in out or "Old versions" in out


def test_a_saved_observation_judges_like_the_live_scan(lab):
    """tls and web observe plain JSON: saved and judged again offline, ville.lab gets the scan's verdicts."""
    import asyncio
    import json

    from cyberaudit.checks import tls as tls_judge
    from cyberaudit.checks import web as web_judge
    from cyberaudit.probes import tls, web
    from cyberaudit.probes.net import parse_nameserver

    ns, port = parse_nameserver(lab["nameserver"])
    net = Net(nameserver=ns, port=port, ca_bundle=lab["bundle"], timeout=TIMEOUT, deadline=60)
    target = Target("ville.lab", "domain", frozenset({"tls"}))
    for probe, judge in ((tls, tls_judge), (web, web_judge)):
        saved = json.loads(json.dumps(asyncio.run(probe.observe(target, net))))  # plain data only: no default=
        again = {(f.target, f.id): f.status.value for f in judge.judge(saved)}
        assert again, probe.__name__
        live = {k: f.status.value for k, f in lab["findings"].items() if k in again}
        assert again == live
