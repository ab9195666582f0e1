"""One headless Chromium per scan process, shared by every visit, with a bounded pool of pages.

Each visit gets a browser context and page of its own, in a first-time visitor's state (no cookies,
storage or cache: a new context, or one reused and reset, see slot.py); at most
`net.options["browser_pages"]` (or $CYBERAUDIT_BROWSER_PAGES; default 4) run at once. The browser starts
on the first visit and stops when the last visitor of the event loop leaves; it restarts if it crashed.

Why the DevTools protocol over a pipe and not Playwright: Playwright's Python package ships and runs
its own Node.js driver (about 40 MB, one more process per browser) to speak this very protocol; the
pipe needs no dependency, opens no port, and runs on the scan's own asyncio loop.

Flags: the machine flags of the project (--headless --no-sandbox --disable-gpu --disable-quic
--no-first-run --disable-background-networking --disable-component-update --disable-sync), a fresh
--user-data-dir (and HOME) per browser, every connection through `proxy.Proxy`, and
--host-resolver-rules "MAP * ~NOTFOUND" so Chromium never resolves a name itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import tempfile
from contextlib import asynccontextmanager

from ..resolver.client import client_for
from .cdp import Browser, CDPError
from .proxy import Proxy
from .slot import Slot

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# The WebUI omnibox popups (and their preloading) are the costliest line: Chromium 156 gives every window, so
# every browser context, two chrome://omnibox-popup.top-chrome/ renderers that spin at 0.1-0.25 CPU-s/s each
# while hidden (measured: 4 idle contexts 0.9-1.1 CPU-s/s with them, 0.01 without).
QUIET = ["--disable-features=IsolateOrigins,site-per-process,Translate,MediaRouter,OptimizationHints,"
         "AutofillServerCommunication,InterestFeedContentSuggestions,PrivacySandboxSettings4,"
         "WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup,PreloadTopChromeWebUI",
         "--disable-site-isolation-trials", "--disable-dev-shm-usage", "--mute-audio", "--hide-scrollbars",
         "--window-size=1280,900", "--lang=fr-FR", "--disable-extensions", "--disable-default-apps",
         "--no-default-browser-check", "--disable-breakpad", "--disable-domain-reliability",
         "--disable-client-side-phishing-detection", "--disable-renderer-backgrounding",
         "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows",
         "--password-store=basic", "--use-mock-keychain", "--metrics-recording-only", "--deny-permission-prompts",
         "--js-flags=--max-old-space-size=256"]
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
DEFAULT_PAGES = 4


class Unavailable(Exception):
    """No browser could be started (the reason is shown in the `privacy.page.loaded` error)."""


def find_browser(path: str | None = None) -> str | None:
    if path:
        return path if os.access(path, os.X_OK) else None
    env = os.environ.get("CYBERAUDIT_CHROMIUM")
    if env:
        return env if os.access(env, os.X_OK) else None
    return next((p for p in map(shutil.which, CANDIDATES) if p), None)


class Pool:
    def __init__(self, net) -> None:
        self.net = net
        opts = net.options or {}
        self.exe = find_browser(opts.get("browser_path"))
        pages = opts.get("browser_pages") or os.environ.get("CYBERAUDIT_BROWSER_PAGES") or DEFAULT_PAGES
        self.pages = asyncio.Semaphore(max(1, int(pages)))
        self.browser: Browser | None = None
        self.proxy: Proxy | None = None
        self.sink: Proxy | None = None
        self.home: str | None = None
        self.user_agent = ""
        self.lock = asyncio.Lock()
        self.users = 0
        self.failed: str | None = None  # a launch that failed is not retried by every waiting visit
        self.linger: asyncio.Future | None = None
        self.free: list[Slot] = []  # reset contexts waiting for the next visit
        self.reused = 0  # visits that ran in a reused context (tests, benchmark)

    async def _start(self) -> None:
        if self.failed:
            raise Unavailable(self.failed)
        try:
            await self._launch()
        except Unavailable as exc:
            self.failed = str(exc)
            raise

    async def _launch(self) -> None:
        if self.exe is None:
            raise Unavailable("Chromium introuvable (paquet Debian chromium) / Chromium not found")
        if self.proxy is None:
            verify = self.net.ssl_context() if self.net.ca_bundle else None
            self.proxy = await Proxy(client_for(self.net), self.net.timeout, verify=verify).start()
            self.sink = await Proxy(None, self.net.timeout, deny=True).start()
            if isinstance(opts_log := (self.net.options or {}).get("browser_connections"), list):
                self.proxy.log = self.sink.log = opts_log  # tests read every connection attempt
        self.home = tempfile.mkdtemp(prefix="cyberaudit-chromium-")
        args = [*FLAGS, *QUIET, f"--user-data-dir={self.home}/profile",
                # the browser's own traffic (updates, accounts...) goes to the sink, which refuses it;
                # pages get the real proxy through their browser context (Target.createBrowserContext)
                f"--proxy-server=http://127.0.0.1:{self.sink.port}", "--proxy-bypass-list=<-loopback>",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
        if netlog := (self.net.options or {}).get("browser_netlog"):
            args.append(f"--log-net-log={netlog}")  # tests: every socket the browser opened
        if self.net.ca_bundle:  # verified by the proxy against the system store + --ca-bundle
            args.append("--ignore-certificate-errors")
        env = {"HOME": self.home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "fr_FR.UTF-8",
               "XDG_CONFIG_HOME": f"{self.home}/config", "XDG_CACHE_HOME": f"{self.home}/cache"}
        try:
            self.browser = await Browser.launch(self.exe, [*args, "about:blank"], env)
            version = await self.browser.send("Browser.getVersion", timeout=20)
        except (OSError, CDPError) as exc:
            await self._stop_browser()
            raise Unavailable(f"Chromium ne démarre pas / does not start: {exc}"[:300]) from None
        # a visitor's browser, not "HeadlessChrome" (consent managers hide their banner from bots)
        self.user_agent = version.get("userAgent", "").replace("HeadlessChrome/", "Chrome/")

    async def _stop_browser(self) -> None:
        self.free.clear()
        if self.browser is not None:
            await self.browser.close()
            self.browser = None
        if self.home:
            shutil.rmtree(self.home, ignore_errors=True)
            self.home = None

    async def ensure(self) -> None:
        """Start the browser (and proxy) unless it runs; raises Unavailable."""
        async with self.lock:
            if self.browser is None or self.browser.closed:
                await self._stop_browser()
                await self._start()

    async def shutdown(self) -> None:
        async with self.lock:
            await self._stop_browser()
            for proxy in (self.proxy, self.sink):
                if proxy is not None:
                    await proxy.close()
            self.proxy = self.sink = None

    @asynccontextmanager
    async def page(self):
        """A Slot (browser, context ID, attached page Session) in a first-time visitor's state: a context
        left by an earlier visit and reset (slot.py), or a new one. The visit sets `slot.reusable`."""
        async with self.pages:
            await self.ensure()  # started, or started again after a crash
            browser = self.browser
            slot = None
            while self.free and slot is None:
                slot = self.free.pop()
                if slot.browser is not browser:
                    slot = None  # a browser that crashed or was restarted took its contexts with it
            if slot is None:
                slot = await self._new_slot(browser)
            else:
                self.reused += 1
            slot.visits += 1
            try:
                yield slot
            finally:
                if await slot.reset():
                    self.free.append(slot)
                else:
                    await self._dispose(slot)

    async def _new_slot(self, browser) -> Slot:
        ctx = (await browser.send("Target.createBrowserContext", {
            "disposeOnDetach": True, "proxyServer": f"http://127.0.0.1:{self.proxy.port}",
            "proxyBypassList": "<-loopback>"}))["browserContextId"]
        try:
            target = await browser.send("Target.createTarget", {"url": "about:blank", "browserContextId": ctx})
            session = await browser.attach(target["targetId"])
        except BaseException:
            await self._dispose(Slot(browser, ctx, None))
            raise
        session.target_id = target["targetId"]
        return Slot(browser, ctx, session)

    @staticmethod
    async def _dispose(slot: Slot) -> None:
        if slot.session is not None:
            slot.browser.detach(slot.session)
        with contextlib.suppress(CDPError):
            await slot.browser.send("Target.disposeBrowserContext", {"browserContextId": slot.ctx}, timeout=5)


_pools: dict[int, Pool] = {}


async def _linger(pool: Pool, key: int, seconds: float) -> None:
    """Stop the browser `seconds` after its last user left, unless a new one came (also when cancelled
    at the end of the event loop: the browser never outlives the scan)."""
    try:
        await asyncio.sleep(seconds)
    finally:
        if pool.users == 0 and _pools.get(key) is pool:
            _pools.pop(key, None)
            await pool.shutdown()


@asynccontextmanager
async def pool_for(net, *, linger: float = 0.0):
    """The pool of the running event loop (created on first use), held for the duration of the block."""
    key = id(asyncio.get_running_loop())
    pool = _pools.get(key)
    if pool is None:
        pool = _pools[key] = Pool(net)
    if pool.linger is not None:
        pool.linger.cancel()
        pool.linger = None
    pool.users += 1
    try:
        await pool.ensure()
        yield pool
    finally:
        pool.users -= 1
        if pool.users == 0:
            if linger > 0 and not pool.failed:
                pool.linger = asyncio.ensure_future(_linger(pool, key, linger))
            else:
                _pools.pop(key, None)
                await pool.shutdown()
