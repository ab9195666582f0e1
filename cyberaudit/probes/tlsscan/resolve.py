"""Names to test and their addresses, through the scan's one DNS client (`resolver/client.py`).

Every family resolves the same way: referrals from an authoritative `--nameserver` are followed,
answers are shared through the client's cache, and "could not resolve" (an error) stays distinct
from "does not exist" or "has no address" (no error).
"""

from __future__ import annotations

import asyncio
import ipaddress

from ..resolver.client import DnsClient


def web_names(target) -> list[str]:
    """Web host names of a target: a domain, `www.` + domain and `target.web_names`; a host: itself."""
    if target.kind != "domain":
        return [target.name]
    names = [target.name, f"www.{target.name}", *target.web_names]
    return list(dict.fromkeys(n.lower().rstrip(".") for n in names))


def web_targets(target) -> list[tuple[str, bool]]:
    """(web name, explicit) pairs: explicit = declared (a host, or one of `target.web_names`), not guessed
    (the apex or `www.` of a domain, which may simply have no web site)."""
    declared = set(target.web_names) | ({target.name} if target.kind != "domain" else set())
    return [(n, n in declared) for n in web_names(target)]


def is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


async def lookup(client: DnsClient, name: str) -> tuple[list[str], str]:
    """(addresses, status): IPv4 first; status "ok", "nxdomain", "nodata" or a failure ("timeout", ...)."""
    if is_ip(name):
        return [name], "ok"
    a, aaaa = await asyncio.gather(client.query(name, "A"), client.query(name, "AAAA"))
    found = sorted({r.address for r in a.records}, key=ipaddress.ip_address) + \
        sorted({r.address for r in aaaa.records}, key=ipaddress.ip_address)
    if found:
        return found, "ok"
    failed = [x.status for x in (a, aaaa) if x.failed]
    if failed:
        return [], failed[0]
    return [], "nxdomain" if "nxdomain" in (a.status, aaaa.status) else "nodata"


async def addresses(client: DnsClient, name: str, timeout: float | None = None) -> tuple[list[str], str | None]:
    """(addresses, error). IPv4 first. error is None when the name simply has no address."""
    found, status = await lookup(client, name)
    if found or status in ("nxdomain", "nodata"):
        return found, None
    return [], f"DNS: {status}"


async def mx_hosts(client: DnsClient, domain: str, timeout: float | None = None) -> tuple[list[str], str | None]:
    ans = await client.query(domain, "MX")
    if ans.failed:
        return [], f"DNS: {ans.status}"
    hosts = sorted((r.preference, r.exchange) for r in ans.records)
    return [h for _, h in hosts if h and h != "."], None


async def has_record(client: DnsClient, name: str, rdtype: str, timeout: float | None = None) -> bool | None:
    """True/False; None when the lookup failed (unknown: never read as "absent")."""
    ans = await client.query(name, rdtype)
    if ans.failed:
        return None
    return bool(ans.records)
