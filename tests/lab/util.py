"""Helpers for the loopback test lab.

Only loopback (127.0.0.0/8, ::1) is ever a target. Each lab area has its own
127.<block>.0.0/16 and each pytest-xdist worker its own /24 inside it, so lab
servers of parallel workers never clash.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_binary(*candidates: str, package: str | None = None) -> str:
    """Path of the first binary found; skip (or fail under CI=true) when none is installed."""
    for name in candidates:
        for folder in ("", "/usr/sbin/", "/sbin/", "/usr/bin/"):
            path = shutil.which(folder + name) if folder else shutil.which(name)
            if path:
                return path
    reason = f"{candidates[0]} not installed (Debian package: {package or candidates[0]})"
    if in_ci():
        pytest.fail(f"CI=true but {reason}: .ci/run must install it")
    pytest.skip(reason)


def worker_index() -> int:
    wid = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    try:
        return int(wid.removeprefix("gw"))
    except ValueError:
        return 0


_counters: dict[int, int] = {}

# Second octet of 127.X.0.0/16 per lab area, so labs of different areas (and of
# parallel pytest-xdist workers: third octet) never share an address.
BLOCKS = {"dns": 53, "tls": 44, "smtp": 25, "ports": 55, "mfa": 56, "ssh": 22, "report": 80, "territory": 90,
          "foundation": 20, "dns2": 153, "privacy": 118, "communes": 121}


def lab_address(area: str) -> str:
    """A fresh loopback address: 127.<area block>.<worker>.<n>."""
    block = BLOCKS[area]
    n = _counters.get(block, 0) + 1
    _counters[block] = n
    if n > 250:
        raise RuntimeError("lab address pool exhausted for this worker")
    # CYBERAUDIT_LAB_OFFSET shifts the third octet, so two test runs on one machine never meet.
    offset = int(os.environ.get("CYBERAUDIT_LAB_OFFSET", "0") or 0)
    return f"127.{block}.{(worker_index() + offset) % 256}.{n}"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_port(host: str, port: int, timeout: float = 10.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"{host}:{port} did not open in {timeout}s")


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
