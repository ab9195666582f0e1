"""DNS probe family: gathers observations for `cyberaudit.checks.dns`.

Options read from `net.options`: `trust_anchor` (zone-file lines of DS or DNSKEY records
anchoring DNSSEC validation, e.g. the lab's top zone; default: the IANA root KSK).
"""

from __future__ import annotations

import asyncio
import functools
import time

import dns.name

from . import Target, dnssec, observed_at
from .dnssec_denial import prove_no_ds
from .net import Net
from .resolver.client import FAILED, OK, client_for

WEB_NAMES = ("www", "mail", "webmail", "autodiscover", "mta-sts", "smtp", "imap", "extranet", "portail", "owa")
MAX_NS = 6


async def observe(target: Target, net: Net) -> dict:
    """The facts `checks.dns.judge` needs: SOA status, then NS, DNSSEC, CAA, AXFR, CNAME and IPv6 of the zone."""
    c = client_for(net)
    domain = target.name
    obs: dict = {"target": domain, "observed_at": observed_at(), "web_names": sorted(target.web_names)}
    soa = await c.query(domain, "SOA")
    obs["soa"] = soa.status
    if soa.failed or soa.status == "nxdomain":
        return obs
    # a name inside a zone (not its apex) is judged on its zone: NS, AXFR and DNSSEC of the apex
    apex = domain if soa.ok else (soa.zone or domain)
    obs["zone"] = apex
    ns_task = asyncio.ensure_future(gather_ns(c, apex))
    results = await asyncio.gather(
        ns_task, dnssec_state(c, apex, net.options.get("trust_anchor")), gather_caa(c, domain, apex),
        gather_cnames(c, domain, target.web_names), gather_ipv6(c, domain, ns_task), gather_axfr(c, apex, ns_task),
    )
    obs.update(zip(("ns", "dnssec", "caa", "cnames", "ipv6", "axfr"), results, strict=True))
    return obs



async def addresses(c, name: str) -> tuple[list[str], list[str], str]:
    a, aaaa = await asyncio.gather(c.query(name, "A"), c.query(name, "AAAA"))
    status = a.status if a.failed else OK
    return sorted(r.address for r in a.records), sorted(r.address for r in aaaa.records), status


async def gather_ns(c, domain: str) -> dict:
    ans = await c.query(domain, "NS")
    if ans.failed or not ans.records:
        return {"status": ans.status if ans.failed else "no NS record"}
    names = sorted({r.target for r in ans.records})[:MAX_NS]

    async def one(name: str) -> tuple[str, dict]:
        v4, v6, lookup = await addresses(c, name)
        info = {"addresses": v4 + v6, "ipv6": bool(v6), "aa": None, "serial": None, "lookup": lookup}
        for ip in (v4 + v6)[:2]:
            status, msg = await c.ask(domain, "SOA", (ip, 53))
            if msg is not None and status == OK:
                info["aa"] = bool(msg.flags & 0x0400)
                soa = next((r.data for r in msg.answer if r.rtype == 6), None)
                info["serial"] = soa.serial if soa is not None else None
                break
        return name, info

    return {"status": "ok", "ns": dict(await asyncio.gather(*(one(n) for n in names)))}


async def gather_axfr(c, domain: str, ns_task) -> dict:
    ns = await ns_task
    if ns.get("status") != "ok":
        return {"status": ns.get("status")}
    servers = {}
    pairs = sorted({(name, ip) for name, v in ns["ns"].items() for ip in v["addresses"][:1]})[:MAX_NS]
    outcomes = await asyncio.gather(*(c.axfr(domain, (ip, 53)) for _, ip in pairs))
    for (name, ip), (state, _count) in zip(pairs, outcomes, strict=True):
        servers[f"{name} ({ip})"] = state
    return {"servers": servers}


async def gather_caa(c, domain: str, apex: str) -> dict:
    """CAA of the name, else of its closest ancestor within the zone (RFC 8659 §3 tree climbing)."""
    name = domain
    while True:
        ans = await c.query(name, "CAA")
        if ans.records or ans.failed or name == apex or "." not in name:
            break
        name = name.partition(".")[2]
    recs = [{"flags": r.flags, "tag": r.tag.decode("ascii", "replace"), "value": r.value.decode("utf-8", "replace")}
            for r in ans.records]
    return {"status": ans.status, "records": sorted(recs, key=lambda r: (r["tag"], r["value"])), "owner": name}


async def gather_cnames(c, domain: str, extra: tuple[str, ...] = ()) -> dict:
    names = sorted({domain, *(f"{w}.{domain}" for w in WEB_NAMES), *extra})
    answers = await asyncio.gather(*(c.query(n, "A") for n in names))
    out = {}
    for name, ans in zip(names, answers, strict=True):
        if not ans.cnames:
            continue
        out[name] = {"status": ans.status, "chain": ans.cnames, "loop": ans.loop,
                     "dangling": ans.status == "nxdomain"}
    return {"names": out}


async def gather_ipv6(c, domain: str, ns_task) -> dict:
    ns = await ns_task
    hosts: dict[str, dict[str, bool]] = {"ns": {}, "mx": {}, "web": {}}
    if ns.get("status") == "ok":
        hosts["ns"] = {n: v["ipv6"] for n, v in ns["ns"].items()}
    mx = await c.query(domain, "MX")
    mx_names = sorted({r.exchange for r in mx.records if r.exchange})[:6]
    web = [domain, f"www.{domain}"]
    found = await asyncio.gather(*(addresses(c, n) for n in mx_names + web))
    for n, (v4, v6, _st) in zip(mx_names, found[:len(mx_names)], strict=True):
        if v4 or v6:
            hosts["mx"][n] = bool(v6)
    for n, (v4, v6, _st) in zip(web, found[len(mx_names):], strict=True):
        if v4 or v6:
            hosts["web"][n] = bool(v6)
    return {"hosts": {k: v for k, v in hosts.items() if v}, "status": ns.get("status")}


