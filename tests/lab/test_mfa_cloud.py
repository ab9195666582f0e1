"""Cloud suites inferred from a real knot's answers, and a webmail reached by name (SNI, Host)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from cyberaudit.model import Status
from cyberaudit.probes import Target
from cyberaudit.probes.net import Net
from cyberaudit.probes.pipeline import probe as run_probe

from .nginx import NginxLab
from .pki import TestCA
from .util import lab_address

pytestmark = pytest.mark.lab
AUTH = "Mme Garnier (présidente), 2026-11-21"
ROUNDCUBE = (Path(__file__).parent / "portals" / "roundcube" / "index.html").read_text()


def scan(domain: str, nameserver: str, web_names=()) -> dict:
    ns, port = nameserver.rsplit(":", 1)
    target = Target(name=domain, kind="domain", scope=frozenset({"mfa"}), authorization=AUTH,
                    web_names=tuple(web_names))
    net = Net(nameserver=ns, port=int(port), timeout=2.0, retries=0)
    return {f.id: f for f in asyncio.run(run_probe("mfa", target, net))}


@pytest.fixture
def zones(knot_lab):
    lab = knot_lab()
    lab.add_zone("ville.lab.", """
        @            MX 10 ville-lab.mail.protection.outlook.com.
        @            TXT "MS=ms48151623"
        @            TXT "v=spf1 include:spf.protection.outlook.com -all"
        autodiscover CNAME autodiscover.outlook.com.
    """)
    lab.add_zone("bourg.lab.", """
        @  MX 1 smtp.google.com.
        @  TXT "google-site-verification=abcdefghijklmnop"
    """)
    lab.add_zone("hameau.lab.", """
        @    MX 10 mail
        mail A 192.0.2.25
        @    TXT "google-site-verification=qrstuvwxyz"
    """)
    return lab


def test_microsoft_365_from_mx_autodiscover_and_txt(zones):
    zones.start()
    fs = scan("ville.lab", zones.nameserver)
    f = fs["mfa.surface.cloud_suite"]
    assert f.status is Status.WARN and f.evidence["product"] == "Microsoft 365"
    assert f.evidence["suites"][0]["signals"] == ["mx", "autodiscover", "txt"]
    assert f.evidence["url"] == "https://login.microsoftonline.com/" and f.evidence["authorization"] == AUTH


def test_google_workspace_from_mx(zones):
    zones.start()
    f = scan("bourg.lab", zones.nameserver)["mfa.surface.cloud_suite"]
    assert f.evidence["product"] == "Google Workspace" and f.evidence["suites"][0]["signals"] == ["mx", "txt"]


def test_site_verification_alone_is_no_suite(zones):
    zones.start()
    fs = scan("hameau.lab", zones.nameserver)
    assert "mfa.surface.cloud_suite" not in fs
    assert fs["mfa.surface.none"].status is Status.PASS


def test_webmail_on_a_declared_name_is_reached_by_name(zones, tmp_path):
    address = lab_address("mfa")
    cert = TestCA().issue(["webmail.ville.lab"]).write(tmp_path / "cert")
    nginx = NginxLab(tmp_path / "nginx")
    nginx.add_vhost("default.lab", address, cert=cert.fullchain, key=cert.key, http=False)  # default server
    nginx.add_vhost("webmail.ville.lab", address, cert=cert.fullchain, key=cert.key, http=False,
                    root_files={"index.html": ROUNDCUBE})
    zones.add_zone("ville.lab.", f"""
        @            MX 10 ville-lab.mail.protection.outlook.com.
        webmail      A {address}
    """)
    zones.start()
    nginx.start()
    try:
        fs = scan("ville.lab", zones.nameserver, web_names=["webmail.ville.lab"])
    finally:
        nginx.stop()
    f = fs["mfa.surface.webmail"]
    assert f.evidence["url"] == "https://webmail.ville.lab/" and f.evidence["host"] == "webmail.ville.lab"
    assert f.evidence["surfaces"][0]["address"] == address
    assert "anssi-pa-066:R40" in f.references
    assert fs["mfa.surface.cloud_suite"].evidence["suites"][0]["signals"] == ["mx"]


def test_unreachable_dns_is_an_error_not_a_pass():
    dead = lab_address("mfa")  # nothing listens there: queries are refused
    fs = scan("ville.lab", f"{dead}:53")
    assert all(f.status is Status.ERROR for f in fs.values())
