"""Record the demo's observations from a real probe run against the loopback lab.

    sudo python tools/record_demo.py            # as root (nginx on 443, knot on 53), from the repo root
    python tools/record_demo.py --check         # run again and say whether the saved file would change

Builds the fictional commune's zones in a real knot (the `example.` zone signed, so the DNSSEC walk
has an anchor; `val-d-exemple.example` delegated without DS), its web sites in a real nginx with
certificates of a lab CA (the town-hall site: a sound certificate, HSTS, but no CSP nor Referrer-Policy
and a cookie without SameSite; the family portal: still TLS 1.0/1.1 and CBC suites, a certificate
three weeks from expiry on the demo date; the webmail: a Roundcube login page, with RDP open beside
it), the MTA-STS policy, an SMTP server with STARTTLS for the MX, then runs the real scan pipeline
(every family: dns, mail, tls, web, ports, mfa) on the targets of
`cyberaudit/data/demo/organisation.yaml` and saves what the probes observed to
`cyberaudit/data/demo/observations.jsonl`. The lab CA's root is given to the probes as `--ca-bundle`
gives it, so certificates are trusted as a real commune's public CA would be (the recording says so
in its header options: `ca_bundle: "lab CA (fictive)"`). Two edits only, so the demo reads like a real
commune: every loopback address becomes a documentation address (RFC 5737) and every `observed_at`
becomes the demo's scan date; the certificates' validity periods are fixed around that date (checked
at recording), so the expiry verdicts read as of 2026-11-20. The demo judges these observations at run
time, so its verdicts are today's judges' verdicts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import tempfile
from pathlib import Path

from cryptography import x509

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cyberaudit.disk import observations  # noqa: E402
from cyberaudit.disk.fileio import atomic_write, load_yaml, validate  # noqa: E402
from cyberaudit.model import Organisation  # noqa: E402
from cyberaudit.probes import pipeline, scope  # noqa: E402
from cyberaudit.probes.net import Net  # noqa: E402
from tests.lab.conftest import free_dns_address  # noqa: E402
from tests.lab.knot import KnotLab  # noqa: E402
from tests.lab.nginx import NginxLab  # noqa: E402
from tests.lab.pki import TestCA  # noqa: E402
from tests.lab.smtp_server import SmtpServer  # noqa: E402
from tests.lab.test_mail_keys_sts import _dkim  # noqa: E402
from tests.lab.test_ports_listeners import Listeners  # noqa: E402
from tests.lab.util import lab_address  # noqa: E402

DEMO = ROOT / "cyberaudit" / "data" / "demo"
OUT = DEMO / "observations.jsonl"
SCAN_DATE = "2026-11-20T09:30:00Z"
FAMILIES = ["dns", "mail", "tls", "web", "ports", "mfa"]
PORTALS = ROOT / "tests" / "lab" / "portals"
POLICY = "version: STSv1\nmode: testing\nmx: mx.sid.example\nmax_age: 86400\n"


def zones(lab: KnotLab, a: dict[str, str]) -> None:
    lab.add_zone("example.", f"""
        val-d-exemple NS ns1.registrar.example.
        val-d-exemple NS ns2.registrar.example.
        ns1.registrar A {a['ns1']}
        ns1.registrar AAAA 2001:db8:53::1
        ns2.registrar A {a['ns2']}
        ns2.registrar AAAA 2001:db8:153::1
        mx.sid A {a['mx']}
        portail-famille.sid A {a['famille']}
        _spf.sid TXT "v=spf1 ip4:{a['mx']} -all"
    """, signed=True)
    lab.add_zone("val-d-exemple.example.", f"""
        @ SOA ns1.registrar.example. hostmaster 2026111901 3600 900 1209600 300
        @ NS ns1.registrar.example.
        @ NS ns2.registrar.example.
        @ A {a['web']}
        www A {a['web']}
        famille CNAME portail-famille.sid.example.
        webmail A {a['webmail']}
        mta-sts A {a['sts']}
        @ MX 10 mx.sid.example.
        @ TXT "v=spf1 include:_spf.sid.example ~all"
        _dmarc TXT "v=DMARC1; p=none"
        _mta-sts TXT "v=STSv1; id=20261001"
        default._domainkey TXT {_dkim(2048)}
    """)


def _day(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


# Certificates: (names, key, not_before, not_after), fixed around the demo date (2026-11-20).
CERTS = {
    "web": (["val-d-exemple.example", "www.val-d-exemple.example"], "ec", "2026-10-15", "2027-01-13"),
    "famille": (["famille.val-d-exemple.example", "portail-famille.sid.example"], "rsa", "2025-12-12", "2026-12-12"),
    "webmail": (["webmail.val-d-exemple.example"], "ec", "2026-06-01", "2027-06-01"),
    "sts": (["mta-sts.val-d-exemple.example"], "ec", "2026-10-15", "2027-01-13"),
    "mx": (["mx.sid.example"], "rsa", "2026-09-01", "2027-09-01"),
}
WEB_HEADERS = {"Strict-Transport-Security": "max-age=31536000", "X-Content-Type-Options": "nosniff",
               "X-Frame-Options": "SAMEORIGIN", "Set-Cookie": "PHPSESSID=d3m0; Path=/; Secure; HttpOnly"}
WEBMAIL_HEADERS = {"Strict-Transport-Security": "max-age=31536000", "X-Content-Type-Options": "nosniff",
                   "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin",
                   "Content-Security-Policy": "default-src 'self'"}
AEAD = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305"


def _leaves(ca: TestCA, work: Path) -> dict:
    out = {}
    for role, (names, key, start, end) in CERTS.items():
        valid = (_day(start), _day(end))
        if not valid[0] < _day(SCAN_DATE[:10]) < valid[1]:
            raise SystemExit(f"the {role} certificate is not valid on the demo date")
        out[role] = ca.issue(names, key=key, valid=valid).write(work / role)
    return out


def _sites(web: NginxLab, a: dict[str, str], leaf: dict) -> None:
    web.add_vhost(CERTS["web"][0], a["web"], cert=leaf["web"].fullchain, key=leaf["web"].key, headers=WEB_HEADERS, ciphers=AEAD,
                  root_files={"index.html": "<!doctype html><title>Mairie de Val-d'Exemple</title><h1>Bienvenue</h1>\n"})
    web.add_vhost(CERTS["famille"][0], a["famille"], cert=leaf["famille"].fullchain, key=leaf["famille"].key,
                  protocols="TLSv1 TLSv1.1 TLSv1.2", ciphers="ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA:@SECLEVEL=0",
                  root_files={"index.html": "<!doctype html><title>Portail famille</title><h1>Portail famille</h1>\n"})
    web.add_vhost(CERTS["webmail"][0], a["webmail"], cert=leaf["webmail"].fullchain, key=leaf["webmail"].key,
                  headers=WEBMAIL_HEADERS, ciphers=AEAD,
                  root_files={"index.html": (PORTALS / "roundcube" / "index.html").read_bytes()})
    web.add_vhost(CERTS["sts"][0], a["sts"], cert=leaf["sts"].fullchain, key=leaf["sts"].key,
                  root_files={".well-known/mta-sts.txt": POLICY})


def record(work: Path) -> bytes:
    ns1 = free_dns_address()
    a = {"ns1": ns1, "ns2": ns1.replace("127.53.", "127.153."), "web": lab_address("tls"), "mx": lab_address("smtp"),
         "sts": lab_address("tls"), "famille": lab_address("tls"), "webmail": lab_address("ports")}
    shown = {a["ns1"]: "192.0.2.53", a["ns2"]: "198.51.100.53", a["web"]: "192.0.2.80", a["mx"]: "192.0.2.25",
             a["sts"]: "192.0.2.43", a["famille"]: "192.0.2.81", a["webmail"]: "203.0.113.10"}
    ca = TestCA("Demo CA (fictive)")
    leaf = _leaves(ca, work / "pki")
    bundle = ca.write_bundle(work / "ca.pem")
    lab = KnotLab(work / "knot", a["ns1"], extra_addresses=(a["ns2"],))
    web = NginxLab(work / "nginx")
    _sites(web, a, leaf)
    zones(lab, a)
    org = validate(Organisation, load_yaml(DEMO / "organisation.yaml"), "organisation.yaml")
    targets, fams = scope.targets_from_organisation(org, FAMILIES)
    log = observations.ObservationLog()
    smtp = SmtpServer(a["mx"], cert=leaf["mx"].fullchain, key=leaf["mx"].key, hostname="mx.sid.example")
    try:
        lab.start()
        web.start()
        smtp.start()
        with Listeners(a["webmail"]) as ls:
            ls.open(3389)
            net = Net(nameserver=a["ns1"], port=53, timeout=2.0, ca_bundle=bundle,
                      options={"trust_anchor": lab.trust_anchor(), "ports": "curated", "syn": False})
            result = pipeline.scan(targets, fams, net, observations=log.add)
        data = b"".join(_shown(chunk, shown, str(work)) for chunk in log.chunks(result))
        _check_dates(data)
        return data
    finally:
        log.close()
        smtp.stop()
        web.stop()
        lab.stop()


def _check_dates(data: bytes) -> None:
    """Every recorded certificate (leaves, intermediate, root) is valid on the demo date."""
    when = dt.datetime.fromisoformat(SCAN_DATE)
    for pem in re.findall(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", data.replace(b"\\n", b"\n"),
                          re.S):
        cert = x509.load_pem_x509_certificate(pem)
        if not cert.not_valid_before_utc <= when <= cert.not_valid_after_utc:
            raise SystemExit(f"certificate {cert.subject.rfc4514_string()} is not valid on {SCAN_DATE}")


def _shown(chunk: bytes, addresses: dict[str, str], work: str) -> bytes:
    """A line with documentation addresses for the lab's, and the demo's scan date for every timestamp."""
    data = json.loads(chunk)
    if "schema" in data:
        data.update(started_at=SCAN_DATE, options={"nameserver": None, "ca_bundle": "lab CA (fictive)"})
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    if work in text:
        raise SystemExit(f"a lab path was left in the recording: {text[:200]}")
    for lab_ip, doc_ip in addresses.items():
        text = re.sub(rf"(?<![\d.]){re.escape(lab_ip)}(?![\d])", doc_ip, text)
    if re.search(r"(?<![\d.])127\.\d+\.\d+\.\d+", text):
        raise SystemExit(f"a lab address was left in the recording: {text[:200]}")
    text = re.sub(r'"observed_at": "[^"]+"', f'"observed_at": "{SCAN_DATE}"', text)
    return observations.line(json.loads(text))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="say whether the saved recording would change")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cyberaudit-demo-lab-") as tmp:
        data = record(Path(tmp))
    if args.check:
        same = OUT.exists() and _comparable(OUT.read_bytes()) == _comparable(data)
        print("unchanged" if same else "the recording would change")
        return 0 if same else 1
    atomic_write(OUT, data)
    lines = data.count(b"\n") - 1
    print(f"wrote {OUT.relative_to(ROOT)} ({len(data)} bytes, {lines} targets)")
    return 0


def _comparable(data: bytes) -> bytes:
    """The recording without what changes at every run (the DKIM key and the lab certificates are drawn
    afresh: their PEM text, fingerprints and serial numbers)."""
    data = re.sub(rb'"p=[A-Za-z0-9+/=]+', b'"p=', data)
    data = re.sub(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", b"PEM", data)
    return re.sub(rb"\b[0-9a-fA-F]{32,64}\b", b"HEX", data)


if __name__ == "__main__":
    raise SystemExit(main())
