"""SIGTERM and SIGHUP end the whole scan tree within about two seconds (issue 12).

A real `cyberaudit scan` of 50 domains (the parallel path, with worker processes) against a name server
that never answers; the parent gets the signal; every process of the tree must be gone soon after,
and no temporary file left behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .pipes import env

pytestmark = pytest.mark.lab


def descendants(pid: int) -> set[int]:
    """Every live process whose parent chain leads to `pid` (read from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] != "Z":
            parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        children = {p for p, pp in parents.items() if pp in frontier and p not in found}
        found |= children
        frontier = children
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_stop_signal_ends_every_worker(signum, blackhole, tmp_path):
    ns = blackhole()
    ws = tmp_path / "run"
    ws.mkdir()
    domains = [f"d{i}.lab" for i in range(50)]
    proc = subprocess.Popen([sys.executable, "-m", "cyberaudit", "scan", *domains, "--checks", "dns,mail",
                             "--nameserver", ns, "--timeout", "5", "--format", "json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(), cwd=ws)
    try:
        deadline = time.monotonic() + 30
        workers: set[int] = set()
        while time.monotonic() < deadline and len(workers) < 2:
            time.sleep(0.2)
            workers = descendants(proc.pid)
        assert len(workers) >= 2, "the parallel path did not start its workers"
        time.sleep(1.0)  # workers are probing now
        tree = descendants(proc.pid)
        proc.send_signal(signum)
        stopped_at = time.monotonic()
        _, err = proc.communicate(timeout=10)
        while time.monotonic() - stopped_at < 2.5 and any(alive(p) for p in tree):
            time.sleep(0.05)
        left = [p for p in tree if alive(p)]
        assert not left, f"processes left running after the signal: {left}"
        assert proc.returncode == 128 + signum, err
        assert b"Traceback" not in err
    finally:
        for p in descendants(proc.pid) | {proc.pid}:
            if alive(p):
                os.kill(p, signal.SIGKILL)
        proc.wait(5)
    assert not [p for p in ws.rglob("*.tmp")]
