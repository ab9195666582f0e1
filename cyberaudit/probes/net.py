"""Network settings handed to every probe (instead of threading them through signatures).

`--nameserver IP[:PORT]` makes every DNS query go to that server (the lab's knot,
or a resolver of the user's choice); `--ca-bundle FILE` adds trusted CAs to the
system store for TLS verification.
"""

from __future__ import annotations

import ipaddress
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def parse_nameserver(value: str) -> tuple[str, int]:
    """`IP`, `IP:PORT`, `[IPv6]:PORT` or bare IPv6 -> (ip, port). Raises ValueError."""
    text = value.strip()
    port = 53
    if text.startswith("["):
        if "]" not in text:
            raise ValueError("expected [IPv6]:PORT")
        host, _, rest = text[1:].partition("]")
        if rest.startswith(":"):
            port = int(rest[1:])
        elif rest:
            raise ValueError("expected [IPv6]:PORT")
    elif text.count(":") == 1:
        host, _, p = text.partition(":")
        port = int(p)
    else:
        host = text
    ip = ipaddress.ip_address(host)
    if not 0 < port < 65536:
        raise ValueError("port out of range")
    return str(ip), port


@dataclass(frozen=True)
class Net:
    nameserver: str | None = None  # IP address; None = system resolver
    port: int = 53
    ca_bundle: Path | None = None
    timeout: float = 5.0  # per network operation (query, connect, handshake, read)
    deadline: float = 120.0  # per target and family
    concurrency: int = 64  # simultaneous targets
    retries: int = 2  # UDP retries before giving up on a DNS query
    options: dict[str, Any] = field(default_factory=dict)  # family options (ports list, syn, ...)

    def ssl_context(self, *, verify: bool = True) -> ssl.SSLContext:
        """Client context trusting the system store plus --ca-bundle."""
        ctx = ssl.create_default_context()
        if self.ca_bundle:
            ctx.load_verify_locations(cafile=str(self.ca_bundle))
        if not verify:
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        return ctx
