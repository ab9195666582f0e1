"""TLS family: HTTPS of every web name of a target, and STARTTLS of every MX of a domain.

Each connection goes to the address resolved through `one DNS client` (`--nameserver`, referrals followed), with SNI set
to the name. Judging happens in `cyberaudit.checks.tls`, `tls_cert` and `tls_mail`.
"""

from __future__ import annotations

import asyncio
import datetime as dt

from ..checks.per_address import MAX_ADDRESSES, merge_by_address
from ..checks.tls import HTTPS, judge_available, judge_ciphers, judge_protocols, judge_renegotiation
from ..checks.tls_cert import judge_cert
from ..checks.tls_kex import judge_kex
from ..checks.tls_mail import STARTTLS, judge_starttls
from ..checks.tls_revocation import judge_revocation
from ..model import Finding, Text
from . import Target
from .net import Net
from .resolver.client import client_for
from .tlsscan.certinfo import describe_chain, store_certificates
from .tlsscan.handshake import FullHandshake
from .tlsscan.http import fetch
from .tlsscan.resolve import addresses, has_record, is_ip, mx_hosts, web_names
from .tlsscan.revocation import revocation, stapled_response
from .tlsscan.scanner import observe_endpoint
from .tlsscan.smtp import smtp_preamble, starttls_probe


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
    """HTTPS of one name on every one of its addresses (at most MAX_ADDRESSES), merged per check."""
    addrs, err = await addresses(resolver, name, net.timeout)
    if not addrs:
        if err:
            return [HTTPS.finding("error", target=name, evidence={"reason": err})]
        if not explicit:
            return []  # apex or www. without an address: no web site there, nothing to judge
        return [HTTPS.finding("error", target=name, evidence={"reason": "no address"}, detail=Text(
            fr="Ce nom n'a pas d'adresse IP.", en="This name has no IP address."))]
    tested = addrs[:MAX_ADDRESSES]
    results = await asyncio.gather(*(web_address(name, a, net, now, explicit=explicit) for a in tested))
    per_address = {a: r for a, r in zip(tested, results, strict=True) if r}
    if not per_address:
        return []
    merged = merge_by_address(per_address)
    if len(addrs) > len(tested):
        for f in merged:
            f.evidence["untested_addresses"] = addrs[len(tested):]
    return merged


async def web_address(name: str, address: str, net: Net, now: dt.datetime, *, explicit: bool) -> list[Finding]:
    """Every TLS finding of `name` served at `address` ([] when nothing listens on this implicit name)."""
    https_port, http_port, _ = _ports(net)
    sni = None if is_ip(name) else name
    obs = await observe_endpoint(address, https_port, sni, timeout=net.timeout,
                                 ca_bundle=str(net.ca_bundle) if net.ca_bundle else None)
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
    kex = judge_kex(name, obs)
    if kex is not None:
        out.append(kex)
    out += judge_cert(name, name, obs, now)
    chain = obs.pop("chain_der", [])
    if chain:
        out.append(judge_revocation(name, await check_revocation(address, https_port, sni, obs, chain, net)))
    return out


async def check_revocation(address: str, port: int, sni: str | None, obs: dict, chain: list[bytes], net: Net,
                           preamble=None) -> dict:
    """Stapled OCSP (when TLS 1.2 is accepted), then the OCSP responder, then the CRL."""
    stapled = None
    if (obs.get("protocols") or {}).get("TLSv1.2") == "accepted":
        stapled = await stapled_response(address, port, sni, timeout=net.timeout, preamble=preamble)
    ca = str(net.ca_bundle) if net.ca_bundle else None
    return await revocation(chain, stapled, net, list(store_certificates(ca)))


async def mail_hosts(domain: str, resolver, net: Net, now: dt.datetime) -> list[Finding]:
    """STARTTLS on every address of every MX (at most MAX_ADDRESSES per name): each distinct address is
    probed once (STARTTLS handshake, then the protocol versions and weak suite classes it accepts) and
    reused for every MX name on it; at most 4 addresses at a time."""
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
    first_name: dict[str, str] = {}
    for mx, (addrs, _) in zip(hosts, resolved, strict=True):
        for a in addrs[:MAX_ADDRESSES]:
            first_name.setdefault(a, mx)
    sem = asyncio.Semaphore(4)

    async def probe(address: str, mx: str) -> dict:
        async with sem:
            return await smtp_address(address, smtp_port, mx, net)

    done = dict(zip(first_name, await asyncio.gather(*(probe(a, mx) for a, mx in first_name.items())), strict=True))
    out: list[Finding] = []
    for mx, (addrs, aerr), tlsa in zip(hosts, resolved, dane, strict=True):
        if not addrs:
            out.append(STARTTLS.finding("error", target=mx, evidence={"reason": aerr or "no address"}))
            continue
        binding = {"mta_sts": mta_sts, "dane": tlsa}
        out += merge_by_address({a: [judge_starttls(mx, done[a], now, binding=binding)]
                                 for a in addrs[:MAX_ADDRESSES]})
    return out


async def smtp_address(address: str, port: int, mx: str, net: Net) -> dict:
    """STARTTLS observation of one MX address, with the versions and weak classes it accepts."""
    ehlo = (net.options or {}).get("ehlo_name", "cyberaudit.invalid")
    ca = str(net.ca_bundle) if net.ca_bundle else None
    obs = await starttls_probe(address, port, mx, timeout=net.timeout, ehlo_name=ehlo)
    chain = obs.pop("chain_der", [])
    hs = obs.get("handshake") or {}
    if not hs.get("ok"):
        if chain:
            obs["certificates"], obs["trust"] = describe_chain(chain, mx, ca)
        return obs
    full = FullHandshake(True, hs.get("version") or "", hs.get("cipher") or "", chain)
    tls = await observe_endpoint(address, port, mx, timeout=net.timeout, parallel=2, full=full, ca_bundle=ca,
                                 preamble=smtp_preamble(net.timeout, ehlo))
    tls.pop("chain_der", None)
    obs.update(protocols=tls.get("protocols") or {}, weak=tls.get("weak") or {},
               certificates=tls.get("certificates") or [], trust=tls.get("trust"))
    if tls.get("kex"):
        obs["kex"] = tls["kex"]
    return obs
