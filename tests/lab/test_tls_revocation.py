"""Certificate revocation against a real `openssl ocsp` responder, a CRL served by nginx and an OCSP
response stapled by nginx, all on loopback; a responder that never answers is `error`, never "good"."""

from __future__ import annotations

import time

import pytest

from cyberaudit.probes import Target
from cyberaudit.probes.net import Net
from cyberaudit.probes.pipeline import scan

from .fixtures_tls import RawServer
from .knot import KnotLab
from .nginx import NginxLab
from .ocsp_responder import OcspResponder
from .pki import TestCA
from .util import free_port, lab_address

MODERN = "ECDHE+AESGCM:ECDHE+CHACHA20"
TIMEOUT = 1.5


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("revlab")
    ca = TestCA()
    bundle = ca.write_bundle(tmp / "ca.pem")
    responder = OcspResponder(tmp / "ocsp", ca, [])
    ocsp_url = responder.url_for("ocsp.lab")
    crl_url = "http://pki.lab/inter.crl"
    tarpit_addr = lab_address("tls")
    tarpit_port = free_port(tarpit_addr)
    leaves = {
        "good": ca.issue(["good.lab"], ocsp_url=ocsp_url),
        "revoked": ca.issue(["revoked.lab"], ocsp_url=ocsp_url),
        "crlrev": ca.issue(["crlrev.lab"], crl_url=crl_url),
        "crlgood": ca.issue(["crlgood.lab"], crl_url=crl_url),
        "stapled": ca.issue(["stapled.lab"], ocsp_url=f"http://tarpit.lab:{tarpit_port}/"),
        "dead": ca.issue(["dead.lab"], ocsp_url=f"http://tarpit.lab:{tarpit_port}/"),
        "none": ca.issue(["none.lab"]),
    }
    responder.entries = [(leaves["good"].cert, False), (leaves["revoked"].cert, True)]
    nginx = NginxLab(tmp / "nginx")
    pki_addr, ocsp_addr = lab_address("tls"), lab_address("tls")
    nginx.add_vhost("pki.lab", pki_addr, root_files={
        "inter.crl": ca.crl([leaves["revoked"].cert, leaves["crlrev"].cert, leaves["stapled"].cert])})
    zone = [f"pki A {pki_addr}", f"ocsp A {ocsp_addr}", f"tarpit A {tarpit_addr}"]
    staple = tmp / "staple.der"
    staple.write_bytes(ca.ocsp_response(leaves["stapled"].cert, revoked=True))
    for name, leaf in leaves.items():
        addr = lab_address("tls")
        files = leaf.write(tmp / name)
        extra = f"        ssl_stapling on;\n        ssl_stapling_file {staple};" if name == "stapled" else ""
        nginx.add_vhost(f"{name}.lab", addr, cert=files.fullchain, key=files.key, ciphers=MODERN, extra=extra)
        zone.append(f"{name} A {addr}")
    knot = KnotLab(tmp / "knot", lab_address("tls"))
    knot.add_zone("lab.", "\n".join(zone))
    tarpit = RawServer(tarpit_addr, (tarpit_port,), "tarpit")
    try:
        responder.start()
        tarpit.start()
        knot.start()
        nginx.start()
        net = Net(nameserver=knot.address, port=53, ca_bundle=bundle, timeout=TIMEOUT, deadline=60)
        start = time.monotonic()
        found = scan([Target(f"{n}.lab", "host", frozenset({"tls"})) for n in leaves], ["tls"], net).findings()
        elapsed = time.monotonic() - start
        no_bundle = Net(nameserver=knot.address, port=53, timeout=TIMEOUT, deadline=60)
        unanchored = scan([Target("revoked.lab", "host", frozenset({"tls"}))], ["tls"], no_bundle).findings()
        yield {"rev": {f.target: f for f in found if f.id == "tls.cert.revocation"}, "elapsed": elapsed,
               "unanchored": next(f for f in unanchored if f.id == "tls.cert.revocation")}
    finally:
        nginx.stop()
        knot.stop()
        tarpit.stop()
        responder.stop()


def test_ocsp_responder_good_and_revoked(lab):
    good, revoked = lab["rev"]["good.lab"], lab["rev"]["revoked.lab"]
    assert good.status.value == "pass" and good.evidence["source"] == "OCSP"
    assert "stapling is not enabled" in good.detail.en
    assert revoked.status.value == "fail" and revoked.evidence["source"] == "OCSP"
    assert revoked.evidence["reason"] == "key_compromise" and "revoked" in revoked.detail.en


def test_crl_fallback_when_there_is_no_ocsp_responder(lab):
    assert lab["rev"]["crlrev.lab"].status.value == "fail"
    assert lab["rev"]["crlrev.lab"].evidence["source"] == "CRL"
    assert lab["rev"]["crlgood.lab"].status.value == "pass" and lab["rev"]["crlgood.lab"].evidence["source"] == "CRL"


def test_stapled_response_is_read_first(lab):
    stapled = lab["rev"]["stapled.lab"]
    assert stapled.status.value == "fail" and stapled.evidence["source"] == "stapled OCSP"


def test_unreachable_responder_is_an_error_never_good_and_bounded(lab):
    dead = lab["rev"]["dead.lab"]
    assert dead.status.value == "error" and "timeout" in dead.evidence["reason"]
    assert lab["elapsed"] < 10 * TIMEOUT


def test_no_pointer_is_said_and_the_answer_does_not_depend_on_the_trust_store(lab):
    assert lab["rev"]["none.lab"].status.value == "info"
    # without --ca-bundle the responder's answer is still checked against the intermediate the server sent
    assert lab["unanchored"].status.value == "fail"
