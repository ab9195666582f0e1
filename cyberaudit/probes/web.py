"""Web family: for every web name, the http:// redirect chain, the https:// home page headers and
its HTML (mixed content, forms: checks/web_content.py).

When the privacy family runs in the same scan (`net.options["browser"]`), the mixed-content and forms
checks also read what the browser loaded for that name (one shared visit, probes/browser/shared.py).

Requests go to the address resolved through the scan's one DNS client with Host/SNI set to the name. Redirects
are followed only on the same name (never to another host: the scan stays in scope), at most 5 hops.
"""

from __future__ import annotations

import asyncio

from ..checks.web import HSTS, judge_cookies, judge_headers, judge_hsts, judge_redirect
from ..checks.web_content import html_facts, judge_forms, judge_mixed
from ..model import Finding
from . import Target
from .browser import shared
from .net import Net
from .resolver.client import client_for
from .tlsscan.http import fetch, next_url
from .tlsscan.resolve import addresses, is_ip, web_names

MAX_HOPS = 5
MAX_BODY = 1_000_000  # bytes of home-page HTML read for the content checks
REDIRECTS = (301, 302, 303, 307, 308)


async def scan(target: Target, net: Net) -> list[Finding]:
    return await for_web_names(target, net, web_name)


async def for_web_names(target: Target, net: Net, per_name) -> list[Finding]:
    """`await per_name(name, resolver, net, domain, explicit=...)` on every web name of a target, at once.
    `explicit`: the name was declared (a host, or in `web_names`), not guessed (`www.` of a domain)."""
    if target.kind == "host" and "/" in target.name:
        return []
    resolver = client_for(net)
    domain = target.name if target.kind == "domain" else None
    explicit = set(target.web_names) | ({target.name} if target.kind == "host" else set())
    chunks = await asyncio.gather(*(per_name(n, resolver, net, domain, explicit=n in explicit)
                                    for n in web_names(target)))
    return [f for chunk in chunks for f in chunk]


async def web_name(name: str, resolver, net: Net, domain: str | None, *, explicit: bool) -> list[Finding]:
    opts = net.options or {}
    https_port, http_port = int(opts.get("https_port", 443)), int(opts.get("http_port", 80))
    addrs, err = await addresses(resolver, name, net.timeout)
    if not addrs:
        return [HSTS.finding("error", target=name, evidence={"reason": err})] if err else []
    address = addrs[0]
    browser = bool((net.options or {}).get("browser"))
    if browser:
        shared.start(name, net, domain)
    redirect, page = await asyncio.gather(
        follow_http(address, name, http_port, https_port, net.timeout),
        fetch_https(address, name, https_port, net.timeout))
    if redirect["outcome"] == "http_closed" and not page["https_ok"] and not explicit:
        if browser:
            await shared.observe(name, net, domain, timeout=0)  # release the shared visit
        return []  # nothing listens on this implicit name
    if redirect["outcome"] == "https_same" and page.get("downgrade"):
        # http -> https -> http: a loop across schemes, the visitor never stays on HTTPS
        redirect = {**redirect, "outcome": "https_to_http",
                    "hops": [*redirect["hops"], {"status": None, "location": page["downgrade"]}]}
    out = [judge_redirect(name, redirect, domain)]
    if not page["https_ok"] and redirect.get("served_http"):
        # HTTP-only site: judge the headers and cookies of the HTTP page.
        page["headers"], page["cookies"] = redirect["served_http"]["headers"], redirect["served_http"]["cookies"]
        page["final_url"] = redirect["served_http"]["url"]
        page["html"] = redirect["served_http"].get("html")
        page["http_served"] = True
    out += [judge_hsts(name, page), judge_headers(name, page), judge_cookies(name, page)]
    facts = html_facts(page["html"], page["final_url"]) if page.get("html") is not None else None
    # the browser's visit may still be queued: wait for it within this family's deadline, else HTML only
    seen = await shared.observe(name, net, domain, timeout=net.deadline * 0.6) if browser else None
    if seen is not None and seen.get("error"):
        seen = None
    return out + [judge_mixed(name, facts, seen), judge_forms(name, facts, seen)]


def _headers(resp) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in resp.headers:
        if k != "set-cookie":
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
            served = {"url": resp.url, "headers": _headers(resp), "cookies": resp.get_all("set-cookie"),
                      "html": _text(resp)}
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
    return {"https_ok": True, "hsts": hsts, "headers": _headers(good), "cookies": cookies, "final_url": good.url,
            "downgrade": downgrade, "html": _text(good)}


def _text(resp) -> str | None:
    """The HTML of a 200 answer, decoded (charset of the Content-Type, else UTF-8 with replacement)."""
    if resp.status != 200:
        return None
    import re

    m = re.search(r"charset=([\w.-]+)", resp.get("content-type") or "", re.I)
    try:
        return resp.body.decode(m.group(1) if m else "utf-8", "replace")
    except LookupError:
        return resp.body.decode("utf-8", "replace")
