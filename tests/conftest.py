"""Shared fixtures. Lab fixtures (real knot, nginx, nmap, sshd on loopback) live in tests/lab/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytest_plugins = ["tests.emitted"]


@pytest.fixture(autouse=True)
def _french_by_default(monkeypatch):
    """Every test starts in French, with no language leaking from the environment."""
    from cyberaudit import i18n

    monkeypatch.delenv("CYBERAUDIT_LANG", raising=False)
    i18n.set_lang("fr")
    yield
    i18n._current = None


@pytest.fixture(autouse=True)
def _barometer_cache_in_tmp(monkeypatch, tmp_path_factory):
    """`aggregate` keeps a cache in the user's cache folder: in tests, a temporary one (and inherited by
    subprocesses), never the real home."""
    monkeypatch.setenv("CYBERAUDIT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "barometer-cache"))


@pytest.fixture
def run_cli(capsys):
    """Run the CLI in-process: returns (exit_code, stdout, stderr)."""
    from cyberaudit.__main__ import main

    def _run(*args: str) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        cap = capsys.readouterr()
        return code, cap.out, cap.err

    return _run


_violations: list[str] = []


def _loopback_only(address) -> None:
    """Raise (like an unreachable network) and remember when a test aims at a non-loopback address."""
    import ipaddress

    if not isinstance(address, tuple):
        return  # AF_UNIX path
    host = str(address[0]).split("%", 1)[0]
    try:
        ok = ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = host == "localhost"
    if not ok:
        _violations.append(host)
        raise OSError(101, f"test guard: only loopback may be a target, not {host}")


@pytest.fixture(autouse=True)
def _only_loopback_is_ever_a_target(monkeypatch):
    """Every socket a test opens in this process may only reach 127.0.0.0/8 or ::1.

    Code under test sees an unreachable network (OSError); the test then fails here, so a probe that
    silently fell back to the machine's resolver or the internet cannot pass unnoticed.
    """
    import socket

    real_connect, real_connect_ex, real_sendto = socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto

    def connect(self, address):
        _loopback_only(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        _loopback_only(address)
        return real_connect_ex(self, address)

    def sendto(self, data, *args):
        _loopback_only(args[-1])
        return real_sendto(self, data, *args)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket.socket, "sendto", sendto)
    _violations.clear()
    yield
    if _violations:
        hosts = sorted(set(_violations))
        _violations.clear()
        pytest.fail(f"the test tried to reach non-loopback addresses: {hosts}")


@pytest.fixture
def loopback_violations() -> list[str]:
    """The guard's record of refused destinations (for the guard's own tests)."""
    return _violations


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")
