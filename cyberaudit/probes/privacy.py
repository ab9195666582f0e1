"""Privacy family: every web name of a target loaded in headless Chromium as a first-time visitor.

The browser part lives in `probes/browser/` (DevTools pipe, proxy through the scan's resolver, page
pool, the visit itself); the judges in `checks/privacy*.py`. Names without an address are skipped
when they are implicit (`www.` of a domain) and an error when declared. Without a browser, each name
gets `privacy.page.loaded` = error with the reason: never a pass.
"""

from __future__ import annotations

from ..checks.privacy import LOADED, judge
from ..model import Finding
from . import Target
from .browser import shared
from .net import Net
from .tlsscan.resolve import addresses
from .web import for_web_names

# Not under the pipeline's per-target deadline: a target may wait its turn for a page of the pool; each
# visit is bounded by its own limits (browser/visit.py Limits: load, settle, whole page) and DNS timeouts.
QUEUED = True


async def scan(target: Target, net: Net) -> list[Finding]:
    return await for_web_names(target, net, web_name)


async def web_name(name: str, resolver, net: Net, domain: str | None, *, explicit: bool) -> list[Finding]:
    addrs, err = await addresses(resolver, name, net.timeout)
    if not addrs:
        if err or explicit:
            return [LOADED.finding("error", target=name, evidence={"reason": err or "no address"})]
        return []
    shared.start(name, net, domain)
    obs = await shared.observe(name, net, domain)
    if obs.get("unreachable") and not explicit:
        return []  # nothing answers on this implicit name (www. of a domain)
    return judge(obs)
