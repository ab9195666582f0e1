"""Network half of the key-exchange observation: a bare ClientHello offering only DHE (or only ECDHE)
suites, read until the ServerKeyExchange (bounded in bytes and by `timeout` in total).

    kex = await observe_kex(address, 443, "ville.fr", supported={TLS12, TLS13}, timeout=5.0, hello=hello)
    # {"dhe": {"p", "g", "ys", "suite"} | {"status": "rejected"|"error", ...}, "ecdhe": {...}, "tls13": {...}}
"""

from __future__ import annotations

import asyncio

from ..streams import read_within
from .classes import TLS10, TLS11, TLS12, TLS13, TLS13_SUITES, suite_name
from .clienthello import client_hello, parse_reply
from .handshake import _reason, close, connect, drain, judge_reply
from .kex import MAX_FLIGHT, SERVER_HELLO, SERVER_KEY_EXCHANGE, parse_flight, server_kex
from .suites import SUITES

_SKIP = ("PSK", "SRP", "KRB5", "GOST", "EXPORT")


def _suites(prefixes: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(cid for cid, iana, _ in SUITES
                 if 0 < cid < 0xFF00 and cid not in TLS13_SUITES and not any(x in iana for x in _SKIP)
                 and iana.removeprefix("TLS_").startswith(prefixes))


DHE_SUITES = _suites(("DHE_", "DH_anon_"))
ECDHE_SUITES = _suites(("ECDHE_", "ECDH_anon_"))


async def read_flight(reader, timeout: float):
    """Read the server's first flight until the ServerKeyExchange, ServerHelloDone or an alert."""

    def enough(data: bytes) -> bool:
        flight = parse_flight(data)
        return flight.complete or SERVER_KEY_EXCHANGE in flight.messages

    data = await read_within(reader, timeout, MAX_FLIGHT, enough=enough, chunk=16384)
    return data, parse_flight(data)


async def probe_kex(address: str, port: int, name: str | None, version: int, suites, *, timeout: float,
                    preamble=None) -> dict:
    """Offer `suites` at `version` and return the key-exchange parameters of the suite the server picks."""
    try:
        reader, writer = await connect(address, port, timeout)
    except Exception as exc:  # noqa: BLE001 - every failure becomes an outcome
        return {"status": "error", "reason": _reason(exc)}
    try:
        if preamble is not None and not await preamble(reader, writer):
            return {"status": "error", "reason": "starttls refused"}
        writer.write(client_hello(version, suites, name))
        await drain(writer, timeout)
        data, flight = await read_flight(reader, timeout)
    except (ConnectionResetError, BrokenPipeError, asyncio.IncompleteReadError):
        return {"status": "rejected", "reason": "connection closed"}
    except Exception as exc:  # noqa: BLE001
        return {"status": "error", "reason": _reason(exc)}
    finally:
        await close(writer)
    if SERVER_HELLO not in flight.messages:
        return {"status": "rejected", "reason": f"alert {flight.alert}" if flight.alert is not None else "no hello"}
    hello = judge_reply(parse_reply(data), version)
    if hello.status != "accepted" or hello.suite not in suites:
        return {"status": "rejected", "reason": hello.reason or "suite not offered"}
    iana = suite_name(hello.suite)
    body = flight.messages.get(SERVER_KEY_EXCHANGE)
    if body is None:
        return {"status": "error", "reason": "no ServerKeyExchange", "suite": iana}
    return {**server_kex(iana, body), "suite": iana}


async def observe_kex(address: str, port: int, name: str | None, supported: set[int], *, timeout: float,
                      hello, preamble=None) -> dict:
    """DHE group and ECDHE curve at the best TLS <= 1.2 version accepted, and the TLS 1.3 group.
    `hello(version, suites)` is the scanner's bare-hello probe (for TLS 1.3: the ServerHello key_share)."""
    out: dict = {}
    legacy = next((v for v in (TLS12, TLS11, TLS10) if v in supported), None)
    jobs = []
    if legacy is not None:
        jobs += [probe_kex(address, port, name, legacy, DHE_SUITES, timeout=timeout, preamble=preamble),
                 probe_kex(address, port, name, legacy, ECDHE_SUITES, timeout=timeout, preamble=preamble)]
    if TLS13 in supported:
        jobs.append(hello(TLS13, TLS13_SUITES[:3]))
    results = await asyncio.gather(*jobs)
    if legacy is not None:
        out["dhe"], out["ecdhe"] = results[0], results[1]
        for key in ("dhe", "ecdhe"):
            if out[key].get("type") == "error":
                out[key] = {"status": "error", "reason": out[key]["reason"]}
    if TLS13 in supported and results[-1].status == "accepted" and results[-1].group is not None:
        out["tls13"] = {"group": results[-1].group}
    return out
