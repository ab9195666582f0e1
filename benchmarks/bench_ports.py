"""Port-scan speed on loopback (run on demand: `python benchmarks/bench_ports.py`).

Targets (issue 5): the curated list on one loopback host under 5 s with nmap; 50 loopback hosts
under 60 s; the built-in connect scanner within 2x of nmap's connect scan on the same list.
Listeners are opened on 127.55.250.0/24 (loopback only) on a few risky ports of every host.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cyberaudit.checks.ports import port_plan  # noqa: E402
from cyberaudit.probes import Target  # noqa: E402
from cyberaudit.probes import pipeline as scanning  # noqa: E402
from cyberaudit.probes.net import Net  # noqa: E402
from cyberaudit.probes.portscan import connect_engine, nmap_engine  # noqa: E402

BLOCK = "127.55.250"
OPEN_PORTS = (3389, 6379, 5900, 3306)
AUTH = "Benchmark, 2026-11-29"


def listeners(n: int) -> list[socket.socket]:
    out = []
    for i in range(1, n + 1):
        for port in OPEN_PORTS:
            s = socket.create_server((f"{BLOCK}.{i}", port), backlog=128)
            out.append(s)
    return out


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - t0, result


def best_of(n, fn, *args, **kwargs):
    times = [timed(fn, *args, **kwargs)[0] for _ in range(n)]
    return min(times), sorted(times)[len(times) // 2]


def engine_one(engine: str, address: str) -> dict:
    plan = port_plan()
    if engine == "nmap":
        coro = nmap_engine.scan([address], plan["tcp"], plan["udp"], host_timeout=30, timeout=60)
    else:
        coro = connect_engine.scan([address], plan["tcp"], plan["udp"], timeout=2.0)
    return asyncio.run(coro)


def pipeline(engine: str, addresses: list[str]) -> list:
    targets = [Target(name=a, kind="host", scope=frozenset({"ports"}), authorization=AUTH) for a in addresses]
    net = Net(timeout=5.0, deadline=120.0, concurrency=64, options={"engine": engine})
    result = scanning.scan(targets, ["ports"], net)
    return result.findings()


def main() -> None:
    have_nmap = bool(shutil.which("nmap"))
    root = os.geteuid() == 0
    plan = port_plan()
    print(f"cyberaudit ports benchmark — curated list: {len(plan['tcp'])} TCP + {len(plan['udp'])} UDP ports; "
          f"nmap: {'yes' if have_nmap else 'NO'}; root: {root} (nmap adds -sU for UDP when root); "
          f"CPUs: {os.cpu_count()}")
    socks = listeners(50)
    try:
        one = f"{BLOCK}.1"
        engines = ["nmap", "connect"] if have_nmap else ["connect"]
        rows = {}
        for engine in engines:
            best, median = best_of(5, engine_one, engine, one)
            rows[engine] = best
            res = engine_one(engine, one)
            opened = sorted(p["port"] for p in res["hosts"][one]["ports"] if p["state"] == "open")
            print(f"  engine {engine:8s} 1 host, curated list: best {best:.3f} s, median {median:.3f} s "
                  f"(open: {opened})")
        if have_nmap:
            print(f"  connect / nmap ratio (1 host, engine only): {rows['connect'] / rows['nmap']:.2f}x")
        for engine in engines:
            dt, findings = timed(pipeline, engine, [one])
            print(f"  probe+pipeline {engine:8s} 1 host (with banner grab): {dt:.2f} s, "
                  f"{len(findings)} findings")
        dark = f"{BLOCK}.200"  # every curated TCP port drops SYNs (full accept queue): a filtered host
        for port in plan["tcp"]:
            s = socket.create_server((dark, port), backlog=0)
            socks.append(s)
            socks.append(socket.create_connection((dark, port), timeout=2))
        for engine in engines:
            dt, findings = timed(pipeline, engine, [dark])
            print(f"  probe+pipeline {engine:8s} 1 filtered host (all SYNs dropped, --timeout 5): {dt:.2f} s, "
                  f"{sum(f.id.endswith('.exposed') for f in findings)} exposures")
        hosts = [f"{BLOCK}.{i}" for i in range(1, 51)]
        totals = {}
        for engine in engines:
            dt, findings = timed(pipeline, engine, hosts)
            totals[engine] = dt
            exposed = sum(1 for f in findings if f.id.endswith(".exposed"))
            print(f"  probe+pipeline {engine:8s} 50 hosts: {dt:.2f} s, {exposed} exposures found "
                  f"(expected {50 * len(OPEN_PORTS)})")
        if have_nmap:
            print(f"  connect / nmap ratio (50 hosts, pipeline): {totals['connect'] / totals['nmap']:.2f}x")
            ok1 = rows["nmap"] < 5
            ok50 = all(v < 60 for v in totals.values())
            ok2x = rows["connect"] <= 2 * rows["nmap"] and totals["connect"] <= 2 * totals["nmap"]
            print(f"targets: 1 host < 5 s with nmap: {'OK' if ok1 else 'MISSED'}; 50 hosts < 60 s: "
                  f"{'OK' if ok50 else 'MISSED'}; fallback within 2x of nmap: {'OK' if ok2x else 'MISSED'}")
    finally:
        for s in socks:
            s.close()


if __name__ == "__main__":
    main()
