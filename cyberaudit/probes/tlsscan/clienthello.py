"""Hand-built ClientHello messages and ServerHello parsing (pure bytes, no I/O).

Used for every "does the server accept X?" question (SSLv3, TLS 1.0-1.3, each weak suite class):
the local OpenSSL cannot offer SSLv3, export, RC4 or DES suites any more, and a bare hello is cheap
(no key exchange on our side, the connection is dropped after the ServerHello).
"""

from __future__ import annotations

import hashlib
import os
import struct
from dataclasses import dataclass, field

from .classes import SSL3, TLS12, TLS13

# x25519 public key shared by every TLS 1.3 probe: the handshake never goes past the ServerHello,
# so a fixed valid point is enough (it is the RFC 7748 test vector for Alice's public key).
_X25519_PUB = bytes.fromhex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
_HRR_RANDOM = hashlib.sha256(b"HelloRetryRequest").digest()

GROUPS = (0x001D, 0x0017, 0x0018, 0x0019, 0x001E, 0x0100, 0x0101)  # x25519, P-256/384/521, x448, ffdhe
SIG_ALGS = (0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601,
            0x0203, 0x0201, 0x0402, 0x0202)
EXT_ETM = 22  # encrypt_then_mac (RFC 7366)

ALERTS = {0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 40: "handshake_failure",
          47: "illegal_parameter", 50: "decode_error", 70: "protocol_version", 71: "insufficient_security",
          80: "internal_error", 86: "inappropriate_fallback", 112: "unrecognized_name"}


def _u16(n: int) -> bytes:
    return struct.pack(">H", n)


def _vec16(data: bytes) -> bytes:
    return _u16(len(data)) + data


def _ext(kind: int, data: bytes) -> bytes:
    return _u16(kind) + _vec16(data)


def client_hello(version: int, suites: tuple[int, ...] | list[int], server_name: str | None = None, *,
                 etm: bool = False, deflate: bool = False, status_request: bool = False) -> bytes:
    """A complete TLS record carrying a ClientHello.

    `version` is what we offer: SSL3 .. TLS12 as client_version, or TLS13 (client_version TLS 1.2 plus
    supported_versions = [TLS 1.3] and an x25519 key share). `deflate` also offers TLS compression
    (to see whether the server would accept it, ANSSI R19).
    """
    legacy_version = min(version, TLS12)
    suites = list(suites) + [0x00FF]  # TLS_EMPTY_RENEGOTIATION_INFO_SCSV
    session_id = os.urandom(32) if version == TLS13 else b""
    body = (_u16(legacy_version) + os.urandom(32) + bytes([len(session_id)]) + session_id
            + _vec16(struct.pack(f">{len(suites)}H", *suites)) + (b"\x02\x01\x00" if deflate else b"\x01\x00"))
    if version > SSL3:
        exts = b""
        if server_name:
            name = server_name.encode("ascii", "ignore")[:253]
            exts += _ext(0, _vec16(b"\x00" + _vec16(name)))
        exts += _ext(10, _vec16(b"".join(_u16(g) for g in GROUPS)))
        exts += _ext(11, b"\x01\x00")
        if version >= TLS12:
            exts += _ext(13, _vec16(b"".join(_u16(a) for a in SIG_ALGS)))
        if etm:
            exts += _ext(EXT_ETM, b"")
        if status_request:  # OCSP stapling (RFC 6066 §8): status_type ocsp, no responder ids, no extensions
            exts += _ext(5, b"\x01\x00\x00\x00\x00")
        exts += _ext(23, b"")  # extended_master_secret
        if version == TLS13:
            exts += _ext(43, b"\x02" + _u16(TLS13))
            exts += _ext(51, _vec16(_u16(0x001D) + _vec16(_X25519_PUB)))
            exts += _ext(45, b"\x01\x01")
        body += _vec16(exts)
    handshake = b"\x01" + struct.pack(">I", len(body))[1:] + body
    record_version = SSL3 if version == SSL3 else 0x0301
    return b"\x16" + _u16(record_version) + _vec16(handshake)


@dataclass
class ServerReply:
    """What the server answered to a ClientHello."""

    kind: str  # "hello" | "alert" | "http" | "garbage" | "incomplete"
    version: int = 0  # negotiated (supported_versions wins over the legacy field)
    suite: int = 0
    alert: int | None = None
    retry: bool = False  # TLS 1.3 HelloRetryRequest
    compression: int = 0
    extensions: set[int] = field(default_factory=set)
    group: int | None = None  # TLS 1.3 key_share group (ServerHello) or selected group (HelloRetryRequest)


def parse_reply(data: bytes) -> ServerReply:
    """Parse the first records the server sent. `incomplete` means: read more bytes."""
    if data[:5] in (b"HTTP/", b"<!DOC", b"<html") or data[:4] == b"HTTP":
        return ServerReply("http")
    handshake = b""
    pos = 0
    while True:
        if len(data) - pos < 5:
            return ServerReply("incomplete") if not handshake or len(handshake) < 4 else _hello(handshake)
        ctype, _rver, length = data[pos], data[pos + 1:pos + 3], struct.unpack(">H", data[pos + 3:pos + 5])[0]
        if ctype not in (0x14, 0x15, 0x16, 0x17) or length > 18432 or data[pos + 1] not in (2, 3):
            return ServerReply("garbage")
        if len(data) - pos - 5 < length:
            if handshake or ctype == 0x16:
                partial = _hello(handshake + data[pos + 5:]) if ctype == 0x16 else None
                if partial is not None and partial.kind == "hello":
                    return partial
            return ServerReply("incomplete")
        payload = data[pos + 5:pos + 5 + length]
        pos += 5 + length
        if ctype == 0x15:
            if len(payload) >= 2:
                return ServerReply("alert", alert=payload[1])
            return ServerReply("garbage")
        if ctype == 0x16:
            handshake += payload
            reply = _hello(handshake)
            if reply.kind != "incomplete":
                return reply


def _hello(hs: bytes) -> ServerReply:
    if len(hs) < 4:
        return ServerReply("incomplete")
    if hs[0] != 2:
        return ServerReply("garbage")
    length = int.from_bytes(hs[1:4], "big")
    if len(hs) < 4 + length:
        return ServerReply("incomplete")
    body = hs[4:4 + length]
    try:
        version = struct.unpack(">H", body[0:2])[0]
        random = body[2:34]
        sid_len = body[34]
        p = 35 + sid_len
        suite = struct.unpack(">H", body[p:p + 2])[0]
        compression = body[p + 2]
        p += 3
        exts: set[int] = set()
        group = None
        if p + 2 <= len(body):
            end = p + 2 + struct.unpack(">H", body[p:p + 2])[0]
            p += 2
            while p + 4 <= min(end, len(body)):
                kind, elen = struct.unpack(">HH", body[p:p + 4])
                data = body[p + 4:p + 4 + elen]
                exts.add(kind)
                if kind == 43 and len(data) == 2:
                    version = struct.unpack(">H", data)[0]
                if kind == 51 and len(data) >= 2:
                    group = struct.unpack(">H", data[:2])[0]
                p += 4 + elen
    except (struct.error, IndexError):
        return ServerReply("garbage")
    return ServerReply("hello", version=version, suite=suite, retry=random == _HRR_RANDOM, extensions=exts,
                       compression=compression, group=group)
