"""One browser visit per web name and scan, shared by the families that read it (privacy, web).

Both families call `start()` as soon as they know the name and `observe()` when they need the result;
the first call starts the visit, the others wait for the same one. The entry is dropped when its last
reader is done (bounded memory on big runs).
"""

from __future__ import annotations

import asyncio
import contextlib

from .pool import Unavailable, pool_for
from .visit import Limits, visit

_visits: dict[tuple[int, str], list] = {}  # (loop id, name) -> [task, readers]
LINGER = 2.0  # seconds the browser stays up after the last visit (the next target may come soon)


def urls_for(name: str, net) -> list[str]:
    opts = net.options or {}
    https_port, http_port = int(opts.get("https_port", 443)), int(opts.get("http_port", 80))
    host = f"[{name}]" if ":" in name else name
    return [f"https://{host}{'' if https_port == 443 else f':{https_port}'}/",
            f"http://{host}{'' if http_port == 80 else f':{http_port}'}/"]


def limits_for(net) -> Limits:
    opts = net.options or {}
    kw = {k: type(getattr(Limits, k))(opts[f"browser_{k}"]) for k in Limits.__dataclass_fields__
          if f"browser_{k}" in opts}
    return Limits(**kw)


async def _observe(name: str, net, domain: str | None) -> dict:
    try:
        async with pool_for(net, linger=LINGER) as pool:
            return await visit(pool, name, urls_for(name, net), domain=domain, limits=limits_for(net))
    except Unavailable as exc:
        return {"name": name, "domain": domain, "error": str(exc), "browser_missing": True}


def start(name: str, net, domain: str | None) -> None:
    key = (id(asyncio.get_running_loop()), name)
    entry = _visits.get(key)
    if entry is None:
        _visits[key] = [asyncio.ensure_future(_observe(name, net, domain)), 1]
    else:
        entry[1] += 1


async def observe(name: str, net, domain: str | None, timeout: float | None = None) -> dict | None:
    """The observation of `name` (after `start`), or None when `timeout` passes first; releases this
    reader's hold on it."""
    key = (id(asyncio.get_running_loop()), name)
    if key not in _visits:
        start(name, net, domain)
    entry = _visits[key]
    try:
        return await asyncio.wait_for(asyncio.shield(entry[0]), timeout)
    except TimeoutError:
        return None
    finally:
        entry[1] -= 1
        if entry[1] <= 0 and _visits.get(key) is entry:
            _visits.pop(key, None)
            if not entry[0].done():
                entry[0].cancel()
                with contextlib.suppress(BaseException):
                    await entry[0]
