"""Turn a Target into the addresses to scan (domains resolved through the scan's one DNS client)."""

from __future__ import annotations

import ipaddress

MAX_ADDRESSES = 8  # per domain name


def literal(name: str) -> bool:
    try:
        ipaddress.ip_network(name, strict=False)
    except ValueError:
        return False
    return True


async def resolve(name: str, net) -> tuple[list[str], str | None]:
    """(addresses, error). An IP or CIDR is returned as is; a name gets its A and AAAA records
    (at most MAX_ADDRESSES) through the scan's one DNS client. error: "nxdomain", "no-address" or
    the failure ("timeout", ...)."""
    if literal(name):
        return [name], None
    from ..resolver.client import client_for
    from ..tlsscan.resolve import lookup

    found, status = await lookup(client_for(net), name)
    if found:
        return found[:MAX_ADDRESSES], None
    return [], {"nxdomain": "nxdomain", "nodata": "no-address"}.get(status, status)
