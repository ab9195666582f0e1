"""One visit of a home page as a first-time visitor: the observation the privacy judges read.

    obs = await visit(pool, "ville.fr", ["https://ville.fr/", "http://ville.fr/"], domain="ville.fr")

Steps, each bounded (Limits): navigate (https first, http if https fails) and wait for the load event;
settle (SETTLE seconds after the last load event, so that trackers injected by a timer a few
seconds after load still count as "before consent"); snapshot (DOM facts, cookies); fetch the titles
of the legal pages linked from the home page (same site only); click the banner's "accept" button
when there is one and record, separately, what it releases during AFTER_ACCEPT seconds.

Never derailed: JavaScript dialogs are dismissed; a main-frame navigation or redirect to a name
outside the scan's scope is recorded and blocked (never followed), same-site ones are capped; past
MAX_REQUESTS requests or MAX_BYTES bytes the page is cut off from the network (blocked requests are not
recorded); blocked navigations are aborted, so the page stays what it was; a script that never
yields is terminated (Runtime.terminateExecution); the whole visit has a hard time limit.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ...checks.privacy import trim
from ...checks.privacy_consent import accept_button
from ...checks.privacy_data import consent_managers
from ...checks.privacy_legal import matching_links
from .cdp import CDPError

DOM_JS = (Path(__file__).with_name("dom.js")).read_text("utf-8")
LEGAL_JS = (Path(__file__).with_name("legal.js")).read_text("utf-8")


QUIET = 0.5  # seconds without network activity that end a settle period (after its minimum)
EXTRA = 3.0  # at most this much longer than the minimum while the page keeps loading


@dataclass(frozen=True)
class Limits:
    settle: float = 4.0  # seconds after the load event before the "before consent" snapshot
    after_accept: float = 2.0  # seconds of recording after the click on "accept"
    load: float = 15.0  # navigation until the load event
    page: float = 45.0  # the whole visit
    max_requests: int = 600
    max_bytes: int = 25_000_000
    max_navigations: int = 5  # same-site main-frame navigations (redirects, reloads)
    max_legal: int = 6


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


class Visit:
    def __init__(self, name: str, domain: str | None, limits: Limits) -> None:
        self.limits = limits
        self.name, self.domain = name, domain
        self.obs: dict = {"name": name, "domain": domain, "start_url": None, "final_url": None, "status": None,
                          "error": None, "requests": [], "cookies": {"before": [], "after": []}, "dom": {},
                          "legal": {}, "consent": {"clicked": None}, "offsite": [], "truncated": [], "dialogs": 0}
        self.phase = "before"
        self.by_id: dict[str, dict] = {}
        self.bytes = 0
        self.navigations = 0
        self.main_request: str | None = None
        self.loaded = asyncio.Event()
        self.last_load = 0.0
        self.inflight: set[str] = set()
        self.failed_loaders: set[str] = set()
        self.last_activity = 0.0
        self.session = None
        self.cut = False

    # ------------------------------------------------------------------ scope
    def in_scope(self, host: str) -> bool:
        d = self.domain
        return host == self.name or bool(d) and (host == d or host.endswith("." + d))

    def truncate(self, why: str, *, cut: bool = True) -> None:
        """Record a limit reached; `cut`: also cut the page off the network and stop its loading."""
        if why not in self.obs["truncated"]:
            self.obs["truncated"].append(why)
        if cut and not self.cut:
            self.cut = True
            self.session.post("Network.setBlockedURLs", {"urls": ["*"]})

    # ------------------------------------------------------------------ events
    def on_request(self, p: dict) -> None:
        req = p.get("request") or {}
        url = req.get("url", "")
        if not url.startswith(("http://", "https://")):
            return
        if len(self.obs["requests"]) >= self.limits.max_requests:
            self.truncate("requests")
            return
        init = p.get("initiator") or {}
        frames = ((init.get("stack") or {}).get("callFrames") or [{}])
        rec = {"url": url[:2000], "host": _host(url), "type": p.get("type"), "phase": self.phase,
               "frame": "main" if p.get("frameId") == self.session.target_id else "sub",
               "initiator": (init.get("url") or frames[0].get("url") or "")[:500],
               "page": (p.get("documentURL") or "")[:500], "post": (req.get("postData") or "")[:2000],
               "mixed": req.get("mixedContentType") if req.get("mixedContentType") not in (None, "none") else None,
               "blocked": None}
        self.obs["requests"].append(rec)
        self.by_id[p.get("requestId", "")] = rec
        self.inflight.add(p.get("requestId", ""))
        self.last_activity = time.monotonic()
        if p.get("type") == "Document" and rec["frame"] == "main":
            self.main_request = p.get("requestId")

    def on_response(self, p: dict) -> None:
        if p.get("requestId") == self.main_request:
            resp = p.get("response") or {}
            self.obs["status"] = resp.get("status")
            self.obs["final_url"] = (resp.get("url") or "")[:500]

    def on_done(self, p: dict) -> None:
        self.inflight.discard(p.get("requestId", ""))
        self.last_activity = time.monotonic()

    def on_failed(self, p: dict) -> None:
        self.on_done(p)
        rec = self.by_id.get(p.get("requestId", ""))
        if rec is not None:
            rec["blocked"] = (p.get("blockedReason") or p.get("errorText") or "failed")[:80]

    def on_data(self, p: dict) -> None:
        self.bytes += int(p.get("encodedDataLength") or p.get("dataLength") or 0)
        if self.bytes > self.limits.max_bytes:
            self.truncate("bytes")

    def on_lifecycle(self, p: dict) -> None:
        """The main frame's "load", except about:blank's and the error page of a navigation that failed."""
        if p.get("name") != "load" or p.get("frameId") != self.session.target_id:
            return
        if p.get("loaderId") in self.failed_loaders:
            return
        self.last_load = time.monotonic()
        self.loaded.set()

    def on_dialog(self, p: dict) -> None:
        self.obs["dialogs"] += 1
        self.session.post("Page.handleJavaScriptDialog", {"accept": False})

    def on_paused(self, p: dict) -> None:
        """Main-frame documents (Fetch domain): off-scope ones are blocked and recorded."""
        rid, url = p.get("requestId"), (p.get("request") or {}).get("url", "")
        if p.get("frameId") != self.session.target_id or not url.startswith(("http://", "https://")):
            self.session.post("Fetch.continueRequest", {"requestId": rid})
            return
        host = _host(url)
        if not self.in_scope(host):
            kind = "redirect" if p.get("redirectedRequestId") or self.navigations else "navigation"
            self.obs["offsite"].append({"url": trim(url), "kind": kind, "phase": self.phase})
            self.session.post("Fetch.failRequest", {"requestId": rid, "errorReason": "Aborted"})
            return
        self.navigations += 1
        if self.navigations > self.limits.max_navigations:
            self.obs["offsite"].append({"url": trim(url), "kind": "too_many_navigations", "phase": self.phase})
            self.truncate("navigations", cut=False)
            self.session.post("Fetch.failRequest", {"requestId": rid, "errorReason": "Aborted"})
            return
        self.session.post("Fetch.continueRequest", {"requestId": rid})

    # ------------------------------------------------------------------ steps
    async def evaluate(self, expression: str, *, timeout: float = 8.0, promise: bool = False):
        params = {"expression": expression, "returnByValue": True, "awaitPromise": promise, "userGesture": True}
        for attempt in (1, 2):
            try:
                res = await self.session.send("Runtime.evaluate", params, timeout=timeout)
                if "exceptionDetails" in res:
                    return None
                return (res.get("result") or {}).get("value")
            except CDPError:
                if attempt == 2 or self.session.browser.closed:
                    raise
                # a script that never yields: stop it, then try once more
                self.truncate("script", cut=False)
                await self.session.send("Runtime.terminateExecution", timeout=5)
        return None

    async def navigate(self, urls: list[str]) -> None:
        s = self.session
        for url in urls:
            self.obs["start_url"] = url
            self.navigations = 0
            res = await s.send("Page.navigate", {"url": url}, timeout=self.limits.load)
            err = res.get("errorText")
            if not err:
                return
            self.failed_loaders.add(res.get("loaderId", ""))
            self.loaded.clear()
            self.obs.setdefault("navigation_errors", []).append({"url": url, "error": err[:120]})
            if self.obs["offsite"]:
                break  # redirected outside the scope: the other scheme would say the same
        off = self.obs["offsite"]
        self.obs["unreachable"] = not off
        self.obs["error"] = (f"redirects outside the scan's scope: {off[0]['url']}" if off else
                             f"page not loaded: {self.obs['navigation_errors'][-1]['error']}")

    async def settle(self, seconds: float, deadline: float) -> None:
        """Wait `seconds` after the last load event, then while the network is busy (a request in flight
        or one in the last QUIET seconds), at most EXTRA seconds more: a loaded machine is slower."""
        while True:
            now = time.monotonic()
            base = self.last_load + seconds
            busy = self.inflight or now - self.last_activity < QUIET
            if now >= deadline or (now >= base and (not busy or now >= base + EXTRA)):
                return
            await asyncio.sleep(0.1 if now >= base else min(base - now, 0.5))

    async def cookies(self, browser, ctx: str) -> list[dict]:
        res = await browser.send("Storage.getCookies", {"browserContextId": ctx}, timeout=10)
        now = time.time()
        out = []
        for c in res.get("cookies", [])[:300]:
            days = None if c.get("session") or (c.get("expires") or -1) < 0 else round((c["expires"] - now) / 86400, 1)
            out.append({"name": str(c.get("name", ""))[:100], "domain": str(c.get("domain", ""))[:200],
                        "path": str(c.get("path", ""))[:100], "days": days, "value": str(c.get("value", ""))[:200],
                        "secure": bool(c.get("secure")), "http_only": bool(c.get("httpOnly")),
                        "same_site": c.get("sameSite")})
        return out

    async def legal_titles(self) -> None:
        final = self.obs["final_url"] or self.obs["start_url"] or ""
        origin = urlsplit(final)[:2]
        links = self.obs["dom"].get("links", [])
        urls: list[str] = []
        for kind in ("notice", "policy", "accessibility"):
            for lk in matching_links(links, kind)[:2]:
                href = lk.get("href", "").split("#", 1)[0]
                if urlsplit(href)[:2] == origin and href not in urls:
                    urls.append(href)
        if urls:
            self.phase = "legal"
            got = await self.evaluate(f"{LEGAL_JS}({json.dumps(urls[:self.limits.max_legal])})", timeout=8,
                                      promise=True)
            self.obs["legal"] = got if isinstance(got, dict) else {}

    async def run(self, browser, ctx: str, session, urls: list[str], user_agent: str) -> None:
        self.session = session
        lim = self.limits
        deadline = time.monotonic() + lim.page - 5  # keep time to snapshot and close
        for event, fn in (("Network.requestWillBeSent", self.on_request), ("Network.responseReceived", self.on_response),
                          ("Network.loadingFailed", self.on_failed), ("Network.dataReceived", self.on_data),
                          ("Network.loadingFinished", self.on_done),
                          ("Page.lifecycleEvent", self.on_lifecycle), ("Page.javascriptDialogOpening", self.on_dialog),
                          ("Fetch.requestPaused", self.on_paused)):
            session.on(event, fn)
        await asyncio.gather(
            session.send("Page.enable"), session.send("Page.setLifecycleEventsEnabled", {"enabled": True}),
            session.send("Network.enable", {"maxPostDataSize": 2000}),
            session.send("Fetch.enable", {"patterns": [{"resourceType": "Document", "requestStage": "Request"}]}),
            session.send("Network.setUserAgentOverride", {"userAgent": user_agent,
                                                          "acceptLanguage": "fr-FR,fr;q=0.9"}),
            browser.send("Browser.setDownloadBehavior", {"behavior": "deny", "browserContextId": ctx}))
        blank = await session.send("Page.getFrameTree")
        self.failed_loaders.add(((blank.get("frameTree") or {}).get("frame") or {}).get("loaderId", ""))
        self.loaded.clear()  # about:blank's own "load" (replayed when lifecycle events are enabled) is not ours
        await self.navigate(urls)
        if self.obs["error"]:
            return
        try:
            await asyncio.wait_for(self.loaded.wait(), max(0.1, min(lim.load, deadline - time.monotonic())))
        except TimeoutError:
            self.obs["truncated"].append("load")
            self.last_load = time.monotonic()
        await self.settle(lim.settle, deadline)
        dom = await self.evaluate(f"{DOM_JS}({json.dumps({'cmps': consent_managers()})})")
        self.obs["dom"] = dom if isinstance(dom, dict) else {}
        self.obs["final_url"] = self.obs["final_url"] or self.obs["dom"].get("url")
        self.obs["cookies"]["before"] = await self.cookies(browser, ctx)
        self.obs["snapshot"] = True
        await self.legal_titles()
        button = accept_button(self.obs["dom"].get("banners", []))
        if button is None or self.cut:
            self.obs["cookies"]["after"] = self.obs["cookies"]["before"]
            return
        self.phase = "after_accept"
        self.obs["consent"]["clicked"] = {"text": button.get("text", "")[:80], "id": button.get("id", "")}
        self.last_load = time.monotonic()
        await self.evaluate(f"(() => {{ const b = (window.__cyberauditButtons || [])[{int(button['idx'])}]; "
                            "if (b) b.click(); return !!b; })()")
        await self.settle(lim.after_accept, deadline + 4)
        self.obs["cookies"]["after"] = await self.cookies(browser, ctx)


async def visit(pool, name: str, urls: list[str], *, domain: str | None = None, limits: Limits = Limits()) -> dict:
    """The observation of one home page (never raises for the page's behaviour)."""
    v = Visit(name, domain, limits)
    started = time.monotonic()
    try:
        async with pool.page() as slot:
            try:
                await asyncio.wait_for(v.run(slot.browser, slot.ctx, slot.session, urls, pool.user_agent), limits.page)
                # a limit hit or dialogs: a fresh context next time (slot.py)
                slot.reusable = not (v.obs["truncated"] or v.cut or v.obs["dialogs"])
            except TimeoutError:
                v.obs["truncated"].append("time")
            finally:
                slot.seen([*urls, v.obs["final_url"] or "", *(r["url"] for r in v.obs["requests"])])
    except CDPError as exc:
        v.obs["truncated"].append(f"browser: {exc}"[:120])
    if not v.obs.get("snapshot") and not v.obs["error"]:
        v.obs["error"] = "page did not finish: " + ", ".join(v.obs["truncated"] or ["unknown"])
    v.obs["duration"] = round(time.monotonic() - started, 2)
    return v.obs
