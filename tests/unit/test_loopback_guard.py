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


def test_other_destinations_are_refused_and_recorded():
    from tests import conftest

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s, pytest.raises(OSError):
        s.sendto(b"x", ("192.0.2.1", 53))  # documentation range: never sent
    assert conftest._violations == ["192.0.2.1"]
    conftest._violations.clear()  # this test provoked it on purpose
