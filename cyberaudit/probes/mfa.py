"""`mfa` family: remote-access and login surfaces that need multi-factor authentication.

On each declared name of an authorised target: which candidate ports accept a TCP
connection, then the login pages of data/mfa_portals.yaml on the open HTTP(S) ones
(bounded reads, no redirect followed, certificates not judged here), the SSH
authentication methods when port 22 is open, an open RDP port; on a domain, the cloud
suites its DNS points to. `checks/mfa.py` judges the observation.
"""

from __future__ import annotations

import asyncio
import ssl
from typing import Any

from .. import __version__
from ..checks.mfa import BODY_LIMIT, cloud_suites, match, portals_for, requests_plan
from ..sanitize import decode_bytes
from . import Target, http
from .net import Net
from .portscan import EngineError, connect_engine, ssh_auth
from .portscan.targets import literal, resolve
from .tlsscan.handshake import probe_context

SSH_PORT, RDP_PORT = 22, 3389
MAX_PARALLEL_REQUESTS = 8
MAX_PARALLEL_HOSTS = 16  # a CIDR block is probed a few addresses at a time


async def _hosts(target: Target, net: Net) -> tuple[list[tuple[str, str]], str | None]:
    """(display name, address) pairs to probe: only the names whose own entry authorises mfa."""
    allowed = target.active_names("mfa")
    if literal(target.name):
        return ([(a, a) for a in connect_engine.expand([target.name])] if target.name in allowed else []), None
    out, hard, soft = [], [], []
    for name in allowed:
        addresses, error = await resolve(name, net)
        if addresses:
            out.append((name, addresses[0]))
        else:
            (soft if error in ("nxdomain", "no-address") else hard).append(f"{name}: {error}")
    # a zone apex without an address is normal; a declared host without one, or a DNS failure, is not
    errors = hard or (soft if target.kind == "host" else [])
    return out, ("resolution: " + "; ".join(errors) if errors else None)


def _url(scheme: str, host: str, port: int, path: str) -> str:
    if ":" in host:
        host = f"[{host}]"
    default = (scheme == "https" and port == 443) or (scheme == "http" and port == 80)
    return f"{scheme}://{host}{'' if default else f':{port}'}{path}"


MAX_FETCH_ERRORS = 20  # kept in the observation, per target
USER_AGENT = f"cyberaudit/{__version__} (authorised audit)"


async def fetch(ctx: ssl.SSLContext, scheme: str, name: str, address: str, port: int, path: str,
                timeout: float) -> tuple[int, dict[str, str], str] | str:
    """GET one page through the probes' one HTTP client: (status, lowercase headers, body text of at most
    BODY_LIMIT bytes), or the reason it could not be read (a string). `ctx`: the TLS the probe allows."""
    try:
        resp = await asyncio.wait_for(http.fetch(
            address, port, name, path, tls=scheme == "https", timeout=timeout, sni=not literal(name),
            body=BODY_LIMIT, any_body=True, context=ctx, user_agent=USER_AGENT), timeout * 3)
    except TimeoutError:
        return "timeout"
    if resp.error:
        return resp.error
    headers: dict[str, str] = {}
    for key, value in resp.headers:
        headers.setdefault(key, value[:1000])
    return resp.status, headers, decode_bytes(resp.body[:BODY_LIMIT])


