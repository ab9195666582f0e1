"""TLS family: HTTPS of every web name of a target, and STARTTLS of every MX of a domain.

Each connection goes to the address resolved through `one DNS client` (`--nameserver`, referrals followed), with SNI set
to the name. Judging happens in `cyberaudit.checks.tls`, `tls_cert` and `tls_mail`.
"""

from __future__ import annotations

import asyncio
import datetime as dt

from ..checks.tls import HTTPS, judge_available, judge_ciphers, judge_protocols, judge_renegotiation
from ..checks.tls_cert import judge_cert
from ..checks.tls_mail import STARTTLS, judge_starttls
from ..model import Finding, Text
from . import Target
from .net import Net
from .resolver.client import client_for
from .tlsscan.certinfo import describe_chain
from .tlsscan.http import fetch
from .tlsscan.resolve import addresses, has_record, is_ip, mx_hosts, web_names
from .tlsscan.scanner import observe_endpoint
from .tlsscan.smtp import starttls_probe


def _ports(net: Net) -> tuple[int, int, int]:
    opts = net.options or {}
    return int(opts.get("https_port", 443)), int(opts.get("http_port", 80)), int(opts.get("smtp_port", 25))


async def scan(target: Target, net: Net) -> list[Finding]:
    if target.kind == "host" and "/" in target.name:
        return [HTTPS.finding("info", target=target.name, detail=Text(
            fr="Bloc d'adresses : lister les hôtes web un par un pour tester TLS.",
            en="Address block: list web hosts one by one to test TLS."))]
    resolver = client_for(net)
    now = dt.datetime.now(dt.UTC)
    jobs = [web_name(name, resolver, net, now, explicit=name in target.web_names or target.kind == "host")
            for name in web_names(target)]
    if target.kind == "domain":
        jobs.append(mail_hosts(target.name, resolver, net, now))
    found: list[Finding] = []
    for chunk in await asyncio.gather(*jobs):
        found.extend(chunk)
    return found


async def web_name(name: str, resolver, net: Net, now: dt.datetime, *, explicit: bool) -> list[Finding]:
    https_port, http_port, _ = _ports(net)
    addrs, err = await addresses(resolver, name, net.timeout)
    if not addrs:
        if err:
            return [HTTPS.finding("error", target=name, evidence={"reason": err})]
        if not explicit:
            return []  # apex or www. without an address: no web site there, nothing to judge
        return [HTTPS.finding("error", target=name, evidence={"reason": "no address"}, detail=Text(
            fr="Ce nom n'a pas d'adresse IP.", en="This name has no IP address."))]
    address = addrs[0]
    sni = None if is_ip(name) else name
    obs = await observe_endpoint(address, https_port, sni, timeout=net.timeout,
                                 ca_bundle=str(net.ca_bundle) if net.ca_bundle else None)
    if len(addrs) > 1:
        obs["other_addresses"] = addrs[1:]
    http_open, location = None, None
    if not obs["available"]:
        resp = await fetch(address, http_port, name, "/", tls=False, timeout=net.timeout)
        http_open = resp.status > 0
        if resp.status in (301, 302, 303, 307, 308) and (resp.get("location") or "").lower().startswith("https://"):
            location = resp.get("location")[:300]
    if not obs["available"] and not http_open and not obs.get("plain_http") and not explicit \
            and obs.get("error") == "connection refused":
        return []  # no web server at all on this implicit name
    out = [judge_available(name, obs, http_open, https_redirect=location)]
    if not obs["available"]:
        return out
    out += judge_protocols(name, obs)
    out.append(judge_ciphers(name, obs))
    reneg = judge_renegotiation(name, obs)
    if reneg is not None:
        out.append(reneg)
    out += judge_cert(name, name, obs, now)
    return out


async def mail_hosts(domain: str, resolver, net: Net, now: dt.datetime) -> list[Finding]:
    """STARTTLS on every MX: one connection per distinct MX address (reused for every MX name on it),
    distinct addresses probed concurrently, at most 4 at a time."""
    _, _, smtp_port = _ports(net)
    hosts, err = await mx_hosts(resolver, domain, net.timeout)
    if err:
        return [STARTTLS.finding("error", target=domain, evidence={"reason": err})]
    hosts = list(dict.fromkeys(hosts))[:10]
    if not hosts:
        return []
    resolved = await asyncio.gather(*(addresses(resolver, mx, net.timeout) for mx in hosts))
    dane = await asyncio.gather(*(has_record(resolver, f"_{smtp_port}._tcp.{mx}", "TLSA", net.timeout)
                                  for mx in hosts))
    mta_sts = await has_record(resolver, f"_mta-sts.{domain}", "TXT", net.timeout)
    first_name = {}
    for mx, (addrs, _) in zip(hosts, resolved, strict=True):
        if addrs:
            first_name.setdefault(addrs[0], mx)
    sem = asyncio.Semaphore(4)
    ca = str(net.ca_bundle) if net.ca_bundle else None

    async def probe(address: str, mx: str) -> dict:
        async with sem:
            obs = await starttls_probe(address, smtp_port, mx, timeout=net.timeout,
                                       ehlo_name=(net.options or {}).get("ehlo_name", "cyberaudit.invalid"))
        chain = obs.pop("chain_der", [])
        if chain:
            obs["certificates"], obs["trust"] = describe_chain(chain, mx, ca)
        return obs

    done = dict(zip(first_name, await asyncio.gather(*(probe(a, mx) for a, mx in first_name.items())), strict=True))
    out: list[Finding] = []
    for mx, (addrs, aerr), tlsa in zip(hosts, resolved, dane, strict=True):
        if not addrs:
            out.append(STARTTLS.finding("error", target=mx, evidence={"reason": aerr or "no address"}))
            continue
        out.append(judge_starttls(mx, done[addrs[0]], now, binding={"mta_sts": mta_sts, "dane": tlsa}))
    return out
