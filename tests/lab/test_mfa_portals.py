"""`mfa` family against a real nginx serving the test login pages of tests/lab/portals/."""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from pathlib import Path

import pytest

from cyberaudit.checks.mfa import PORTALS
from cyberaudit.model import Status
from cyberaudit.probes import Target
from cyberaudit.probes.net import Net
from cyberaudit.probes.pipeline import probe as run_probe

from .nginx import NginxLab
from .pki import TestCA
from .test_ports_listeners import Listeners
from .util import lab_address

pytestmark = pytest.mark.lab
PAGES = Path(__file__).parent / "portals"
AUTH = "Mme Lenoir (DGS), 2026-11-18"
SIGNATURES = {p.id: p for p in PORTALS.portals}


def _products() -> dict[str, tuple[str, str, int]]:
    """Test page folder (= signature id) -> (kind, scheme, port it is served on).

    The endpoint is the signature's first one, or the one written in the folder's `.endpoint` file.
    Adding a product = one entry in data/mfa_portals.yaml + one folder here.
    """
    out = {}
    for folder in sorted(PAGES.iterdir()):
        if not folder.is_dir() or folder.name == "decoy":
            continue
        sig = SIGNATURES[folder.name]  # a folder must be named after a signature id
        marker = folder / ".endpoint"
        endpoint = marker.read_text().strip() if marker.exists() else sig.endpoints[0]
        assert endpoint in sig.endpoints, (folder.name, endpoint)
        scheme, port = endpoint.split(":")
        out[folder.name] = (sig.kind, scheme, int(port))
    return out


PRODUCTS = _products()
PRODUCT_NAME = {p.id: p.product for p in PORTALS.portals}


def files(folder: str) -> dict[str, bytes]:
    root = PAGES / folder
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file() and p.name != ".endpoint"}


def serve(lab: NginxLab, cert, folder_files: dict, scheme: str, port: int) -> str:
    address = lab_address("mfa")
    if scheme == "https":
        lab.add_vhost("portal.lab", address, cert=cert.fullchain, key=cert.key, https_port=port, http=False,
                      root_files=folder_files)
    else:
        lab.add_vhost("portal.lab", address, http_port=port, root_files=folder_files)
    return address


