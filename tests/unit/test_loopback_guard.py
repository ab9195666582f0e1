"""The suite-wide guard: a test that aims at a non-loopback address is stopped and reported."""

from __future__ import annotations

import socket

import pytest


def test_loopback_connections_are_allowed():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=2):
            pass


def test_other_destinations_are_refused_and_recorded(loopback_violations):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s, pytest.raises(OSError):
        s.sendto(b"x", ("192.0.2.1", 53))  # documentation range: never sent
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s, pytest.raises(OSError):
        s.connect(("198.51.100.7", 443))
    assert loopback_violations == ["192.0.2.1", "198.51.100.7"]
    loopback_violations.clear()  # this test provoked them on purpose
