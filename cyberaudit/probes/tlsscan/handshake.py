"""Network half of the TLS scanner: bare ClientHello probes and one full handshake.

Every wait (connect, read, handshake) is bounded by the `timeout` given by the caller (`net.timeout`).
Nothing here raises for network trouble: outcomes carry a status and a reason.
"""

from __future__ import annotations

import asyncio
import ssl
import warnings
from dataclasses import dataclass, field
from functools import lru_cache

from ..streams import read_within
from .clienthello import ALERTS, EXT_ETM, ServerReply, client_hello, parse_reply

MAX_READ = 65536


@dataclass
class HelloOutcome:
    status: str  # "accepted" | "rejected" | "error"
    version: int = 0
    suite: int = 0
    reason: str = ""
    etm: bool = False  # encrypt_then_mac echoed by the server
    plain_http: bool = False
    secure_renegotiation: bool = False  # renegotiation_info echoed (RFC 5746)
    compression: int = 0
    group: int | None = None  # TLS 1.3 key_share group


@dataclass
class FullHandshake:
    ok: bool
    version: str = ""
    cipher: str = ""
    chain: list[bytes] = field(default_factory=list)  # DER, leaf first, as sent by the server
    reason: str = ""
    plain_http: bool = False


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | asyncio.TimeoutError) or (
            isinstance(exc, ConnectionAbortedError) and "taking longer" in str(exc)):
        return "timeout"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset"
    if isinstance(exc, ssl.SSLError):
        return f"tls: {exc.reason or exc.__class__.__name__}"[:200]
    if isinstance(exc, OSError):
        return f"{exc.__class__.__name__}: {exc.strerror or exc}"[:200]
    return f"{exc.__class__.__name__}: {exc}"[:200]


# asyncio.timeout rather than wait_for on this path: wait_for wraps each await in a task of its own,
# about a fifth of the CPU time of a bare hello on loopback (a host takes some twenty of them)
async def connect(address: str, port: int, timeout: float):
    async with asyncio.timeout(timeout):
        return await asyncio.open_connection(address, port)


async def drain(writer, timeout: float) -> None:
    async with asyncio.timeout(timeout):
        await writer.drain()


async def close(writer) -> None:
    try:
        writer.close()
        async with asyncio.timeout(1.0):
            await writer.wait_closed()
    except (OSError, TimeoutError, ssl.SSLError):
        pass


async def read_reply(reader, timeout: float) -> ServerReply:
    """Read until a ServerHello/alert is complete, the peer closes, or `timeout` passes (total)."""
    data = await read_within(reader, timeout, MAX_READ, enough=lambda d: parse_reply(d).kind != "incomplete",
                             chunk=16384)
    if not data:
        return ServerReply("incomplete")
    reply = parse_reply(data)
    return reply if reply.kind != "incomplete" else ServerReply("garbage")


async def probe_hello(address: str, port: int, server_name: str | None, version: int, suites, *,
                      timeout: float, etm: bool = False, deflate: bool = False, preamble=None) -> HelloOutcome:
    """Offer `suites` at `version`; accepted iff the server answers a ServerHello at that version.

    `preamble(reader, writer)` runs first (SMTP STARTTLS); it returns False when TLS cannot start.
    """
    try:
        reader, writer = await connect(address, port, timeout)
    except Exception as exc:  # noqa: BLE001 - every failure becomes an outcome
        return HelloOutcome("error", reason=_reason(exc))
    try:
        if preamble is not None and not await preamble(reader, writer):
            return HelloOutcome("error", reason="starttls refused")
        writer.write(client_hello(version, suites, server_name, etm=etm, deflate=deflate))
        await drain(writer, timeout)
        reply = await read_reply(reader, timeout)
    except (ConnectionResetError, BrokenPipeError, asyncio.IncompleteReadError):
        # Servers often just drop a hello they do not like.
        return HelloOutcome("rejected", reason="connection closed")
    except Exception as exc:  # noqa: BLE001
        return HelloOutcome("error", reason=_reason(exc))
    finally:
        await close(writer)
    return judge_reply(reply, version)


def judge_reply(reply: ServerReply, version: int) -> HelloOutcome:
    if reply.kind == "hello":
        ok = reply.version == version
        return HelloOutcome("accepted" if ok else "rejected", reply.version, reply.suite,
                            reason="" if ok else "server chose another version", etm=EXT_ETM in reply.extensions,
                            secure_renegotiation=0xFF01 in reply.extensions, compression=reply.compression,
                            group=reply.group)
    if reply.kind == "alert":
        return HelloOutcome("rejected", reason=f"alert {ALERTS.get(reply.alert, reply.alert)}")
    if reply.kind == "incomplete":
        return HelloOutcome("rejected", reason="connection closed")
    if reply.kind == "http":
        return HelloOutcome("error", reason="plain HTTP on a TLS port", plain_http=True)
    return HelloOutcome("error", reason="not a TLS answer")


@lru_cache(maxsize=4)
def probe_context(min_version: ssl.TLSVersion = ssl.TLSVersion.TLSv1) -> ssl.SSLContext:
    """Client context for observation only: no verification (judged separately), every suite and
    version the local OpenSSL still has (security level 0, for the probe only)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_ciphers("ALL:COMPLEMENTOFALL:@SECLEVEL=0")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.0 is deprecated: that is what we probe
        ctx.minimum_version = min_version
    return ctx


def peer_chain(sslobj) -> list[bytes]:
    """DER certificates sent by the server (leaf first)."""
    inner = getattr(sslobj, "_sslobj", sslobj)
    getter = getattr(sslobj, "get_unverified_chain", None) or getattr(inner, "get_unverified_chain", None)
    if getter is not None:
        try:
            chain = getter() or []
            return [c.public_bytes(ssl._ssl.ENCODING_DER) for c in chain]
        except (AttributeError, ValueError, ssl.SSLError):
            pass
    leaf = sslobj.getpeercert(binary_form=True)
    return [leaf] if leaf else []


async def full_handshake(address: str, port: int, server_name: str | None, *, timeout: float) -> FullHandshake:
    """One complete handshake with the best the server offers; returns version, suite and chain."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(
            address, port, ssl=probe_context(), server_hostname=server_name or None,
            ssl_handshake_timeout=timeout), timeout * 2)
    except Exception as exc:  # noqa: BLE001
        reason = _reason(exc)
        return FullHandshake(False, reason=reason, plain_http="wrong_version_number" in reason.lower().replace(" ", "_"))
    try:
        sslobj = writer.get_extra_info("ssl_object")
        cipher = sslobj.cipher()
        return FullHandshake(True, sslobj.version() or "", cipher[0] if cipher else "", peer_chain(sslobj))
    finally:
        await close(writer)


async def tcp_open(address: str, port: int, timeout: float) -> bool:
    try:
        _, writer = await connect(address, port, timeout)
    except Exception:  # noqa: BLE001
        return False
    await close(writer)
    return True
