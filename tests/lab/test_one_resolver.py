"""One DNS stack for every family: with --nameserver on an authoritative-only server (no recursion),
the TLS and web probes follow the referral to the child zone like the DNS and mail probes do, so
implicit names (the apex and www.) are tested, not silently skipped as "no address"."""

from __future__ import annotations

from cyberaudit.probes import Target, pipeline
from cyberaudit.probes.net import Net

from .conftest import free_dns_address
from .knot import KnotLab
from .nginx import NginxLab
from .pki import TestCA
from .util import lab_address


def test_tls_and_web_follow_referrals_to_the_delegated_zone(tmp_path):
    web = lab_address("tls")
    parent_ip, child_ip = free_dns_address(), free_dns_address()
    ca = TestCA("Referral")
    files = ca.issue(["commune.lab", "www.commune.lab"]).write(tmp_path / "cert")
    bundle = ca.write_bundle(tmp_path / "ca.pem")
    parent = KnotLab(tmp_path / "parent", parent_ip)
    parent.add_zone("lab.", f"commune.lab. NS ns.commune.lab.\nns.commune.lab. A {child_ip}\n")
    child = KnotLab(tmp_path / "child", child_ip)
    child.add_zone("commune.lab.", f"@ NS ns\nns A {child_ip}\n@ A {web}\nwww A {web}\n")
    nginx = NginxLab(tmp_path / "nginx")
    nginx.add_vhost(["commune.lab", "www.commune.lab"], web, cert=files.cert, key=files.key, chain=files.chain)
    with parent, child, nginx:
        # the parent only refers: it has no answer of its own for the child's names
        assert not parent.query("www.commune.lab.", "A").answer
        net = Net(nameserver=parent_ip, port=53, timeout=2.0, retries=1, ca_bundle=bundle)
        target = Target(name="commune.lab", kind="domain", scope=frozenset({"dns", "tls"}))
        result = pipeline.scan([target], ["tls", "web"], net)
    found = {(f.target, f.id): f for r in result.results for f in r.findings}
    for name in ("commune.lab", "www.commune.lab"):
        https = found.get((name, "tls.https.available"))
        assert https is not None, f"{name} skipped: {sorted(found)}"
        assert https.status.value == "pass", https
        assert found[(name, "tls.cert.trusted")].status.value == "pass"
    assert not [f for f in found.values() if f.status.value == "error"], \
        [(f.target, f.id, f.evidence) for f in found.values() if f.status.value == "error"]
