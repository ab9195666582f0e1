"""`ports` family: which risky services a target exposes (nmap, or the built-in scanner).

Runs only on targets whose scope allows `ports` (the pipeline checks it). The port
list comes from data/ports.yaml; `checks/ports.py` judges the observation.
`net.options`: "ports" (curated|top100), "syn" (bool), "engine" (nmap|connect, to force one).
"""

from __future__ import annotations

import asyncio
from typing import Any

from ..checks.ports import port_plan
from . import Target, observed_at
from .net import Net
from .portscan import EngineError, connect_engine, nmap_engine
from .portscan.targets import resolve

MAX_BANNERS = 16


def bounds(net: Net) -> tuple[float, float]:
    """(nmap --host-timeout, process timeout), both inside the family deadline."""
    host_timeout = min(max(5.0, net.timeout * 4), max(1.0, net.deadline * 0.8))
    return host_timeout, max(host_timeout + 5, net.deadline * 0.9)


async def observe(target: Target, net: Net) -> dict[str, Any]:
    """The facts `checks.ports.judge` needs; a scan that cannot run records why (`error`)."""
    opts = net.options or {}
    mode = opts.get("ports") or "curated"
    allowed = target.active_names("ports")
    obs: dict[str, Any] = {"target": target.name, "observed_at": observed_at(), "mode": mode,
                           "authorization": target.authorization, "engine": None, "scan_type": None,
                           "authorized_entry": allowed.get(target.name)}
    try:
        await _scan_ports(target, net, obs, allowed)
    except (EngineError, ValueError, OSError) as exc:
        obs["error"] = f"{type(exc).__name__}: {exc}"[:300]
    return obs


async def _scan_ports(target: Target, net: Net, obs: dict[str, Any], allowed: dict[str, str]) -> None:
    opts = net.options or {}
    plan = port_plan(obs["mode"])
    if target.name not in allowed:  # only the name whose own entry authorises a port scan
        obs["error"] = "not authorised: no inventory entry of this name allows ports"
        return
    addresses, error = await resolve(target.name, net)
    if error:
        obs["error"] = f"resolution: {error}"
        return
    obs["addresses"] = addresses
    engine = opts.get("engine") or ("nmap" if nmap_engine.nmap_path() else "connect")
    result = None
    if engine == "nmap":
        host_timeout, proc_timeout = bounds(net)
        try:
            result = await nmap_engine.scan(addresses, plan["tcp"], plan["udp"], syn=bool(opts.get("syn")),
                                            host_timeout=host_timeout, timeout=proc_timeout)
        except EngineError as exc:
            obs["fallback_reason"] = str(exc)[:200]
            engine = "connect"
    if result is None:
        # 2.5 s covers the kernel's SYN retransmission at 1 s, like nmap -T4 with --max-retries 1
        result = await connect_engine.scan(addresses, plan["tcp"], plan["udp"], timeout=min(net.timeout, 2.5))
    obs.update(engine=engine, **result)
    await _banners(obs, net)


async def _banners(obs: dict[str, Any], net: Net) -> None:
    open_tcp = [(addr, p) for addr, h in sorted(obs["hosts"].items()) for p in h["ports"]
                if p["state"] == "open" and p["protocol"] == "tcp"][:MAX_BANNERS]
    timeout = min(net.timeout, 1.0)
    banners = await asyncio.gather(*(connect_engine.grab_banner(addr, p["port"], timeout) for addr, p in open_tcp))
    for (_, p), banner in zip(open_tcp, banners, strict=True):
        if banner:
            p["banner"] = banner


