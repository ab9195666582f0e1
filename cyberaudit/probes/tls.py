"""TLS family: HTTPS of every web name of a target, and STARTTLS of every MX of a domain.

Each connection goes to the address resolved through `net.resolver()` (`--nameserver`), with SNI set
to the name. Judging happens in `cyberaudit.checks.tls`, `tls_cert` and `tls_mail`.
"""

from __future__ import annotations

import asyncio
import datetime as dt

from ..checks.tls import HTTPS, judge_available, judge_ciphers, judge_protocols
from ..checks.tls_cert import judge_cert
from ..checks.tls_mail import STARTTLS, judge_starttls
from ..model import Finding, Text
from ..net import Net
from ..tlsscan.certinfo import describe_chain
from ..tlsscan.http import fetch
from ..tlsscan.resolve import addresses, has_record, is_ip, mx_hosts, web_names
from ..tlsscan.scanner import observe_endpoint
from ..tlsscan.smtp import starttls_probe
from . import Target


def _ports(net: Net) -> tuple[int, int, int]:
    opts = net.options or {}
    return int(opts.get("https_port", 443)), int(opts.get("http_port", 80)), int(opts.get("smtp_port", 25))


async def scan(target: Target, net: Net) -> list[Finding]:
    if target.kind == "host" and "/" in target.name:
        return [HTTPS.finding("info", target=target.name, detail=Text(
            fr="Bloc d'adresses : lister les hôtes web un par un pour tester TLS.",
            en="Address block: list web hosts one by one to test TLS."))]
    resolver = net.resolver()
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
    http_open = None
    if not obs["available"]:
        http_open = (await fetch(address, http_port, name, "/", tls=False, timeout=net.timeout)).status > 0
    if not obs["available"] and not http_open and not obs.get("plain_http") and not explicit \
            and obs.get("error") == "connection refused":
        return []  # no web server at all on this implicit name
    out = [judge_available(name, obs, http_open)]
    if not obs["available"]:
        return out
    out += judge_protocols(name, obs)
    out.append(judge_ciphers(name, obs))
    out += judge_cert(name, name, obs, now)
    return out


async def mail_hosts(domain: str, resolver, net: Net, now: dt.datetime) -> list[Finding]:
    _, _, smtp_port = _ports(net)
    hosts, err = await mx_hosts(resolver, domain, net.timeout)
    if err:
        return [STARTTLS.finding("error", target=domain, evidence={"reason": err})]
    mta_sts = await has_record(resolver, f"_mta-sts.{domain}", "TXT", net.timeout) if hosts else False
    done: dict[str, dict] = {}  # one connection per MX address, reused for every MX name on it
    out: list[Finding] = []
    for mx in hosts[:10]:
        addrs, aerr = await addresses(resolver, mx, net.timeout)
        if not addrs:
            out.append(STARTTLS.finding("error", target=mx, evidence={"reason": aerr or "no address"}))
            continue
        address = addrs[0]
        if address not in done:
            obs = await starttls_probe(address, smtp_port, mx, timeout=net.timeout,
                                       ehlo_name=(net.options or {}).get("ehlo_name", "cyberaudit.invalid"))
            chain = obs.pop("chain_der", [])
            if chain:
                obs["certificates"], obs["trust"] = describe_chain(
                    chain, mx, str(net.ca_bundle) if net.ca_bundle else None)
            done[address] = obs
        dane = await has_record(resolver, f"_{smtp_port}._tcp.{mx}", "TLSA", net.timeout)
        out.append(judge_starttls(mx, done[address], now, binding={"mta_sts": mta_sts, "dane": dane}))
    return out
