"""Pytest fixtures for the TLS/web lab (import them in a test module or a conftest):

    from .fixtures_tls import *  # noqa: F403  (pytest fixtures: test_ca, ca_bundle, nginx_lab)

* `test_ca` (session): a `TestCA` (root + intermediate) shared by the whole worker.
* `ca_bundle` (session): path of a PEM file with that root, for `--ca-bundle` / `Net(ca_bundle=...)`.
* `nginx_lab` (function): factory `lab = nginx_lab()` -> an `NginxLab` in tmp_path, stopped at teardown.
"""

from __future__ import annotations

import socket
import struct
import threading

import pytest

from .nginx import NginxLab
from .pki import TestCA

__all__ = ["RawServer", "ca_bundle", "nginx_lab", "test_ca"]


@pytest.fixture(scope="session")
def test_ca() -> TestCA:
    return TestCA()


@pytest.fixture(scope="session")
def ca_bundle(test_ca, tmp_path_factory):
    return test_ca.write_bundle(tmp_path_factory.mktemp("ca") / "ca.pem")


@pytest.fixture
def nginx_lab(tmp_path):
    labs: list[NginxLab] = []

    def make(**kwargs) -> NginxLab:
        lab = NginxLab(tmp_path / f"nginx{len(labs)}", **kwargs)
        labs.append(lab)
        return lab

    yield make
    for lab in labs:
        lab.stop()


class RawServer:
    """A hostile TCP server in a thread: `tarpit` (accepts, never speaks) or `reset` (reads the
    ClientHello, answers half a ServerHello record, then resets the connection)."""

    def __init__(self, address: str, ports: tuple[int, ...] = (443,), mode: str = "tarpit") -> None:
        self.address, self.ports, self.mode = address, ports, mode
        self._socks: list[socket.socket] = []
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._held: list[socket.socket] = []

    def start(self) -> RawServer:
        for port in self.ports:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((self.address, port))
            s.listen(64)
            s.settimeout(0.2)
            self._socks.append(s)
            t = threading.Thread(target=self._serve, args=(s,), daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def _serve(self, s: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = s.accept()
            except OSError:
                continue
            if self.mode == "tarpit":
                self._held.append(conn)  # keep it open, say nothing
                continue
            try:
                conn.settimeout(2)
                conn.recv(4096)
                conn.sendall(b"\x16\x03\x03\x00\x40\x02\x00\x00")  # a record header promising more
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
            finally:
                conn.close()  # with SO_LINGER 0: RST

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(2)
        for s in self._socks + self._held:
            s.close()
