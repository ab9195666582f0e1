"""Mail errors stay local (real knot, a filtering DNS relay, a dripping HTTPS server, a dead name server):
a failed lookup turns only the findings that needed it into `error`, and every wait is bounded by --timeout."""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time

import pytest
import trustme

from .conftest import free_dns_address
from .dns_filter import DnsFilter

TXT_ZONE = ('@ MX 10 mx\nmx A 192.0.2.1\n@ TXT "v=spf1 ip4:192.0.2.1 -all"\n'
            '_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@{d}"\n_smtp._tls TXT "v=TLSRPTv1; rua=mailto:t@{d}"\n')


@pytest.fixture
def relay():
    relays: list[DnsFilter] = []

    def make(upstream: str, drop) -> DnsFilter:
        r = DnsFilter(free_dns_address("dns2"), upstream, drop).start()
        relays.append(r)
        return r

    yield make
    for r in relays:
        r.stop()


def _scan(nameserver: str, domain: str, families, timeout=1.0, retries=1, **options):
    from cyberaudit.probes import Target
    from cyberaudit.probes import pipeline as scanning
    from cyberaudit.probes.net import Net

    net = Net(nameserver=nameserver, port=53, timeout=timeout, retries=retries, options=options)
    start = time.monotonic()
    result = scanning.scan([Target(name=domain, kind="domain", scope=frozenset({"dns", "tls"}))], list(families), net)
    return {f.id: f for f in result.findings()}, time.monotonic() - start


def test_mx_timeout_keeps_spf_dmarc_dkim_and_tls_rpt(knot_lab, relay):
    lab = knot_lab()
    lab.add_zone("lab.", "")
    lab.add_zone("mxlent.lab.", TXT_ZONE.format(d="mxlent.lab"))
    lab.start()
    r = relay(lab.address, lambda name, rdtype: rdtype == "MX")
    found, _ = _scan(r.address, "mxlent.lab", ("mail",), timeout=0.5)
    assert ("mxlent.lab", "MX") in r.dropped
    assert found["mail.mx.present"].status.value == "error"
    assert found["mail.mx.present"].evidence["reason"] == "timeout"
    assert found["mail.mta_sts.policy"].status.value == "error"  # needs the MX list
    assert found["mail.spf.policy"].status.value == "pass"
    assert found["mail.spf.lookup_limit"].status.value == "pass"
    assert found["mail.dmarc.policy"].status.value == "pass"
    assert found["mail.dmarc.reporting"].status.value == "pass"
    assert found["mail.tls_rpt.present"].status.value == "pass"
    assert found["mail.dkim.present"].status.value != "error"


def test_nxdomain_is_conclusive_not_exit_3(knot_lab, run_cli):
    lab = knot_lab()
    lab.add_zone("lab.", "")
    lab.start()
    code, out, _ = run_cli("scan", "absent.lab", "--nameserver", lab.nameserver, "--checks", "mail",
                           "--timeout", "1", "--format", "json")
    assert code != 3
    found = {f["id"]: f for f in json.loads(out)["results"][0]["findings"]}
    assert found["mail.mx.present"]["status"] == "fail"
    assert found["mail.mx.present"]["evidence"]["rcode"] == "NXDOMAIN"
    assert found["mail.spf.policy"]["status"] == "info" and found["mail.spf.policy"]["evidence"]["spf"] == "none"


class DripServer:
    """HTTPS on port 443 that answers one byte every `pace` seconds (a slowloris in reverse)."""

    def __init__(self, address: str, ca: trustme.CA, host: str, pace: float = 0.9) -> None:
        self.address, self.pace = address, pace
        self.ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert(host).configure_cert(self.ctx)
        self._stop = threading.Event()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((address, 443))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn) -> None:
        body = b"HTTP/1.0 200 OK\r\n\r\nversion: STSv1\nmode: enforce\nmx: mx.lent.lab\nmax_age: 604800\n" * 50
        try:
            tls = self.ctx.wrap_socket(conn, server_side=True)
            tls.recv(4096)
            for i in range(len(body)):
                if self._stop.wait(self.pace):
                    break
                tls.sendall(body[i:i + 1])
        except OSError:
            pass
        finally:
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        self.sock.close()


def test_dripping_mta_sts_server_costs_a_few_timeouts_and_only_its_finding(knot_lab, tmp_path):
    ca = trustme.CA()
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    ip = free_dns_address()
    drip = DripServer(ip, ca, "mta-sts.lent.lab")
    try:
        lab = knot_lab()
        lab.add_zone("lab.", "")
        lab.add_zone("lent.lab.", TXT_ZONE.format(d="lent.lab") + f'mta-sts A {ip}\n_mta-sts TXT "v=STSv1; id=1"\n')
        lab.start()
        from cyberaudit.probes import Target
        from cyberaudit.probes import pipeline as scanning
        from cyberaudit.probes.net import Net

        net = Net(nameserver=lab.address, port=53, timeout=1.0, retries=1, ca_bundle=bundle)
        start = time.monotonic()
        result = scanning.scan([Target("lent.lab", "domain", frozenset({"dns"}))], ["mail"], net)
        elapsed = time.monotonic() - start
    finally:
        drip.stop()
    found = {f.id: f for f in result.findings()}
    print(f"dripping MTA-STS: {elapsed:.2f} s")
    assert elapsed < 8, elapsed  # was 121 s (the family deadline): now a small multiple of --timeout
    assert "mail.probe.error" not in found
    sts = found["mail.mta_sts.policy"]
    assert sts.status.value == "error" and "timed out" in sts.evidence["reason"]
    for kept in ("mail.mx.present", "mail.spf.policy", "mail.dmarc.policy", "mail.dmarc.reporting",
                 "mail.tls_rpt.present"):
        assert found[kept].status.value == "pass", (kept, found[kept].evidence)


def test_domain_delegated_to_a_dead_name_server_ends_within_about_5_timeouts(knot_lab, blackhole):
    dead = blackhole()
    lab = knot_lab()
    lab.add_zone("lab.", f"muet.lab. NS ns.muet.lab.\nns.muet.lab. A {dead}\n")
    lab.start()
    found, elapsed = _scan(lab.address, "muet.lab", ("dns", "mail", "tls"), timeout=1.0, retries=2)
    assert {f.status.value for f in found.values()} == {"error"}
    print(f"dead name server: {elapsed:.2f} s")
    assert elapsed < 6.5, elapsed  # about 5 x --timeout (one timeout per query, queries chained at most ~5 deep)
