"""Turn a Target into the addresses to scan (domains resolved through `net.resolver()`)."""

from __future__ import annotations

import asyncio
import ipaddress

MAX_ADDRESSES = 8  # per domain name


def literal(name: str) -> bool:
    try:
        ipaddress.ip_network(name, strict=False)
    except ValueError:
        return False
    return True


async def resolve(name: str, net) -> tuple[list[str], str | None]:
    """(addresses, error). An IP or CIDR is returned as is; a name gets its A and AAAA records."""
    if literal(name):
        return [name], None
    import dns.asyncresolver  # noqa: F401  (dnspython)
    import dns.exception
    import dns.resolver

    resolver = net.resolver()

    async def one(rdtype: str) -> tuple[list[str], str | None]:
        try:
            answer = await resolver.resolve(name, rdtype, raise_on_no_answer=False)
        except dns.resolver.NXDOMAIN:
            return [], "nxdomain"
        except (dns.exception.DNSException, OSError) as exc:
            return [], f"{rdtype}: {type(exc).__name__}"
        return [r.address for r in answer], None

    results = await asyncio.gather(one("A"), one("AAAA"))
    if any(err == "nxdomain" for _, err in results):
        return [], "nxdomain"
    found = [a for addrs, _ in results for a in addrs]
    errors = [err for _, err in results if err]
    found = sorted(set(found), key=lambda a: (ipaddress.ip_address(a).version, ipaddress.ip_address(a)))
    if found:
        return found[:MAX_ADDRESSES], None
    return [], "; ".join(errors) if errors else "no-address"
