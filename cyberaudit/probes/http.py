"""The probes' one HTTP client (tls, web, mfa): one HTTP/1.1 GET to a given address with a given
Host/SNI, reading the status line and headers, and with `body=N` up to N bytes of the body (bounded in
bytes, lines and time). Never raises: a failure is `Response.error` (the caller records it; an
open endpoint that could not be read is never a pass).

    resp = await fetch("127.0.0.1", 443, "ville.fr", "/", tls=True, timeout=5.0, body=65536)

TLS is the caller's choice (`context`); by default an observation context (`probe_context`: every
version down to TLS 1.0, every suite, no certificate check: the tls family judges those). Redirects are
not followed here (`next_url` resolves a Location for callers that follow them on the same name).
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from ..sanitize import bounded, decode_bytes, mark_control
from .tlsscan.handshake import _reason, close, probe_context

MAX_HEAD = 65536
MAX_HEADERS = 200
USER_AGENT = "Mozilla/5.0 (compatible; cyberaudit; +https://cyberaudit.invalid)"


@dataclass
class Response:
    url: str
    status: int = 0
    headers: list[tuple[str, str]] = field(default_factory=list)  # (lower-case name, value), in order
    error: str | None = None
    body: bytes = b""

    def get(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k == name), None)

    def get_all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k == name]


def _host_header(host: str, port: int, tls: bool) -> str:
    default = 443 if tls else 80
    h = f"[{host}]" if ":" in host else host
    return h if port == default else f"{h}:{port}"


async def fetch(address: str, port: int, host: str, path: str = "/", *, tls: bool, timeout: float,
                sni: bool = True, body: int = 0, any_body: bool = False, context: ssl.SSLContext | None = None,
                user_agent: str = USER_AGENT) -> Response:
    """`body`: bytes of body to read, of a 200 HTML answer only unless `any_body` (any status and type)."""
    url = f"{'https' if tls else 'http'}://{_host_header(host, port, tls)}{path}"
    resp = Response(url)
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(
            address, port, ssl=(context or probe_context()) if tls else None,
            server_hostname=(host if sni else None) if tls else None,
            ssl_handshake_timeout=timeout if tls else None), timeout * (2 if tls else 1))
    except Exception as exc:  # noqa: BLE001
        resp.error = _reason(exc)
        return resp
    try:
        request = (f"GET {path} HTTP/1.1\r\nHost: {_host_header(host, port, tls)}\r\nUser-Agent: {user_agent}\r\n"
                   "Accept: text/html,*/*\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n")
        writer.write(request.encode("ascii", "ignore"))
        await asyncio.wait_for(writer.drain(), timeout)
        head = await _read_head(reader, timeout)
        _parse(resp, head)
        if body and resp.status and (any_body or resp.status == 200
                                     and "html" in (resp.get("content-type") or "text/html").lower()):
            resp.body = await _read_body(reader, head, resp, body, timeout)
    except Exception as exc:  # noqa: BLE001
        resp.error = _reason(exc)
    finally:
        await close(writer)
    return resp


async def _read_head(reader, timeout: float) -> bytes:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    data = b""
    while b"\r\n\r\n" not in data and b"\n\n" not in data and len(data) < MAX_HEAD:
        left = end - loop.time()
        if left <= 0:
            raise TimeoutError
        chunk = await asyncio.wait_for(reader.read(8192), left)
        if not chunk:
            break
        data += chunk
    return data[:MAX_HEAD]


async def _read_body(reader, head: bytes, resp: Response, limit: int, timeout: float) -> bytes:
    """The body after the head (Content-Length, chunked or until close), at most `limit` bytes."""
    sep = b"\r\n\r\n" if b"\r\n\r\n" in head else b"\n\n"
    data = head.split(sep, 1)[1] if sep in head else b""
    length = resp.get("content-length")
    want = min(limit, int(length)) if length and length.isdigit() else limit
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    with contextlib.suppress(TimeoutError, OSError):
        while len(data) < want:
            left = end - loop.time()
            if left <= 0:
                break
            chunk = await asyncio.wait_for(reader.read(65536), left)
            if not chunk:
                break
            data += chunk
    if "chunked" in (resp.get("transfer-encoding") or "").lower():
        data = _dechunk(data)
    return data[:want]


def _dechunk(data: bytes) -> bytes:
    out, pos = bytearray(), 0
    while pos < len(data):
        line_end = data.find(b"\r\n", pos)
        if line_end < 0:
            break
        try:
            size = int(data[pos:line_end].split(b";", 1)[0].strip() or b"0", 16)
        except ValueError:
            break
        if size == 0:
            break
        out += data[line_end + 2:line_end + 2 + size]
        pos = line_end + 2 + size + 2
    return bytes(out)


def _parse(resp: Response, head: bytes) -> None:
    text = decode_bytes(head)
    lines = text.replace("\r\n", "\n").split("\n\n", 1)[0].split("\n")
    first = lines[0].split(" ", 2) if lines else []
    if len(first) < 2 or not first[0].startswith("HTTP/") or not first[1].isdigit():
        resp.error = "not an HTTP answer"
        return
    resp.status = int(first[1])
    for line in lines[1:MAX_HEADERS + 1]:
        name, sep, value = line.partition(":")
        if sep and name.strip():
            # values keep their control characters visible (as U+FFFD): the judges must see them
            resp.headers.append((bounded(name.strip().lower(), 100), mark_control(value.strip(), 2000)))


def next_url(current: str, location: str) -> tuple[str, str, int, str] | None:
    """Resolve a Location header: (scheme, host, port, path) or None when unusable."""
    try:
        url = urlsplit(urljoin(current, location.strip()))
        port = url.port or (443 if url.scheme == "https" else 80)
    except ValueError:
        return None
    if url.scheme not in ("http", "https") or not url.hostname:
        return None
    path = (url.path or "/") + (f"?{url.query}" if url.query else "")
    return url.scheme, url.hostname.lower().rstrip("."), port, path

