"""Plain TCP listeners on loopback for the ports/mfa lab (risky ports, banners, black holes),
and tests that they behave as the scan tests assume.

    from tests.lab.test_ports_listeners import Listeners

    with Listeners("127.55.0.3") as ls:
        ls.open(3389)                        # accepts and closes
        ls.open(21, banner=b"220 ready\\r\\n")  # sends a banner to every client
        ls.blackhole(445)                    # never accepts: further SYNs are dropped (filtered)
"""

from __future__ import annotations

import socket
import threading
import time

import pytest

from .util import lab_address


class Listeners:
    def __init__(self, address: str):
        self.address = address
        self.sockets: list[socket.socket] = []
        self.ports: list[int] = []
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def _bind(self, port: int, backlog: int) -> socket.socket:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((self.address, port))
        s.listen(backlog)
        self.sockets.append(s)
        return s

    def open(self, port: int, banner: bytes | None = None) -> int:
        s = self._bind(port, 64)
        s.settimeout(0.2)
        t = threading.Thread(target=self._serve, args=(s, banner), daemon=True)
        t.start()
        self._threads.append(t)
        self.ports.append(port)
        return port

    def _serve(self, s: socket.socket, banner: bytes | None) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = s.accept()
            except (TimeoutError, OSError):
                continue
            with conn:
                try:
                    if banner:
                        conn.sendall(banner)
                except OSError:
                    pass

    def blackhole(self, port: int) -> int:
        """A listener whose accept queue is full: the kernel drops new SYNs (no answer at all)."""
        self._bind(port, 0)
        filler = socket.create_connection((self.address, port), timeout=2)
        self.sockets.append(filler)
        return port

    def close(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(2)
        for s in self.sockets:
            s.close()

    def __enter__(self) -> Listeners:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@pytest.mark.lab
def test_open_listener_sends_its_banner():
    with Listeners(lab_address("ports")) as ls:
        port = ls.open(20000 + 389, banner=b"hello")
        with socket.create_connection((ls.address, port), timeout=2) as c:
            assert c.recv(10) == b"hello"


@pytest.mark.lab
def test_blackhole_listener_never_answers():
    with Listeners(lab_address("ports")) as ls:
        port = ls.blackhole(3389)
        t0 = time.monotonic()
        with pytest.raises(TimeoutError):
            socket.create_connection((ls.address, port), timeout=0.5)
        assert time.monotonic() - t0 >= 0.45  # dropped, not refused
