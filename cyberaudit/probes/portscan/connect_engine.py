"""Built-in asyncio TCP connect scanner (used when nmap is not installed) and banner grabbing.

A completed handshake = open, a refusal = closed, no answer within the timeout =
filtered. UDP cannot be judged this way: UDP ports are reported as not tested.
"""

from __future__ import annotations

import asyncio
import ipaddress
from typing import Any

from ...sanitize import bounded, decode_bytes

MAX_HOSTS = 256
BANNER_READ = 512  # bytes read at most
BANNER_KEEP = 160  # characters kept in the evidence


def expand(targets: list[str]) -> list[str]:
    """Addresses of IPs and CIDR blocks (every address of a block, as nmap does; bounded)."""
    out: list[str] = []
    for tg in targets:
        net = ipaddress.ip_network(tg, strict=False)
        if net.num_addresses > MAX_HOSTS:
            raise ValueError(f"more than {MAX_HOSTS} addresses")
        out.extend(str(h) for h in net)
        if len(out) > MAX_HOSTS:
            raise ValueError(f"more than {MAX_HOSTS} addresses")
    return out


async def probe(address: str, port: int, timeout: float) -> str:
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(address, port), timeout)
    except ConnectionRefusedError:
        return "closed"
    except (TimeoutError, OSError):
        return "filtered"
    writer.transport.abort()
    return "open"


async def scan(targets: list[str], tcp: list[int], udp: list[int], *, timeout: float = 3.0,
               concurrency: int = 256) -> dict[str, Any]:
    """Same result shape as nmap_engine.scan."""
    addresses = expand(targets)
    sem = asyncio.Semaphore(concurrency)

    async def one(address: str, port: int) -> tuple[str, int, str]:
        async with sem:
            return address, port, await probe(address, port, timeout)

    results = await asyncio.gather(*(one(a, p) for a in addresses for p in tcp))
    hosts: dict[str, Any] = {a: {"timed_out": False, "ports": []} for a in addresses}
    for address, port, state in results:
        hosts[address]["ports"].append({"port": port, "protocol": "tcp", "state": state, "service": None})
    return {"hosts": hosts, "scan_type": "connect", "not_tested": [f"udp/{p}" for p in udp]}


async def grab_banner(address: str, port: int, timeout: float = 1.5) -> str | None:
    """What a server says first (SSH, FTP, Telnet, SMTP, MySQL, VNC...), cleaned and bounded."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(address, port), timeout)
    except (TimeoutError, OSError):
        return None
    try:
        raw = await asyncio.wait_for(reader.read(BANNER_READ), timeout)
    except (TimeoutError, OSError):
        raw = b""
    finally:
        writer.transport.abort()
    text = bounded(decode_bytes(raw[:BANNER_READ]).replace("\ufffd", ""), BANNER_KEEP).strip()
    return text or None
