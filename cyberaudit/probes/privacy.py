"""Privacy family: every web name of a target loaded in headless Chromium as a first-time visitor.

    obs = await observe(target, net)      # the browser's visit record per name; checks/privacy.py judges

The browser part lives in `probes/browser/` (DevTools pipe, proxy through the scan's resolver, page
pool, the visit itself); this module only resolves each name, asks for its (shared) visit and keeps the
record as plain JSON data. Without a browser the record says so (`browser_missing`): never a pass.
"""

from __future__ import annotations

import json

from . import Target
from .browser import shared
from .net import Net
from .tlsscan.resolve import addresses
from .web import observe_web_names

# Not under the pipeline's per-target deadline: a target may wait its turn for a page of the pool; each
# visit is bounded by its own limits (browser/visit.py Limits: load, settle, whole page) and DNS timeouts.
QUEUED = True


async def observe(target: Target, net: Net) -> dict:
    return await observe_web_names(target, net, web_name)



async def web_name(name: str, resolver, net: Net, domain: str | None, *, explicit: bool) -> dict:
    addrs, err = await addresses(resolver, name, net.timeout)
    out: dict = {"name": name, "explicit": explicit, "has_address": bool(addrs), "dns_error": err}
    if addrs:
        shared.start(name, net, domain)
        out["visit"] = plain(await shared.observe(name, net, domain))
    return out


def plain(record: dict) -> dict:
    """The visit record as plain JSON data (anything else becomes its text)."""
    return json.loads(json.dumps(record, default=str))
