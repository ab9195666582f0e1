"""Names to test and their addresses, through the scan's resolver (`--nameserver`)."""

from __future__ import annotations

import asyncio
import ipaddress

import dns.asyncresolver
import dns.exception
import dns.resolver


def web_names(target) -> list[str]:
    """Web host names of a target: a domain, `www.` + domain and `target.web_names`; a host: itself."""
    if target.kind != "domain":
        return [target.name]
    names = [target.name, f"www.{target.name}", *target.web_names]
    return list(dict.fromkeys(n.lower().rstrip(".") for n in names))


def is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


async def addresses(resolver: dns.asyncresolver.Resolver, name: str, timeout: float) -> tuple[list[str], str | None]:
    """(addresses, error). IPv4 first. error is None when the name simply has no address."""
    if is_ip(name):
        return [name], None
    out: list[str] = []
    error = None
    for rdtype in ("A", "AAAA"):
        try:
            ans = await asyncio.wait_for(resolver.resolve(name, rdtype, raise_on_no_answer=False), timeout * 3)
            out += sorted(r.address for r in ans) if ans.rrset else []
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            continue
        except (dns.exception.DNSException, TimeoutError, OSError) as exc:
            error = f"DNS: {exc.__class__.__name__}"
    return out, (error if not out else None)


async def mx_hosts(resolver, domain: str, timeout: float) -> tuple[list[str], str | None]:
    try:
        ans = await asyncio.wait_for(resolver.resolve(domain, "MX", raise_on_no_answer=False), timeout * 3)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return [], None
    except (dns.exception.DNSException, TimeoutError, OSError) as exc:
        return [], f"DNS: {exc.__class__.__name__}"
    if not ans.rrset:
        return [], None
    hosts = sorted((r.preference, r.exchange.to_text(omit_final_dot=True).lower()) for r in ans)
    return [h for _, h in hosts if h and h != "."], None


async def has_record(resolver, name: str, rdtype: str, timeout: float) -> bool:
    try:
        ans = await asyncio.wait_for(resolver.resolve(name, rdtype, raise_on_no_answer=False), timeout * 3)
    except (dns.exception.DNSException, TimeoutError, OSError):
        return False
    return bool(ans.rrset)
