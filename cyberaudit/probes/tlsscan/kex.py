"""Key-exchange parameters a server sends (pure bytes, no I/O).

    flight = parse_flight(data)          # records of the server's first flight -> handshake messages
    flight.complete                      # ServerHelloDone seen (TLS <= 1.2), or an alert
    params = server_kex(suite_iana, flight.messages[12])   # ServerKeyExchange body

ServerKeyExchange (RFC 5246 §7.4.3): for DHE/DH_anon suites ServerDHParams (dh_p, dh_g, dh_Ys, each an
opaque <1..2^16-1>), for ECDHE/ECDH_anon suites ECParameters (RFC 8422 §5.4: curve_type 3 = named_curve
and a NamedCurve, or an explicit curve) then the point. TLS 1.3 carries the group in the ServerHello
key_share extension (RFC 8446 §4.2.8), read by `clienthello.parse_reply`.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

MAX_FLIGHT = 262144  # bytes of a server's first flight read at most (long chains included)
SERVER_HELLO, CERTIFICATE, SERVER_KEY_EXCHANGE, SERVER_HELLO_DONE = 2, 11, 12, 14


@dataclass
class Flight:
    messages: dict[int, bytes] = field(default_factory=dict)  # handshake type -> body (first of each)
    complete: bool = False
    alert: int | None = None
    garbage: bool = False


def parse_flight(data: bytes) -> Flight:
    """Handshake messages of the records received so far (plaintext: TLS <= 1.2 first flight)."""
    flight = Flight()
    handshake = b""
    pos = 0
    while len(data) - pos >= 5:
        ctype, length = data[pos], struct.unpack(">H", data[pos + 3:pos + 5])[0]
        if ctype not in (0x15, 0x16) or data[pos + 1] != 3 or length > 18432:
            flight.garbage = flight.complete = True
            return flight
        if len(data) - pos - 5 < length:
            break
        payload = data[pos + 5:pos + 5 + length]
        pos += 5 + length
        if ctype == 0x15:
            flight.alert = payload[1] if len(payload) >= 2 else 0
            flight.complete = True
            return flight
        handshake += payload
    p = 0
    while len(handshake) - p >= 4:
        kind, size = handshake[p], int.from_bytes(handshake[p + 1:p + 4], "big")
        if len(handshake) - p - 4 < size:
            break
        flight.messages.setdefault(kind, handshake[p + 4:p + 4 + size])
        p += 4 + size
        if kind == SERVER_HELLO_DONE:
            flight.complete = True
    return flight


def _opaque16(body: bytes, p: int) -> tuple[bytes, int]:
    n = struct.unpack(">H", body[p:p + 2])[0]
    if n == 0 or p + 2 + n > len(body):
        raise ValueError("truncated parameter")
    return body[p + 2:p + 2 + n], p + 2 + n


def server_kex(suite_iana: str, body: bytes) -> dict:
    """{"type": "dhe", "p", "g", "ys"} | {"type": "ecdhe", "curve": code} | {"type": "ecdhe", "explicit": True}
    | {"type": "error", "reason"}."""
    kex = suite_iana.removeprefix("TLS_").partition("_WITH_")[0]
    try:
        if kex.startswith(("DHE_", "DH_anon")):
            p, pos = _opaque16(body, 0)
            g, pos = _opaque16(body, pos)
            ys, _ = _opaque16(body, pos)
            return {"type": "dhe", "p": int.from_bytes(p, "big"), "g": int.from_bytes(g, "big"),
                    "ys": int.from_bytes(ys, "big")}
        if kex.startswith(("ECDHE_", "ECDH_anon")):
            if not body:
                raise ValueError("empty ServerKeyExchange")
            if body[0] == 3:
                return {"type": "ecdhe", "curve": struct.unpack(">H", body[1:3])[0]}
            return {"type": "ecdhe", "explicit": True, "curve_type": body[0]}
    except (ValueError, struct.error, IndexError) as exc:
        return {"type": "error", "reason": f"ServerKeyExchange not understood: {exc}"[:120]}
    return {"type": "error", "reason": f"no ephemeral key exchange in {suite_iana}"}
