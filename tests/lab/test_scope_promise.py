"""Scope is a promise: active probes reach only names whose own entry authorises them (issue 12).

One name is declared twice: as a passive domain (dns, tls) with a web name, and as a host with `mfa`
authorised. The web name belongs to the passive entry only: it must never receive a connection other
than the passive web/TLS probes' (80, 443). Real knot, real listeners that record who connects, the
real CLI in its own process.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading

import pytest

from cyberaudit.checks.mfa import requests_plan
from cyberaudit.disk.workspace import create
from cyberaudit.model import DomainAsset, HostAsset, Organisation

from .pipes import ROOT, env
from .util import lab_address

pytestmark = pytest.mark.lab
AUTH = {"authorized_by": "Mme Lenoir (DGS)", "authorized_on": "2026-11-18"}


class Recorder:
    """TCP listeners on one address; `hits` lists the ports that received a connection."""

    def __init__(self, address: str, ports: list[int]):
        self.address, self.hits, self.socks = address, [], []
        self._stop = threading.Event()
        for port in ports:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((address, port))
            s.listen(16)
            s.settimeout(0.1)
            self.socks.append(s)
            threading.Thread(target=self._serve, args=(s, port), daemon=True).start()

    def _serve(self, s: socket.socket, port: int) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = s.accept()
            except (TimeoutError, OSError):
                continue
            self.hits.append(port)
            conn.close()

    def close(self) -> None:
        self._stop.set()
        for s in self.socks:
            s.close()


def test_a_passive_web_name_gets_no_active_probe(knot_lab, tmp_path):
    active_ip, passive_ip = lab_address("mfa"), lab_address("mfa")
    lab = knot_lab()
    lab.add_zone("lab.", "")
    lab.add_zone("ville.lab.", f"@ A {active_ip}\nportail A {passive_ip}\n")
    lab.start()
    ports = sorted({p for _, p in requests_plan()} | {22, 3389})
    passive, active = Recorder(passive_ip, ports), Recorder(active_ip, [22, 3389])
    org = Organisation(name="Commune", siren="213501232", kind="commune")
    org.inventory.domains = [DomainAsset(name="ville.lab", scope=["dns", "tls"], web_names=["portail.ville.lab"])]
    org.inventory.hosts = [HostAsset(name="ville.lab", scope=["tls", "mfa"], **AUTH)]
    ws = create(tmp_path / "ws", org)
    try:
        done = subprocess.run([sys.executable, "-m", "cyberaudit", "scan", "-w", str(ws.root), "--checks",
                               "tls,web,mfa", "--nameserver", lab.nameserver, "--timeout", "1", "--format", "json"],
                              capture_output=True, text=True, env=env(), cwd=ROOT, timeout=300)
    finally:
        passive.close()
        active.close()
    assert "Traceback" not in done.stderr, done.stderr
    assert sorted(set(active.hits)) == [22, 3389]  # the authorised name was probed (the test can see probes)
    assert not [p for p in passive.hits if p not in (80, 443)], passive.hits  # the passive name: never
    doc = json.loads(done.stdout)
    mfa = [f for r in doc["results"] for f in r["findings"] if f["id"].startswith("mfa.")]
    assert mfa
    for f in mfa:
        entries = f["evidence"].get("authorized_entries")
        if entries is None:
            continue
        assert set(entries) == {"ville.lab"}
        assert "inventory.hosts[0]" in entries["ville.lab"] and "Mme Lenoir" in entries["ville.lab"]
    assert any(f["evidence"].get("authorized_entries") for f in mfa)
