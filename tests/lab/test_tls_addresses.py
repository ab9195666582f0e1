"""Every address of a name, certificates without SAN or with a reversed chain, and a failed MTA-STS/DANE
lookup, against real nginx, knot and SMTP servers on loopback (one lab, two scans)."""

from __future__ import annotations

import ssl
import warnings

import pytest

from cyberaudit.probes import Target
from cyberaudit.probes.net import Net
from cyberaudit.probes.pipeline import scan

from .dns_filter import DnsFilter
from .knot import KnotLab
from .nginx import NginxLab
from .pki import TestCA, _pem, self_signed
from .smtp_server import SmtpServer
from .util import lab_address

MODERN = "ECDHE+AESGCM:ECDHE+CHACHA20"


def _legacy_smtp(srv: SmtpServer) -> SmtpServer:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        srv.ctx.minimum_version = ssl.TLSVersion.TLSv1
    srv.ctx.set_ciphers("ALL:@SECLEVEL=0")
    return srv


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("addrlab")
    ca = TestCA()
    bundle = ca.write_bundle(tmp / "ca.pem")
    nginx = NginxLab(tmp / "nginx")
    zone: list[str] = []
    servers: list = []
    good, old = lab_address("tls"), lab_address("tls")
    files = ca.issue(["double.lab"], key="rsa").write(tmp / "double")
    nginx.add_vhost("double.lab", good, cert=files.fullchain, key=files.key, ciphers=MODERN)
    nginx.add_vhost("double.lab", old, cert=files.fullchain, key=files.key, protocols="TLSv1 TLSv1.2",
                    ciphers=MODERN + ":AES128-SHA:@SECLEVEL=0")
    zone += [f"double A {good}", f"double A {old}"]
    nosan = lab_address("tls")
    files = ca.issue([], subject_cn="nosan.lab").write(tmp / "nosan")
    nginx.add_vhost("nosan.lab", nosan, cert=files.fullchain, key=files.key, ciphers=MODERN)
    zone.append(f"nosan A {nosan}")
    reverse = lab_address("tls")
    leaf = ca.issue(["reverse.lab"])
    files = leaf.write(tmp / "reverse")
    files.cert.write_bytes(_pem(leaf.cert) + _pem(ca.root) + _pem(ca.intermediate))  # leaf, root, intermediate
    nginx.add_vhost("reverse.lab", reverse, cert=files.cert, key=files.key, ciphers=MODERN)
    zone.append(f"reverse A {reverse}")
    mx_good, mx_old = lab_address("smtp"), lab_address("smtp")
    files = ca.issue(["mx.courrier.lab"]).write(tmp / "mx")
    servers.append(SmtpServer(mx_good, cert=files.fullchain, key=files.key).start())
    servers.append(_legacy_smtp(SmtpServer(mx_old, cert=files.fullchain, key=files.key)).start())
    zone += ["courrier MX 10 mx.courrier.lab.", f"mx.courrier A {mx_good}", f"mx.courrier A {mx_old}"]
    mx_self = lab_address("smtp")
    files = self_signed(["mx.faille.lab"]).write(tmp / "faille")
    servers.append(SmtpServer(mx_self, cert=files.fullchain, key=files.key).start())
    zone += ["faille MX 10 mx.faille.lab.", f"mx.faille A {mx_self}", '_mta-sts.faille TXT "v=STSv1; id=1"']
    knot = KnotLab(tmp / "knot", lab_address("tls"))
    knot.add_zone("lab.", "\n".join(zone))
    relay = None
    try:
        knot.start()
        nginx.start()
        net = Net(nameserver=knot.address, port=53, ca_bundle=bundle, timeout=1.5, deadline=60)
        targets = [Target(n, "host", frozenset({"tls"})) for n in ("double.lab", "nosan.lab", "reverse.lab")]
        targets += [Target(d, "domain", frozenset({"tls"})) for d in ("courrier.lab", "faille.lab")]
        result = scan(targets, ["tls"], net)
        found = {(f.target, f.id): f for f in result.findings()}
        relay = DnsFilter(lab_address("dns2"), knot.address,
                          drop=lambda name, rdtype: name.startswith(("_mta-sts.", "_25._tcp."))).start()
        lost = Net(nameserver=relay.address, port=53, ca_bundle=bundle, timeout=1.0, deadline=60)
        lost_found = {(f.target, f.id): f for f in scan([Target("faille.lab", "domain", frozenset({"tls"}))],
                                                          ["tls"], lost).findings()}
        yield {"found": found, "lost": lost_found, "good": good, "old": old, "mx_good": mx_good, "mx_old": mx_old,
               "relay": relay}
    finally:
        if relay is not None:
            relay.stop()
        nginx.stop()
        knot.stop()
        for s in servers:
            s.stop()


def test_every_address_is_tested_and_the_weak_node_is_named(lab):
    legacy = lab["found"][("double.lab", "tls.protocol.legacy")]
    assert legacy.status.value == "fail"
    assert legacy.evidence["address"] == lab["old"]
    assert legacy.evidence["addresses"] == {lab["good"]: "pass", lab["old"]: "fail"}
    assert lab["old"] in legacy.detail.fr and "TLSv1.0" in legacy.evidence["accepted"]
    weak = lab["found"][("double.lab", "tls.cipher.weak")]
    assert weak.evidence["address"] == lab["old"] and weak.status.value == "fail"  # AES128-SHA: RSA key exchange
    modern = lab["found"][("double.lab", "tls.protocol.modern")]
    assert set(modern.evidence["addresses"]) == {lab["good"], lab["old"]}


def test_each_mx_address_reports_its_versions_and_weak_classes(lab):
    f = lab["found"][("mx.courrier.lab", "mail.starttls.supported")]
    assert f.status.value == "warn" and f.evidence["address"] == lab["mx_old"]
    assert f.evidence["addresses"] == {lab["mx_good"]: "pass", lab["mx_old"]: "warn"}
    assert f.evidence["protocols"]["TLSv1.0"] == "accepted"
    assert "anonymous" in f.evidence["weak"] and "TLSv1.0" in f.detail.en and "anonymous" in f.detail.en
    assert f.evidence["kex"]["tls13"]["group"] == "x25519"  # the key-exchange group of the node, reported


def test_no_san_certificate_is_trusted_but_fails_the_name_check_with_its_own_reason(lab):
    trust = lab["found"][("nosan.lab", "tls.cert.trusted")]
    assert trust.status.value == "pass", trust.evidence
    name = lab["found"][("nosan.lab", "tls.cert.hostname")]
    assert name.status.value == "fail" and name.evidence["no_san"] is True
    assert "subjectAltName" in name.detail.en and "CN=nosan.lab" in name.detail.en


def test_reversed_chain_gets_the_order_reason(lab):
    trust = lab["found"][("reverse.lab", "tls.cert.trusted")]
    assert trust.evidence["order"] == "reversed"
    assert trust.status.value == "warn" and "reverse order" in trust.detail.en and "R34" in trust.detail.en


def test_a_failed_mta_sts_lookup_never_softens_a_certificate_verdict(lab):
    assert lab["found"][("mx.faille.lab", "mail.starttls.supported")].status.value == "fail"  # MTA-STS published
    assert any(name.startswith("_mta-sts.") for name, _ in lab["relay"].dropped)
    lost = lab["lost"][("mx.faille.lab", "mail.starttls.supported")]
    assert lost.evidence["binding"]["mta_sts"] is None
    assert lost.status.value == "fail" and "lookup failed" in lost.detail.en
