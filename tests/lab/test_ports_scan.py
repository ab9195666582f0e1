"""`ports` family against real loopback listeners: real nmap, and the built-in connect scanner."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from cyberaudit.model import Status
from cyberaudit.probes import Target
from cyberaudit.probes.net import Net
from cyberaudit.probes.pipeline import probe as run_probe
from cyberaudit.probes.portscan import nmap_engine

from .test_ports_listeners import Listeners
from .util import lab_address, require_binary

pytestmark = pytest.mark.lab
AUTH = "Mme Martin (DGS), 2026-11-20"
HOSTILE_BANNER = b"\x1b]0;owned\x07\x1b[31m220 FTP\x00 ready\x1b[0m " + b"A" * 2000 + b"\r\n"
ROOT = os.geteuid() == 0


def judge_at(target, obs):
    """The ports judge on an observation of `target`."""
    from cyberaudit.checks.ports import judge

    return judge({**obs, "target": target})


def target(address: str) -> Target:
    return Target(name=address, kind="host", scope=frozenset({"ports"}), authorization=AUTH)


def run(address: str, **options) -> dict:
    net = Net(timeout=options.pop("timeout", 1.0), deadline=options.pop("deadline", 60.0), options=options)
    return {f.id: f for f in asyncio.run(run_probe("ports", target(address), net))}


@pytest.fixture
def risky_host():
    ls = Listeners(lab_address("ports"))
    ls.open(3389)
    ls.open(6379)
    ls.open(5900)
    ls.open(2375)
    if ROOT:  # privileged ports
        ls.open(445)
        ls.open(21, banner=HOSTILE_BANNER)
    yield ls
    ls.close()


def expected(ls: Listeners) -> set[str]:
    services = {3389: "rdp", 6379: "redis", 5900: "vnc", 2375: "docker", 445: "smb", 21: "ftp"}
    return {f"ports.{services[p]}.exposed" for p in ls.ports}


@pytest.mark.parametrize("engine", ["nmap", "connect"])
def test_engines_find_exactly_the_open_risky_ports(risky_host, engine):
    if engine == "nmap":
        require_binary("nmap", package="nmap")
    fs = run(risky_host.address, engine=engine)
    exposed = {i for i, f in fs.items() if i.endswith(".exposed")}
    assert exposed == expected(risky_host)
    for fid in exposed:
        f = fs[fid]
        assert f.status is Status.FAIL and f.evidence["engine"] == engine
        assert f.evidence["address"] == risky_host.address and f.evidence["protocol"] == "tcp"
        assert f.evidence["authorization"] == AUTH
    assert fs["ports.rdp.exposed"].severity.value == "critical"
    assert fs["ports.risky.none"].status is Status.INFO
    # closed ports were seen as closed, not silently skipped
    assert fs["ports.risky.none"].evidence["closed"] >= 20


@pytest.mark.skipif(not ROOT, reason="port 21 needs root")
def test_banner_with_escape_sequences_is_stripped_and_bounded(risky_host):
    fs = run(risky_host.address, engine="connect")
    banner = fs["ports.ftp.exposed"].evidence["banner"]
    assert banner.startswith("220 FTP ready")
    assert "\x1b" not in banner and "\x07" not in banner and "\x00" not in banner
    assert "owned" not in banner  # the terminal-title payload is dropped with its sequence
    assert len(banner) <= 160


def test_nothing_open_passes():
    require_binary("nmap", package="nmap")
    with Listeners(lab_address("ports")) as ls:
        fs = run(ls.address, engine="nmap")
    assert list(fs) == ["ports.risky.none"]
    assert fs["ports.risky.none"].status is Status.PASS and fs["ports.risky.none"].evidence["engine"] == "nmap"


@pytest.mark.parametrize("engine", ["nmap", "connect"])
def test_host_that_drops_every_packet_is_bounded(engine):
    """Every curated TCP port silently drops SYNs: the scan ends quickly and reports nothing open."""
    if engine == "nmap":
        require_binary("nmap", package="nmap")
    from cyberaudit.checks.ports import port_plan

    with Listeners(lab_address("ports")) as ls:
        for port in port_plan()["tcp"]:
            if port >= 1024 or ROOT:
                ls.blackhole(port)
        t0 = time.monotonic()
        fs = run(ls.address, engine=engine, timeout=1.0)
        elapsed = time.monotonic() - t0
    assert elapsed < 20
    none = fs["ports.risky.none"]
    assert none.status is Status.PASS and none.evidence["filtered"] >= 20
    assert not [i for i in fs if i.endswith(".exposed")]


def test_nmap_host_timeout_gives_error_not_pass():
    require_binary("nmap", package="nmap")
    with Listeners(lab_address("ports")) as ls:
        for port in (3389, 5900, 6379, 2375):
            ls.blackhole(port)
        t0 = time.monotonic()
        result = asyncio.run(nmap_engine.scan([ls.address], [3389, 5900, 6379, 2375], [], host_timeout=0.2,
                                              timeout=10))
        assert time.monotonic() - t0 < 8
    assert result["hosts"][ls.address]["timed_out"]
    (f,) = judge_at(ls.address, {"engine": "nmap", "addresses": [ls.address], **result})
    assert f.status is Status.ERROR


def test_top100_reports_other_open_ports():
    require_binary("nmap", package="nmap")
    with Listeners(lab_address("ports")) as ls:
        ls.open(8080)
        ls.open(3389)
        curated = run(ls.address, engine="nmap")
        top = run(ls.address, engine="nmap", ports="top100")
    assert "ports.other.open" not in curated
    other = top["ports.other.open"]
    assert other.status is Status.INFO and [o["port"] for o in other.evidence["open"]] == [8080]
    assert top["ports.rdp.exposed"].evidence["mode"] == "top100"


def test_without_nmap_the_connect_engine_runs_and_says_so(risky_host, monkeypatch):
    monkeypatch.setattr(nmap_engine, "nmap_path", lambda: None)
    fs = run(risky_host.address)
    assert fs["ports.rdp.exposed"].evidence["engine"] == "connect"
    assert fs["ports.risky.none"].evidence["not_tested"] == ["udp/623"]


def test_broken_nmap_falls_back_with_the_reason(risky_host, monkeypatch):
    monkeypatch.setattr(nmap_engine, "nmap_path", lambda: "/bin/false")
    fs = run(risky_host.address)
    rdp = fs["ports.rdp.exposed"]
    assert rdp.evidence["engine"] == "connect" and "nmap exited with 1" in rdp.evidence["fallback_reason"]


@pytest.mark.skipif(not ROOT, reason="SYN and UDP scans need root")
def test_syn_scan_when_root_and_asked(risky_host):
    require_binary("nmap", package="nmap")
    fs = run(risky_host.address, engine="nmap", syn=True)
    assert fs["ports.rdp.exposed"].evidence["scan_type"] == "syn"
    assert {i for i in fs if i.endswith(".exposed")} == expected(risky_host)
    assert "not_tested" not in fs["ports.risky.none"].evidence  # UDP 623 was scanned too


def test_cidr_block_scans_each_host():
    require_binary("nmap", package="nmap")
    a = lab_address("ports")
    base = a.rsplit(".", 1)[0]
    # a /30 around a fresh address: only the listener's host has RDP open
    last = int(a.rsplit(".", 1)[1])
    block = f"{base}.{last & ~3}/30"
    with Listeners(a) as ls:
        ls.open(3389)
        fs = run(block, engine="nmap")
        cfs = run(block, engine="connect")
    for found in (fs, cfs):
        rdp = found["ports.rdp.exposed"]
        assert [o["address"] for o in rdp.evidence["open"]] == [a]


def test_domain_target_is_resolved_through_the_given_nameserver(knot_lab):
    require_binary("nmap", package="nmap")
    with Listeners(lab_address("ports")) as ls:
        ls.open(5432)
        lab = knot_lab()
        lab.add_zone("mairie.lab.", f"@ A {ls.address}\n")
        lab.start()
        ns, port = lab.nameserver.rsplit(":", 1)
        tg = Target(name="mairie.lab", kind="domain", scope=frozenset({"ports"}), authorization=AUTH)
        found = asyncio.run(run_probe("ports", tg, Net(nameserver=ns, port=int(port), timeout=1.0,
                                              options={"engine": "nmap"})))
        missing = asyncio.run(run_probe("ports",
            Target(name="absent.mairie.lab", kind="host", scope=frozenset({"ports"}), authorization=AUTH),
            Net(nameserver=ns, port=int(port), timeout=1.0)))
    fs = {f.id: f for f in found}
    pg = fs["ports.postgresql.exposed"]
    assert pg.target == "mairie.lab" and pg.evidence["address"] == ls.address
    (err,) = missing
    assert err.status is Status.ERROR and "nxdomain" in err.evidence["reason"]


def test_nmap_process_is_killed_at_its_time_bound():
    require_binary("nmap", package="nmap")
    with Listeners(lab_address("ports")) as ls:
        for port in (3389, 5900):
            ls.blackhole(port)
        argv = nmap_engine.build_argv([("-oX", "-"), ("-sT", None), ("-Pn", None), ("--max-retries", "50"),
                                       ("--host-timeout", "60s"), ("-p", "3389,5900")], [ls.address])
        t0 = time.monotonic()
        with pytest.raises(nmap_engine.EngineError, match="exceeded"):
            asyncio.run(nmap_engine.run(argv, timeout=1.0))
        assert time.monotonic() - t0 < 5


def test_ipv6_loopback():
    import socket

    require_binary("nmap", package="nmap")
    try:
        server = socket.create_server(("::1", 9200), family=socket.AF_INET6)
    except OSError as exc:
        pytest.skip(f"::1 port 9200 unavailable: {exc}")
    try:
        for engine in ("nmap", "connect"):
            es = run("::1", engine=engine)["ports.elasticsearch.exposed"]
            assert es.evidence["address"] == "::1" and es.evidence["engine"] == engine
    finally:
        server.close()
