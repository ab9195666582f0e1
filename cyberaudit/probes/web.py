"""Web family: for every web name, the http:// redirect chain, the https:// home page headers and
its HTML (mixed content, forms: checks/web_content.py).

When the privacy family runs in the same scan (`net.options["browser"]`), the mixed-content and forms
checks also read what the browser loaded for that name (one shared visit, probes/browser/shared.py).

Requests go to the address resolved through the scan's one DNS client with Host/SNI set to the name. Redirects
are followed only on the same name (never to another host: the scan stays in scope), at most 5 hops.
"""

from __future__ import annotations

import asyncio
import re

from ..checks.web_content import html_facts
from . import Target
from .browser import shared
from .http import fetch, next_url
from .net import Net
from .resolver.client import client_for
from .tlsscan.resolve import addresses, is_ip, web_targets

MAX_HOPS = 5
MAX_BODY = 1_000_000  # bytes of home-page HTML read for the content checks
REDIRECTS = (301, 302, 303, 307, 308)


async def observe(target: Target, net: Net) -> dict:
    return {**await observe_web_names(target, net, web_name), "domain": _domain(target)}



def _domain(target: Target) -> str | None:
    return target.name if target.kind == "domain" else None


async def observe_web_names(target: Target, net: Net, per_name) -> dict:
    """The observation of a target made of `await per_name(name, resolver, net, domain, explicit=...)` on
    every web name, at once (`names`); an address block is not expanded (`address_block`).
    `explicit`: the name was declared (a host, or in `web_names`), not guessed (`www.` of a domain)."""
    obs = target.observation()
    if target.kind == "host" and "/" in target.name:
        return {**obs, "address_block": True}
    resolver = client_for(net)
    obs["names"] = list(await asyncio.gather(*(per_name(n, resolver, net, _domain(target), explicit=explicit)
                                               for n, explicit in web_targets(target))))
    return obs


async def web_name(name: str, resolver, net: Net, domain: str | None, *, explicit: bool) -> dict:
    """The http:// redirect chain and the https:// page of one name, at its first address; with what the
    browser loaded for it when the privacy family runs in the same scan."""
    opts = net.options or {}
    https_port, http_port = int(opts.get("https_port", 443)), int(opts.get("http_port", 80))
    addrs, err = await addresses(resolver, name, net.timeout)
    out: dict = {"name": name, "explicit": explicit, "address": addrs[0] if addrs else None, "dns_error": err}
    if not addrs:
        return out
    browser = bool(opts.get("browser"))
    if browser:
        shared.start(name, net, domain)
    out["redirect"], out["page"] = await asyncio.gather(
        follow_http(addrs[0], name, http_port, https_port, net.timeout),
        fetch_https(addrs[0], name, https_port, net.timeout))
    if out["redirect"]["outcome"] == "http_closed" and not out["page"]["https_ok"] and not explicit:
        if browser:
            await shared.observe(name, net, domain, timeout=0)  # nothing listens: release the shared visit
        return out
    # the browser's visit may still be queued: wait for it within this family's deadline, else HTML only
    if browser:
        out["browser"] = loaded(await shared.observe(name, net, domain, timeout=net.deadline * 0.6))
    return out


def loaded(visit: dict | None) -> dict | None:
    """What the web judges read of a browser visit: the page, its clear-text requests, its forms."""
    if visit is None or visit.get("error"):
        return None
    requests = [{k: r.get(k) for k in ("url", "phase", "mixed")} for r in visit.get("requests") or []
                if r.get("phase") == "before" and str(r.get("url", "")).startswith("http://")]
    return {"final_url": visit.get("final_url"), "requests": requests[:100],
            "dom": {"forms": (visit["dom"].get("forms") or [])[:50]} if visit.get("dom") else {}}


# the response headers an observation keeps: those the judges read, and the other security headers
KEPT_HEADERS = frozenset({
    "content-security-policy", "content-security-policy-report-only", "x-content-type-options",
    "x-frame-options", "referrer-policy", "permissions-policy", "strict-transport-security",
    "cross-origin-opener-policy", "cross-origin-embedder-policy", "cross-origin-resource-policy",
    "server", "x-powered-by", "x-aspnet-version", "content-type", "location"})
