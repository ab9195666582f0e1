"""Scope gate end to end: refused scans send nothing; authorised scans carry the authorisation."""

from __future__ import annotations

import json
import socket
import threading

import pytest

from cyberaudit.disk.workspace import create
from cyberaudit.model import Organisation

from .test_ports_listeners import Listeners
from .util import lab_address, require_binary

pytestmark = pytest.mark.lab
AUTH = "M. Petit (maire), 2026-11-15"


class Counting:
    """A listener on 3389 that counts the connections it receives."""

    def __init__(self, address: str):
        self.count = 0
        self.sock = socket.create_server((address, 3389))
        self.sock.settimeout(0.1)
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.count += 1
            conn.close()

    def close(self):
        self._stop.set()
        self.thread.join(2)
        self.sock.close()


def test_refused_scan_sends_no_packet(run_cli):
    address = lab_address("ports")
    counter = Counting(address)
    try:
        code, _, err = run_cli("scan", address, "--checks", "ports,mfa")
        assert code == 2 and "--authorized" in err
        assert counter.count == 0
        # the same listener does see an authorised scan (the counter works)
        code, _, _ = run_cli("scan", address, "--checks", "ports", "--authorized", AUTH, "--format", "json",
                             "--timeout", "1")
        assert code == 0 and counter.count >= 1
    finally:
        counter.close()


def test_every_finding_carries_the_cli_authorisation(run_cli):
    require_binary("nmap", package="nmap")
    with Listeners(lab_address("ports")) as ls:
        ls.open(3389)
        ls.open(22, banner=b"SSH-2.0-OpenSSH_9.2p1 lab\r\n")
        code, out, _ = run_cli("scan", ls.address, "--checks", "ports,mfa", "--authorized", AUTH,
                               "--format", "json", "--timeout", "1")
    assert code == 0
    findings = [f for r in json.loads(out)["results"] for f in r["findings"]]
    ids = {f["id"] for f in findings}
    assert {"ports.rdp.exposed", "ports.ssh.exposed", "ports.risky.none"} <= ids
    assert all(f["evidence"].get("authorization") == AUTH for f in findings), findings


def test_every_finding_carries_the_inventory_authorisation(run_cli, tmp_path):
    require_binary("nmap", package="nmap")
    with Listeners(lab_address("ports")) as ls:
        ls.open(6379)
        other = lab_address("ports")  # in the inventory, but without ports scope
        org = Organisation(name="Commune test", siren="732829320", kind="commune", inventory={"hosts": [
            {"name": ls.address, "scope": ["ports", "mfa"], "authorized_by": "Mme Roux (DGS)",
             "authorized_on": "2026-11-10"},
            {"name": other, "scope": ["tls"]},
        ]})
        root = create(tmp_path / "ws", org).root
        code, _, _ = run_cli("scan", "-w", root, "--checks", "ports", "--timeout", "1", "--format", "json")
    assert code == 0
    saved = json.loads((root / "scans" / "latest.json").read_text())
    by_target = {r["target"]: r["findings"] for r in saved["results"]}
    assert other not in by_target or not by_target[other]
    findings = by_target[ls.address]
    assert "ports.redis.exposed" in {f["id"] for f in findings}
    assert all(f["evidence"]["authorization"] == "Mme Roux (DGS), 2026-11-10" for f in findings)