async def dnssec_state(c, domain: str, anchor_text: str | None) -> dict:
    try:
        anchor = _anchor(anchor_text or dnssec.ROOT_ANCHOR)
    except ValueError as exc:
        return {"state": "error", "reason": str(exc)}
    name = dns.name.from_text(domain)
    if not name.is_subdomain(anchor.zone):
        return {"state": "error", "reason": f"trust anchor {anchor.zone} is not above {domain}"}
    try:
        return await _walk(c, name, anchor)
    except dnssec.Bogus as exc:
        return {"state": "bogus", "reason": str(exc)[:300]}
    except dnssec.Unsupported as exc:  # RFC 4035 §5.2: no supported path, treated as insecure
        return {"state": "unsupported", "reason": str(exc)[:300]}
    except ImportError:  # dnspython >= 2.9 validates only with cryptography >= 50
        return {"state": "error", "reason": "DNSSEC validation unavailable (needs cryptography >= 50)"}


@functools.lru_cache(maxsize=4)
def _anchor(text: str) -> dnssec.Anchor:
    """The parsed trust anchor (one per scan: parsed once, not once per domain). Raises ValueError."""
    return dnssec.parse_anchor(text)


def _anchor_keys(anchor: dnssec.Anchor, top) -> list:
    """The trust anchor zone's validated keys, from its DNSKEY answer `top`. Raises Bogus/Unsupported."""
    zone = anchor.zone
    if anchor.ds:
        return dnssec.secure_keys(zone, anchor.ds, top.rrset, top.sigset)
    if not top.rrset or not {k for k in anchor.keys} & set(top.rrset):
        raise dnssec.Bogus("trust anchor key not published")
    dnssec.verify(top.rrset, top.sigset, zone, anchor.keys)
    return list(top.rrset)


def _validated_anchor_keys(c, anchor: dnssec.Anchor, top) -> list:
    """`_anchor_keys`, validated once per DNSKEY answer (the client caches that answer for the whole scan,
    so every domain shares it): reused until the earliest signature over it expires, after which it is
    validated again (a signature valid once stays valid until its expiration: inception is in the past)."""
    memo = c.memo.get(("anchor-keys", id(anchor)))
    if memo is not None and memo[0] is top and time.time() < memo[1]:
        return memo[2]
    keys = _anchor_keys(anchor, top)
    until = min((s.expiration for s in top.sigset or ()), default=0)
    c.memo[("anchor-keys", id(anchor))] = (top, until, keys)
    return keys


async def _walk(c, name: dns.name.Name, anchor: dnssec.Anchor) -> dict:
    zone = anchor.zone
    top = await c.query(zone.to_text(), "DNSKEY", dnssec=True)
    if top.failed:
        return {"state": "error", "reason": f"DNSKEY {zone}: {top.status}"}
    keys = _validated_anchor_keys(c, anchor, top)
    chain = [zone.to_text()]
    labels = name.relativize(zone).labels if name != zone else ()
    current = zone
    sigs = list(top.rrsigs)
    for label in reversed(labels):
        current = dns.name.Name((label, *current.labels))
        ds = await c.query(current.to_text(), "DS", dnssec=True)
        if ds.failed:
            return {"state": "error", "reason": f"DS {current}: {ds.status}", "chain": chain}
        if ds.ok:
            dnssec.verify(ds.rrset, ds.sigset, zone, keys)
            dk = await c.query(current.to_text(), "DNSKEY", dnssec=True)
            if dk.failed:
                return {"state": "error", "reason": f"DNSKEY {current}: {dk.status}", "chain": chain}
            keys = dnssec.secure_keys(current, ds.records, dk.rrset, dk.sigset)
            zone, sigs = current, list(dk.rrsigs)
            chain.append(current.to_text())
            continue
        if current == name:
            proof = prove_no_ds(current, zone, keys, ds.denial, nxdomain=ds.status == "nxdomain")
            dk = await c.query(current.to_text(), "DNSKEY")
            why = "DNSKEY without DS at the parent" if dk.ok else "no DNSKEY"
            return {"state": "insecure", "reason": why, "chain": chain, "denial": proof}
        apex = await c.query(current.to_text(), "SOA")
        if apex.failed:
            return {"state": "error", "reason": f"SOA {current}: {apex.status}", "chain": chain}
        if apex.ok:
            proof = prove_no_ds(current, zone, keys, ds.denial, nxdomain=ds.status == "nxdomain")
            return {"state": "insecure", "reason": f"{current} is not signed", "chain": chain, "denial": proof}
    soa = await c.query(name.to_text(), "SOA", dnssec=True)
    if soa.status in FAILED:
        return {"state": "error", "reason": f"SOA: {soa.status}", "chain": chain}
    dnssec.verify(soa.rrset, soa.sigset, zone, keys)
    return {"state": "secure", "chain": chain, "algorithms": dnssec.algorithms(keys),
            "expires_at": dnssec.earliest_expiry(sigs + list(soa.rrsigs))}