MAX_COOKIES = 50


def _headers(resp) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in resp.headers:
        if k in KEPT_HEADERS:
            out.setdefault(k, v)
    return out


async def follow_http(address: str, name: str, http_port: int, https_port: int, timeout: float) -> dict:
    """Follow http://name/ redirects on the same name. outcome: https_same | https_other | no_redirect |
    loop | too_many | offsite_http | bad_location | http_closed | error."""
    url = ("http", name, http_port, "/")
    seen = {url}
    hops: list[dict] = []
    for _ in range(MAX_HOPS + 1):
        scheme, host, port, path = url
        resp = await fetch(address, port, host, path, tls=False, timeout=timeout, body=MAX_BODY)
        if resp.error:
            if not hops and resp.error == "connection refused":
                return {"outcome": "http_closed", "hops": hops}
            return {"outcome": "error", "hops": hops, "error": resp.error}
        location = resp.get("location")
        if resp.status not in REDIRECTS or not location:
            served = {"url": resp.url, "headers": _headers(resp), "cookies": resp.get_all("set-cookie")[:MAX_COOKIES],
                      "facts": _facts(resp)}
            return {"outcome": "no_redirect", "hops": hops, "status": resp.status, "served_http": served}
        if len(hops) >= MAX_HOPS:
            return {"outcome": "too_many", "hops": hops}
        nxt = next_url(resp.url, location)
        hops.append({"status": resp.status, "location": location[:300]})
        if nxt is None:
            return {"outcome": "bad_location", "hops": hops}
        if nxt[0] == "https":
            same = nxt[1] == name and nxt[2] == https_port
            return {"outcome": "https_same" if same else "https_other", "hops": hops, "final_host": nxt[1]}
        if nxt[1] != name:
            return {"outcome": "offsite_http", "hops": hops, "final_host": nxt[1]}
        if nxt in seen:
            return {"outcome": "loop", "hops": hops}
        seen.add(nxt)
        url = nxt
    return {"outcome": "too_many", "hops": hops}


async def fetch_https(address: str, name: str, https_port: int, timeout: float) -> dict:
    """The https:// home page, following same-name redirects: first HSTS header, final headers, cookies."""
    path, hsts, cookies, seen = "/", None, [], set()
    good, downgrade = None, None
    for _ in range(MAX_HOPS + 1):
        resp = await fetch(address, https_port, name, path, tls=True, timeout=timeout, sni=not is_ip(name),
                           body=MAX_BODY)
        if resp.error:
            if good is not None:
                break
            return {"https_ok": False, "https_error": resp.error, "headers": None, "cookies": []}
        good = resp
        seen.add(path)
        hsts = hsts if hsts is not None else resp.get("strict-transport-security")
        cookies += resp.get_all("set-cookie")
        location = resp.get("location")
        if resp.status not in REDIRECTS or not location:
            break
        nxt = next_url(resp.url, location)
        if nxt is not None and nxt[0] == "http":  # HTTPS sends the visitor back to http://
            downgrade = location[:300]
            break
        if nxt is None or nxt[:3] != ("https", name, https_port) or nxt[3] in seen:
            break
        path = nxt[3]
    return {"https_ok": True, "hsts": hsts, "headers": _headers(good), "cookies": cookies[:MAX_COOKIES], "final_url": good.url,
            "downgrade": downgrade, "facts": _facts(good)}


def _facts(resp) -> dict | None:
    """What the content checks read of a 200 HTML answer (`html_facts`), never the page itself."""
    if resp.status != 200:
        return None
    m = re.search(r"charset=([\w.-]+)", resp.get("content-type") or "", re.I)
    try:
        html = resp.body.decode(m.group(1) if m else "utf-8", "replace")
    except LookupError:
        html = resp.body.decode("utf-8", "replace")
    return html_facts(html, resp.url)
