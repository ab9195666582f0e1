"""Is the server's certificate revoked? Stapled OCSP, then the OCSP responder, then the CRL (network half).

    rev = await revocation(chain_der, stapled, net)   # {"status": good|revoked|unknown|error|none, "source", ...}

Order (as sslyze and testssl.sh read them): the OCSP response stapled in a TLS 1.2 handshake
(`stapled_response`), else a POST to each OCSP responder of the AIA extension, else each CRL distribution
point. Every request is bounded by `--timeout` (connect, then the whole read) and in size; names resolve
through the scan's resolver (`--nameserver`), https URLs are verified with the system store plus
`--ca-bundle`, as is the issuer looked up when the server does not send it. A responder that cannot be
reached, or an answer that cannot be trusted, is `error` with its reason, never "good".
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ssl
from urllib.parse import urlsplit

from cryptography import x509

from ..resolver.client import client_for
from ..streams import read_within
from .classes import TLS12, all_pre13_suites
from .clienthello import client_hello
from .handshake import _reason, close, connect, drain
from .kexprobe import read_flight
from .ocsp_crl import crl_status, find_issuer, ocsp_request, ocsp_status, pointers
from .resolve import addresses, is_ip

CERTIFICATE_STATUS = 22
MAX_OCSP = 65536
MAX_CRL = 4 * 1024 * 1024


async def stapled_response(address: str, port: int, name: str | None, *, timeout: float, preamble=None) -> dict:
    """{"stapled": DER bytes} | {"stapled": None} (no staple) | {"error": reason}, from a TLS 1.2 hello."""
    try:
        reader, writer = await connect(address, port, timeout)
    except Exception as exc:  # noqa: BLE001 - every failure becomes an outcome
        return {"error": _reason(exc)}
    try:
        if preamble is not None and not await preamble(reader, writer):
            return {"error": "starttls refused"}
        writer.write(client_hello(TLS12, all_pre13_suites(), name, status_request=True))
        await drain(writer, timeout)
        _, flight = await read_flight(reader, timeout)
    except Exception as exc:  # noqa: BLE001
        return {"error": _reason(exc)}
    finally:
        await close(writer)
    body = flight.messages.get(CERTIFICATE_STATUS)
    if body is None or len(body) < 4 or body[0] != 1:
        return {"stapled": None}
    size = int.from_bytes(body[1:4], "big")
    return {"stapled": body[4:4 + size]}


async def http_fetch(url: str, net, *, body: bytes | None = None, limit: int) -> tuple[bytes | None, str | None]:
    """(body, None) for a 200 answer, else (None, reason). POST when `body` is given (OCSP, RFC 6960 A.1)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None, f"unsupported URL {url[:80]!r}"
    host, tls = parts.hostname, parts.scheme == "https"
    try:
        port = parts.port or (443 if tls else 80)
    except ValueError:
        return None, "bad port in URL"
    addrs, err = await addresses(client_for(net), host, net.timeout)
    if not addrs:
        return None, f"{host}: {err or 'no address'}"
    ctx = net.ssl_context() if tls else None
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(
            addrs[0], port, ssl=ctx, server_hostname=(host if tls and not is_ip(host) else None)),
            net.timeout * (2 if tls else 1))
    except ssl.SSLCertVerificationError as exc:
        return None, f"certificate of {host}: {exc.verify_message}"[:160]
    except Exception as exc:  # noqa: BLE001
        return None, f"{host}: {_reason(exc)}"
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    head = f"{'POST' if body is not None else 'GET'} {path} HTTP/1.0\r\nHost: {parts.netloc}\r\n" \
           "User-Agent: cyberaudit\r\nConnection: close\r\n"
    if body is not None:
        head += f"Content-Type: application/ocsp-request\r\nContent-Length: {len(body)}\r\n"
    try:
        writer.write(head.encode("ascii", "ignore") + b"\r\n" + (body or b""))
        await asyncio.wait_for(writer.drain(), net.timeout)
        raw = await read_within(reader, net.timeout, limit + 16384)
    except Exception as exc:  # noqa: BLE001
        return None, f"{host}: {_reason(exc)}"
    finally:
        await close(writer)
    header, sep, payload = raw.partition(b"\r\n\r\n")
    status = header.split(b"\r\n", 1)[0].split()
    if not sep or len(status) < 2 or status[1] != b"200":
        return None, f"{host}: HTTP {status[1][:3].decode('latin-1') if len(status) > 1 else '?'}"
    if len(payload) > limit:
        return None, f"{host}: answer larger than {limit} bytes"
    return payload, None


def _load(chain_der: list[bytes]) -> list[x509.Certificate]:
    out = []
    for der in chain_der[:10]:
        try:
            out.append(x509.load_der_x509_certificate(der))
        except ValueError:
            break
    return out


async def revocation(chain_der: list[bytes], stapled: dict | None, net, store_certs: list[x509.Certificate],
                     now: dt.datetime | None = None) -> dict:
    """Revocation status of chain_der[0]; `store_certs`: trusted roots (system store + --ca-bundle)."""
    now = now or dt.datetime.now(dt.UTC)
    certs = _load(chain_der)
    if not certs:
        return {"status": "error", "reason": "no certificate"}
    leaf = certs[0]
    urls = pointers(leaf)
    out: dict = {"ocsp_urls": urls["ocsp"], "crl_urls": urls["crl"], "attempts": []}
    issuer = find_issuer(leaf, certs[1:] + store_certs)
    if stapled and stapled.get("stapled"):
        if issuer is None:
            out["attempts"].append("stapled: issuer certificate not found")
        else:
            res = ocsp_status(stapled["stapled"], leaf, issuer, now)
            if res["status"] in ("good", "revoked"):
                return {**out, **res, "source": "stapled OCSP"}
            out["attempts"].append(f"stapled: {res.get('reason')}")
    if not urls["ocsp"] and not urls["crl"]:
        return {**out, "status": "none", "reason": "no OCSP responder and no CRL distribution point"}
    if issuer is None:
        return {**out, "status": "error", "reason": "issuer certificate not found (chain incomplete?)"}
    unknown = None
    for url in urls["ocsp"]:
        data, why = await http_fetch(url, net, body=ocsp_request(leaf, issuer), limit=MAX_OCSP)
        res = ocsp_status(data, leaf, issuer, now) if data is not None else {"status": "error", "reason": why}
        if res["status"] in ("good", "revoked"):
            return {**out, **res, "source": "OCSP", "url": url}
        unknown = unknown or (res if res["status"] == "unknown" else None)
        out["attempts"].append(f"OCSP {url}: {res.get('reason')}")
    for url in urls["crl"]:
        data, why = await http_fetch(url, net, limit=MAX_CRL)
        res = crl_status(data, leaf, issuer, now) if data is not None else {"status": "error", "reason": why}
        if res["status"] in ("good", "revoked"):
            return {**out, **res, "source": "CRL", "url": url}
        out["attempts"].append(f"CRL {url}: {res.get('reason')}")
    if unknown is not None:
        return {**out, **unknown, "source": "OCSP"}
    return {**out, "status": "error", "reason": "; ".join(out["attempts"])[:400]}
