"""Classes the lab's nginx cannot serve (OpenSSL 3 has no SSLv3, export, RC4 or DES suites): a scripted
TLS server on loopback answers our bare ClientHellos with real ServerHello/alert records, so the
hand-built hello, the parser and the class enumeration are exercised over real sockets.
"""

from __future__ import annotations

import asyncio
import os
import struct

from cyberaudit.probes.tlsscan.classes import SSL3, TLS10, TLS12
from cyberaudit.probes.tlsscan.handshake import probe_hello
from cyberaudit.probes.tlsscan.scanner import _enumerate_class

from .util import lab_address


def _server_hello(version: int, suite: int) -> bytes:
    body = struct.pack(">H", version) + os.urandom(32) + b"\x00" + struct.pack(">H", suite) + b"\x00"
    hs = b"\x02" + len(body).to_bytes(3, "big") + body
    return b"\x16" + struct.pack(">HH", version, len(hs)) + hs


def _parse_hello(data: bytes) -> tuple[int, list[int]]:
    body = data[9:]
    version = struct.unpack(">H", body[:2])[0]
    p = 34 + 1 + body[34]
    n = struct.unpack(">H", body[p:p + 2])[0]
    suites = [struct.unpack(">H", body[p + 2 + i:p + 4 + i])[0] for i in range(0, n, 2)]
    return version, suites


async def _scripted(versions: set[int], accepted: set[int], address: str, fragment: bool = False):
    async def handle(reader, writer):
        data = await reader.read(4096)
        version, offered = _parse_hello(data)
        pick = next((s for s in offered if s in accepted), None)
        if version in versions and pick is not None:
            reply = _server_hello(version, pick)
            if fragment:  # ServerHello split over two records
                hs = reply[5:]
                reply = (b"\x16" + struct.pack(">HH", version, 10) + hs[:10]
                         + b"\x16" + struct.pack(">HH", version, len(hs) - 10) + hs[10:])
        else:
            reply = b"\x15\x03\x01\x00\x02\x02\x28"  # fatal handshake_failure
        writer.write(reply)
        await writer.drain()
        writer.close()

    return await asyncio.start_server(handle, address, 4433)


def test_sslv3_detected_with_hand_built_hello():
    async def run():
        address = lab_address("tls")
        server = await _scripted({SSL3}, {0x000A}, address)  # SSLv3 with 3DES
        async with server:
            v3 = await probe_hello(address, 4433, "old.lab", SSL3, (0x000A, 0x002F), timeout=2)
            t12 = await probe_hello(address, 4433, "old.lab", TLS12, (0x000A, 0x002F), timeout=2)
        return v3, t12

    v3, t12 = asyncio.run(run())
    assert (v3.status, v3.version, v3.suite) == ("accepted", SSL3, 0x000A)
    assert v3.secure_renegotiation is False  # no renegotiation_info in the scripted ServerHello
    assert t12.status == "rejected" and "handshake_failure" in t12.reason


def test_weak_classes_enumerated_over_the_wire():
    rc4 = {0x0004, 0x0005, 0xC011}  # RC4-MD5, RC4-SHA, ECDHE-RSA-RC4-SHA
    export = {0x0003, 0x0008}

    async def run():
        address = lab_address("tls")
        server = await _scripted({TLS10}, rc4 | export | {0x000A}, address, fragment=True)

        async def hello(version, suites, etm=False):
            return await probe_hello(address, 4433, "old.lab", version, suites, timeout=2, etm=etm)

        async with server:
            return {cls: await _enumerate_class(cls, {TLS10}, hello) for cls in ("rc4", "export", "des", "null")}

    out = asyncio.run(run())
    assert out["rc4"]["status"] == "accepted" and len(out["rc4"]["suites"]) == 4  # 3 RC4 + EXP-RC4
    assert "TLS_RSA_EXPORT_WITH_RC4_40_MD5" in out["export"]["suites"]
    assert "TLS_RSA_WITH_3DES_EDE_CBC_SHA" in out["des"]["suites"]
    assert out["null"] == {"status": "rejected", "suites": [], "version": "TLSv1.0"}
