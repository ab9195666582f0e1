"""Lab fixtures: a real knot per test (see tests/lab/knot.py)."""

from __future__ import annotations

import pytest

from .knot import KnotLab
from .util import lab_address


def free_dns_address(area: str = "dns") -> str:
    """A fresh lab address of `area` whose port 53 is free right now (other sessions may share the loopback)."""
    import socket

    for _ in range(50):
        ip = lab_address(area)
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u, \
                    socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
                u.bind((ip, 53))
                t.bind((ip, 53))
        except OSError:
            continue
        return ip
    raise RuntimeError("no free lab DNS address")


@pytest.fixture
def knot_lab(tmp_path):
    """Factory: `lab = knot_lab()` (or `knot_lab(extra_addresses=(...))`) -> a KnotLab not yet started.

    Add zones, then `lab.start()`. Every lab made is stopped at teardown.
    """
    labs: list[KnotLab] = []

    def make(**kwargs) -> KnotLab:
        lab = KnotLab(tmp_path / f"knot{len(labs)}", free_dns_address(), **kwargs)
        labs.append(lab)
        return lab

    yield make
    for lab in labs:
        lab.stop()


@pytest.fixture
def blackhole():
    """Factory: `ip = blackhole()` -> a loopback address whose port 53 (UDP and TCP) never answers."""
    import socket

    socks: list[socket.socket] = []

    def make() -> str:
        ip = free_dns_address()
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind((ip, 53))  # bound but never read: queries vanish, no ICMP
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        tcp.bind((ip, 53))
        tcp.listen(64)  # connections complete but nothing is ever read or sent
        socks.extend([udp, tcp])
        return ip

    yield make
    for s in socks:
        s.close()


@pytest.fixture
def lab_scan():
    """`lab_scan(lab, "a.lab", "b.lab", families=("dns", "mail"), timeout=1.0, **net_options)`.

    Runs the real scan pipeline against the lab's knot; returns {target: {check id: Finding}}.
    The DNSSEC trust anchor is the lab's top signed zone when there is one.
    """
    from cyberaudit.probes import Target
    from cyberaudit.probes import pipeline as scanning
    from cyberaudit.probes.net import Net

    def run(lab, *domains, families=("dns", "mail"), timeout=1.0, retries=1, ca_bundle=None, **options):
        if "trust_anchor" not in options and any(z["signed"] for z in lab.zones.values()):
            options["trust_anchor"] = lab.trust_anchor()
        net = Net(nameserver=lab.address, port=53, timeout=timeout, retries=retries, ca_bundle=ca_bundle,
                  options=options)
        targets = [Target(name=d, kind="domain", scope=frozenset({"dns", "tls"})) for d in domains]
        result = scanning.scan(targets, list(families), net)
        return {r.target: {f.id: f for f in r.findings} for r in result.results}

    return run