@pytest.fixture(scope="module")
def portals(tmp_path_factory):
    work = tmp_path_factory.mktemp("mfa-nginx")
    cert = TestCA().issue(["portal.lab"]).write(work / "cert")
    lab = NginxLab(work / "nginx")
    where = {name: serve(lab, cert, files(name), scheme, port) for name, (_, scheme, port) in PRODUCTS.items()}
    where["decoy"] = serve(lab, cert, files("decoy"), "https", 443)
    big = b"<!doctype html><title>x</title>" + b"<!-- padding -->" * (5 * 1024 * 1024 // 16)
    where["big_late"] = serve(lab, cert, {"index.html": big + files("roundcube")["index.html"]}, "https", 443)
    where["big_early"] = serve(lab, cert, {"index.html": files("roundcube")["index.html"] + big}, "https", 443)
    lab.start()
    yield where
    lab.stop()


def scan(address: str, timeout: float = 2.0) -> dict:
    target = Target(name=address, kind="host", scope=frozenset({"mfa"}), authorization=AUTH)
    return {f.id: f for f in asyncio.run(run_probe("mfa", target, Net(timeout=timeout)))}


def test_at_least_four_products_of_every_web_kind_have_a_test_page():
    assert len(PRODUCTS) >= 4
    assert {kind for kind, _, _ in PRODUCTS.values()} == {"vpn", "webmail", "remote_desktop", "admin"}


@pytest.mark.parametrize("product", sorted(PRODUCTS))
def test_each_test_page_is_recognised_and_nothing_else(portals, product):
    kind, scheme, port = PRODUCTS[product]
    fs = scan(portals[product])
    surfaces = {i for i, f in fs.items() if f.status in (Status.WARN, Status.FAIL)}
    assert surfaces == {f"mfa.surface.{kind}"}
    f = fs[f"mfa.surface.{kind}"]
    assert f.status is Status.WARN  # a web surface asks for confirmation, never fails by itself
    assert f.evidence["product"] == PRODUCT_NAME[product]
    assert f.evidence["host"] == portals[product]
    assert f.evidence["url"].startswith(f"{scheme}://{portals[product]}")
    assert (f":{port}" in f.evidence["url"]) == (port not in (80, 443))
    assert f.evidence["authorization"] == AUTH
    assert [s["id"] for s in f.evidence["surfaces"]] == [product]


def test_a_site_that_only_names_products_is_not_a_login_page(portals):
    fs = scan(portals["decoy"])
    assert list(fs) == ["mfa.surface.none"] and fs["mfa.surface.none"].status is Status.PASS
    assert f"{portals['decoy']}:443" in fs["mfa.surface.none"].evidence["endpoints_open"]


def test_five_megabyte_page_is_read_bounded(portals):
    t0 = time.monotonic()
    late = scan(portals["big_late"])
    early = scan(portals["big_early"])
    assert time.monotonic() - t0 < 20
    assert "mfa.surface.webmail" not in late  # markers beyond the 256 KiB read are never seen
    assert early["mfa.surface.webmail"].evidence["product"] == "Roundcube"


def test_login_port_that_drops_packets_is_bounded():
    with Listeners(lab_address("mfa")) as ls:
        for port in (443, 80, 10443):
            ls.blackhole(port)
        t0 = time.monotonic()
        fs = scan(ls.address, timeout=1.0)
        assert time.monotonic() - t0 < 10
    assert fs["mfa.surface.none"].status is Status.PASS  # filtered ports: nothing open, nothing to read


def test_open_rdp_port_is_a_failure():
    with Listeners(lab_address("mfa")) as ls:
        ls.open(3389)
        fs = scan(ls.address)
    f = fs["mfa.surface.remote_desktop"]
    assert f.status is Status.FAIL and f.severity.value == "critical"
    assert f.evidence["product"] == "RDP (3389/tcp)" and f.evidence["url"] == f"rdp://{ls.address}:3389"
    assert "anssi-hygiene:32" in f.references and "recyf:8.3" in f.references


def test_login_page_served_over_tls_1_0_only_is_still_read(tmp_path):
    """A Roundcube behind an old TLS 1.0-only server: the page is read and the webmail found."""
    cert = TestCA().issue(["portal.lab"]).write(tmp_path / "cert")
    lab = NginxLab(tmp_path / "nginx")
    address = lab_address("mfa")
    lab.add_vhost("portal.lab", address, cert=cert.fullchain, key=cert.key, http=False, protocols="TLSv1",
                  ciphers="ALL:@SECLEVEL=0", root_files=files("roundcube"))
    with lab:
        modern = ssl.create_default_context()
        modern.check_hostname, modern.verify_mode = False, ssl.CERT_NONE
        modern.minimum_version = ssl.TLSVersion.TLSv1_2
        with socket.create_connection((address, 443), timeout=3) as raw, pytest.raises(ssl.SSLError):
            modern.wrap_socket(raw, server_hostname="portal.lab")  # the server really is TLS 1.0 only
        fs = scan(address)
    assert "mfa.surface.none" not in fs, fs["mfa.surface.none"].evidence
    f = fs["mfa.surface.webmail"]
    assert f.status is Status.WARN and f.evidence["product"] == "Roundcube"


def test_open_login_port_whose_page_cannot_be_read_is_an_error_never_a_pass():
    """Port 443 accepts the connection but speaks no TLS/HTTP: a login page may be there, unread."""
    with Listeners(lab_address("mfa")) as ls:
        ls.open(443, banner=b"SSH-2.0-not-a-web-server\r\n")
        fs = scan(ls.address, timeout=1.0)
    f = fs["mfa.surface.none"]
    assert f.status is Status.ERROR, f.evidence
    assert f.evidence["reason"] == "unreadable pages"
    assert any(e["url"].startswith(f"https://{ls.address}") for e in f.evidence["unreadable"])
