"""TLS family: HTTPS of every web name of a target, and STARTTLS of every MX of a domain.

    obs = await observe(target, net)      # facts only; checks/tls.py judges them

Each connection goes to the address resolved through the scan's one DNS client (`--nameserver`, referrals
followed), with SNI set to the name. Every address of a name is observed (at most MAX_ADDRESSES); each
certificate is kept once, as PEM, in `obs["certificates"]` (SHA-256 -> PEM) and endpoints list their chain
by fingerprint. Trust (it needs the trust store) and revocation (OCSP, CRL) are observed here.
"""

from __future__ import annotations

import asyncio

from ..checks.per_address import MAX_ADDRESSES
from . import Target
from .http import fetch
from .net import Net
from .resolver.client import client_for
from .tlsscan.certinfo import observe_chain, store_certificates
from .tlsscan.handshake import FullHandshake
from .tlsscan.resolve import addresses, has_record, is_ip, mx_hosts, web_targets
from .tlsscan.revocation import revocation, stapled_response
from .tlsscan.scanner import observe_endpoint
from .tlsscan.smtp import smtp_preamble, starttls_probe

MAX_MX = 10


def _ports(net: Net) -> dict[str, int]:
    opts = net.options or {}
    return {"https": int(opts.get("https_port", 443)), "http": int(opts.get("http_port", 80)),
            "smtp": int(opts.get("smtp_port", 25))}


def _plain(obs: dict) -> dict:
    """The endpoint observation as JSON-safe data: DH numbers as hex text (a hostile server may send a
    modulus too long for a decimal JSON number)."""
    dhe = (obs.get("kex") or {}).get("dhe") or {}
    for key in ("p", "g", "ys"):
        if isinstance(dhe.get(key), int):
            dhe[key] = format(dhe[key], "x")
    return obs


def _ca(net: Net) -> str | None:
    return str(net.ca_bundle) if net.ca_bundle else None


async def observe(target: Target, net: Net) -> dict:
    obs: dict = {**target.observation(), "ports": _ports(net), "certificates": {}}
    if target.kind == "host" and "/" in target.name:
        obs["address_block"] = True
        return obs
    resolver = client_for(net)
    web = asyncio.gather(*(web_name(name, explicit, resolver, net, obs["certificates"])
                           for name, explicit in web_targets(target)))
    if target.kind == "domain":
        obs["web"], obs["mail"] = await asyncio.gather(
            web, mail_hosts(target.name, resolver, net, obs["certificates"]))
    else:
        obs["web"] = await web
    obs["web"] = list(obs["web"])
    return obs



async def web_name(name: str, explicit: bool, resolver, net: Net, certs: dict[str, str]) -> dict:
    """HTTPS of one name on every one of its addresses (at most MAX_ADDRESSES)."""
    addrs, err = await addresses(resolver, name, net.timeout)
    out: dict = {"name": name, "explicit": explicit, "addresses": addrs, "dns_error": err, "endpoints": {}}
    tested = addrs[:MAX_ADDRESSES]
    results = await asyncio.gather(*(web_address(name, a, net, certs) for a in tested))
    out["endpoints"] = dict(zip(tested, results, strict=True))
    return out


async def web_address(name: str, address: str, net: Net, certs: dict[str, str]) -> dict:
    """The TLS observation of `name` served at `address`; when HTTPS is not available, what port 80 says."""
    ports = _ports(net)
    sni = None if is_ip(name) else name
    obs = await observe_endpoint(address, ports["https"], sni, timeout=net.timeout)
    if not obs["available"]:
        resp = await fetch(address, ports["http"], name, "/", tls=False, timeout=net.timeout)
        obs["http"] = {"status": resp.status, "location": (resp.get("location") or "")[:300] or None}
    chain = obs.pop("chain_der", [])
    if chain:
        obs["chain"], obs["trust"] = observe_chain(chain, _ca(net), certs)
        if obs["available"]:
            obs["revocation"] = await check_revocation(address, ports["https"], sni, obs, chain, net)
    return _plain(obs)


async def check_revocation(address: str, port: int, sni: str | None, obs: dict, chain: list[bytes], net: Net,
                           preamble=None) -> dict:
    """Stapled OCSP (when TLS 1.2 is accepted), then the OCSP responder, then the CRL."""
    stapled = None
    if (obs.get("protocols") or {}).get("TLSv1.2") == "accepted":
        stapled = await stapled_response(address, port, sni, timeout=net.timeout, preamble=preamble)
    return await revocation(chain, stapled, net, list(store_certificates(_ca(net))))


async def mail_hosts(domain: str, resolver, net: Net, certs: dict[str, str]) -> dict:
    """STARTTLS on every address of every MX (at most MAX_ADDRESSES per name): each distinct address is
    probed once (STARTTLS handshake, then the protocol versions and weak suite classes it accepts) and
    shared by every MX name on it; at most 4 addresses at a time. With the DANE (TLSA) and MTA-STS records
    that make a valid certificate binding."""
    smtp_port = _ports(net)["smtp"]
    hosts, err = await mx_hosts(resolver, domain, net.timeout)
    out: dict = {"dns_error": err, "mx": [], "endpoints": {}}
    hosts = list(dict.fromkeys(hosts))[:MAX_MX]
    if err or not hosts:
        return out
    resolved = await asyncio.gather(*(addresses(resolver, mx, net.timeout) for mx in hosts))
    dane = await asyncio.gather(*(has_record(resolver, f"_{smtp_port}._tcp.{mx}", "TLSA", net.timeout)
                                  for mx in hosts))
    out["mta_sts"] = await has_record(resolver, f"_mta-sts.{domain}", "TXT", net.timeout)
    first_name: dict[str, str] = {}
    for mx, (addrs, aerr), tlsa in zip(hosts, resolved, dane, strict=True):
        out["mx"].append({"name": mx, "addresses": addrs, "dns_error": aerr, "dane": tlsa})
        for a in addrs[:MAX_ADDRESSES]:
            first_name.setdefault(a, mx)
    sem = asyncio.Semaphore(4)

    async def probe(address: str, mx: str) -> dict:
        async with sem:
            return await smtp_address(address, smtp_port, mx, net, certs)

    found = await asyncio.gather(*(probe(a, mx) for a, mx in first_name.items()))
    out["endpoints"] = dict(zip(first_name, found, strict=True))
    return out


async def smtp_address(address: str, port: int, mx: str, net: Net, certs: dict[str, str]) -> dict:
    """STARTTLS observation of one MX address, with the versions and weak classes it accepts."""
    ehlo = (net.options or {}).get("ehlo_name", "cyberaudit.invalid")
    obs = await starttls_probe(address, port, mx, timeout=net.timeout, ehlo_name=ehlo)
    chain = obs.pop("chain_der", [])
    if chain:
        obs["chain"], obs["trust"] = observe_chain(chain, _ca(net), certs)
    hs = obs.get("handshake") or {}
    if not hs.get("ok"):
        return obs
    full = FullHandshake(True, hs.get("version") or "", hs.get("cipher") or "", chain)
    tls = await observe_endpoint(address, port, mx, timeout=net.timeout, parallel=2, full=full,
                                 preamble=smtp_preamble(net.timeout, ehlo))
    obs.update(protocols=tls.get("protocols") or {}, weak=tls.get("weak") or {})
    if tls.get("kex"):
        obs["kex"] = tls["kex"]
    return _plain(obs)
