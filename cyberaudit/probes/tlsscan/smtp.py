"""SMTP STARTTLS on port 25: one polite connection per MX address.

banner -> EHLO -> STARTTLS -> TLS handshake (version, suite, chain) -> QUIT. A 4xx answer, a refusal or a
timeout means "not testable" (the server may be rate-limiting us), never "no STARTTLS".
"""

from __future__ import annotations

import asyncio
import ssl

from ...sanitize import bounded, decode_bytes
from .handshake import _reason, close, connect, peer_chain, probe_context

MAX_LINES = 100
EHLO_NAME = "cyberaudit.invalid"


async def read_reply(reader, timeout: float) -> tuple[int, list[str]]:
    """One SMTP reply (possibly multi-line): (code, lines). Bounded in lines, bytes and time."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    lines: list[str] = []
    while len(lines) < MAX_LINES:
        left = end - loop.time()
        if left <= 0:
            raise TimeoutError
        raw = await asyncio.wait_for(reader.readline(), left)
        if not raw:
            raise ConnectionResetError("connection closed")
        line = decode_bytes(raw[:1000]).rstrip("\r\n")
        lines.append(line)
        if len(line) < 4 or line[3] != "-":
            break
    code = int(lines[-1][:3]) if lines and lines[-1][:3].isdigit() else 0
    return code, lines


async def command(reader, writer, line: str, timeout: float) -> tuple[int, list[str]]:
    writer.write(line.encode() + b"\r\n")
    await asyncio.wait_for(writer.drain(), timeout)
    return await read_reply(reader, timeout)


def _not_testable(obs: dict, step: str, code: int, lines: list[str]) -> dict:
    obs["error"] = f"{step}: {code} {bounded(' '.join(lines), 200)}"
    return obs


async def starttls_probe(address: str, port: int, mx: str, *, timeout: float, ehlo_name: str = EHLO_NAME) -> dict:
    obs: dict = {"address": address, "port": port, "name": mx, "error": None, "starttls": None,
                 "handshake": None, "chain_der": []}
    try:
        reader, writer = await connect(address, port, timeout)
    except Exception as exc:  # noqa: BLE001
        obs["error"] = _reason(exc)
        return obs
    try:
        code, lines = await read_reply(reader, timeout)
        obs["banner"] = bounded(lines[0] if lines else "", 200)
        if code != 220:
            return _not_testable(obs, "banner", code, lines)
        code, lines = await command(reader, writer, f"EHLO {ehlo_name}", timeout)
        if code != 250:
            return _not_testable(obs, "EHLO", code, lines)
        caps = {ln[4:].split(" ")[0].upper() for ln in lines[1:]} | {ln[4:].upper() for ln in lines[1:]}
        obs["starttls"] = "STARTTLS" in caps
        if not obs["starttls"]:
            await _quit(reader, writer, timeout)
            return obs
        code, lines = await command(reader, writer, "STARTTLS", timeout)
        if code != 220:
            if 400 <= code < 500 or code == 0:
                return _not_testable(obs, "STARTTLS", code, lines)
            obs["handshake"] = {"ok": False, "reason": f"STARTTLS refused: {code}"}
            return obs
        try:
            await asyncio.wait_for(writer.start_tls(probe_context(), server_hostname=mx or None,
                                                    ssl_handshake_timeout=timeout), timeout * 2)
        except Exception as exc:  # noqa: BLE001
            obs["handshake"] = {"ok": False, "reason": _reason(exc)}
            return obs
        sslobj = writer.get_extra_info("ssl_object")
        cipher = sslobj.cipher()
        obs["handshake"] = {"ok": True, "version": sslobj.version(), "cipher": cipher[0] if cipher else ""}
        obs["chain_der"] = peer_chain(sslobj)
        await _quit(reader, writer, timeout)
        return obs
    except (TimeoutError, ConnectionError, OSError, ssl.SSLError, ValueError) as exc:
        if obs.get("starttls") is None or obs.get("handshake") is None:
            obs["error"] = _reason(exc)
        return obs
    finally:
        await close(writer)


async def _quit(reader, writer, timeout: float) -> None:
    try:
        await command(reader, writer, "QUIT", min(timeout, 2.0))
    except (TimeoutError, ConnectionError, OSError, ssl.SSLError, ValueError):
        pass


def smtp_preamble(timeout: float, ehlo_name: str = EHLO_NAME):
    """`preamble(reader, writer)` for bare ClientHello probes over SMTP: banner, EHLO, STARTTLS (220)."""

    async def run(reader, writer) -> bool:
        code, _ = await read_reply(reader, timeout)
        if code != 220:
            return False
        code, _ = await command(reader, writer, f"EHLO {ehlo_name}", timeout)
        if code != 250:
            return False
        code, _ = await command(reader, writer, "STARTTLS", timeout)
        return code == 220

    return run