async def _probe_host(name: str, address: str, net: Net, ctx: ssl.SSLContext, obs: dict[str, Any]) -> None:
    plan = requests_plan()
    ports = sorted({port for _, port in plan} | {SSH_PORT, RDP_PORT})
    timeout = min(net.timeout, 3.0)
    states = await asyncio.gather(*(connect_engine.probe(address, p, timeout) for p in ports))
    open_ports = {p for p, s in zip(ports, states, strict=True) if s == "open"}
    obs["endpoints_open"].extend(f"{name}:{p}" for p in sorted(open_ports))
    sem = asyncio.Semaphore(MAX_PARALLEL_REQUESTS)
    seen: set[str] = set()

    async def page(scheme: str, port: int, path: str) -> None:
        async with sem:
            got = await fetch(ctx, scheme, name, address, port, path, net.timeout)
        if isinstance(got, str):
            errors = obs.setdefault("fetch_errors", [])
            if len(errors) < MAX_FETCH_ERRORS:
                errors.append({"url": _url(scheme, name, port, path), "address": address, "error": got})
            return
        status, headers, body = got
        for portal in portals_for(scheme, port, path):
            markers = match(portal, status, headers, body)
            if markers is None or portal.id in seen:
                continue
            seen.add(portal.id)
            obs["surfaces"].append({"kind": portal.kind, "product": portal.product, "id": portal.id,
                                    "url": _url(scheme, name, port, path), "host": name, "address": address,
                                    "status": status, "markers": markers})

    jobs = [page(scheme, port, path) for (scheme, port), paths in plan.items() if port in open_ports
            for path in paths]
    if SSH_PORT in open_ports:
        jobs.append(_ssh(name, address, net, obs))
    if RDP_PORT in open_ports:
        obs["rdp"].append({"host": name, "address": address, "port": RDP_PORT})
    await asyncio.gather(*jobs)


async def _ssh(name: str, address: str, net: Net, obs: dict[str, Any]) -> None:
    entry: dict[str, Any] = {"host": name, "address": address, "port": SSH_PORT}
    try:
        methods, engine = await ssh_auth.auth_methods(address, SSH_PORT, timeout=max(5.0, net.timeout * 2),
                                                      engine=(net.options or {}).get("ssh_engine"))
        entry.update(methods=methods, engine=engine)
        if methods is None:
            entry["error"] = "no-methods-listed"
    except (EngineError, ValueError, OSError) as exc:
        entry.update(methods=None, error=str(exc)[:200])
    obs["ssh"].append(entry)


async def _cloud(domain: str, net: Net, obs: dict[str, Any]) -> None:
    from .resolver.client import client_for

    client = client_for(net)

    async def one(qname: str, rdtype: str) -> list[str]:
        ans = await client.query(qname, rdtype)
        if ans.failed:
            obs["dns_error"] = f"{rdtype} {qname}: {ans.status}"
            return []
        if rdtype == "MX":
            return [r.exchange for r in ans.records]
        if rdtype == "CNAME":
            return [r.target for r in ans.records]
        return [t.decode("utf-8", "replace")[:500] for t in ans.texts()]

    mx, autodiscover, txt = await asyncio.gather(one(domain, "MX"), one(f"autodiscover.{domain}", "CNAME"),
                                                 one(domain, "TXT"))
    answers = {"mx": mx, "autodiscover": autodiscover, "txt": txt}
    obs["cloud"] = cloud_suites(answers["mx"], answers["autodiscover"], answers["txt"])


async def observe(target: Target, net: Net) -> dict[str, Any]:
    obs: dict[str, Any] = {**target.observation(), "authorization": target.authorization,
                           "surfaces": [], "rdp": [], "ssh": [], "cloud": [], "endpoints_open": [],
                           "authorized_entries": target.active_names("mfa")}
    try:
        await _observe(target, net, obs)
    except (ValueError, OSError) as exc:
        obs["error"] = f"{type(exc).__name__}: {exc}"[:300]
    return obs


async def _observe(target: Target, net: Net, obs: dict[str, Any]) -> None:
    cloud = target.kind == "domain" and not literal(target.name)
    if cloud:
        (hosts, error), _ = await asyncio.gather(_hosts(target, net), _cloud(target.name, net, obs))
    else:
        hosts, error = await _hosts(target, net)
    obs["names"] = [n for n, _ in hosts]
    if error:
        obs["resolution_error"] = error
        if not cloud:
            obs["error"] = error
            return
    # login pages are only read, never judged for their TLS here (the tls family does): every version
    # down to TLS 1.0 and every suite, no certificate check (a TLS 1.0-only portal is still found)
    ctx = probe_context()
    sem = asyncio.Semaphore(MAX_PARALLEL_HOSTS)

    async def bounded_host(name: str, address: str) -> None:
        async with sem:
            await _probe_host(name, address, net, ctx, obs)

    await asyncio.gather(*(bounded_host(name, address) for name, address in hosts))


