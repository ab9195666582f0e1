"""Real nmap, driven safely: an allowlist of flags, validated targets, no shell, time-bounded.

The command line is built here from a fixed set of flags (`ALLOWED_FLAGS`); every
target goes through `names.normalise_target` and is passed as a separate argument
after `--`, so a hostile name can never become an option. The process runs under
nmap's own `--host-timeout` and a process timeout (killed when exceeded or when the
scan is cancelled). python-nmap parses the XML report.
"""

from __future__ import annotations

import asyncio
import copy
import ipaddress
import os
import re
import shutil
import xml.etree.ElementTree as ET
from functools import cache
from typing import Any

from ... import names
from . import EngineError

# flag -> kind of value it takes (None: no value)
ALLOWED_FLAGS: dict[str, str | None] = {
    "-sT": None, "-sS": None, "-sU": None, "-Pn": None, "-n": None, "-T4": None, "-6": None,
    "--max-retries": "int", "--host-timeout": "duration", "-p": "ports",
    "--script": "script", "--script-args": "script-args", "-oX": "stdout",
}
VETTED_SCRIPTS = {"ssh-auth-methods"}
VETTED_SCRIPT_ARGS = {"ssh.user=cyberaudit"}  # see portscan/ssh_auth.USER
_VALUE = {
    "int": re.compile(r"^\d{1,3}$"),
    "duration": re.compile(r"^\d{1,6}(ms|s)$"),
    "ports": re.compile(r"^(T:|U:)?\d{1,5}(-\d{1,5})?(,(T:|U:)?\d{1,5}(-\d{1,5})?)*$"),
    "stdout": re.compile(r"^-$"),
}
MAX_OUTPUT = 16 * 1024 * 1024
MAX_PROCESSES = 16  # nmap processes at once (per event loop), whatever --concurrency says
_limits: dict[int, asyncio.Semaphore] = {}


def nmap_path() -> str | None:
    return shutil.which("nmap")


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def build_argv(flags: list[tuple[str, str | None]], targets: list[str]) -> list[str]:
    """`nmap <flags> -- <targets>` after checking every flag, value and target. Raises ValueError."""
    path = nmap_path()
    if not path:
        raise EngineError("nmap not installed")
    argv = [path]
    for flag, value in flags:
        if flag not in ALLOWED_FLAGS:
            raise ValueError(f"nmap flag {flag!r} is not allowed")
        kind = ALLOWED_FLAGS[flag]
        if kind is None:
            if value is not None:
                raise ValueError(f"nmap flag {flag!r} takes no value")
            argv.append(flag)
            continue
        if value is None:
            raise ValueError(f"nmap flag {flag!r} needs a value")
        if kind == "script":
            ok = value in VETTED_SCRIPTS
        elif kind == "script-args":
            ok = value in VETTED_SCRIPT_ARGS
        else:
            ok = bool(_VALUE[kind].match(value))
        if not ok:
            raise ValueError(f"value {value!r} refused for nmap flag {flag!r}")
        argv += [flag, value]
    if not targets:
        raise ValueError("no target")
    clean = []
    for tg in targets:
        norm = names.normalise_target(tg)  # raises ValueError on `-oN x`, `;id`, `$(id)`...
        if norm != tg.strip().lower():
            raise ValueError(f"target {tg!r} is not in normal form")
        clean.append(norm)
    return argv + ["--", *clean]


async def run(argv: list[str], timeout: float) -> str:
    """Run nmap (no shell), return its XML stdout; kill it on timeout or cancellation."""
    loop = asyncio.get_running_loop()
    limit = _limits.get(id(loop))
    if limit is None or getattr(limit, "_cyberaudit_loop", None) is not loop:
        limit = _limits[id(loop)] = asyncio.Semaphore(MAX_PROCESSES)
        limit._cyberaudit_loop = loop
    async with limit:
        return await _run(argv, timeout)


async def _run(argv: list[str], timeout: float) -> str:
    proc = await asyncio.create_subprocess_exec(
        *argv, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout=timeout)
    except TimeoutError:
        raise EngineError(f"nmap exceeded {timeout:.0f}s") from None
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    if proc.returncode != 0:
        raise EngineError(f"nmap exited with {proc.returncode}: {err.decode('utf-8', 'replace')[:200]}")
    if len(out) > MAX_OUTPUT:
        raise EngineError("nmap output too large")
    return out.decode("utf-8", "replace")


@cache
def _parser():
    import nmap  # python-nmap

    try:
        return nmap.PortScanner()
    except nmap.PortScannerError as exc:
        raise EngineError(f"python-nmap: {exc}") from None


def parse(xml: str) -> tuple[dict[str, Any], set[str], dict[str, dict[str, int]]]:
    """python-nmap's dict of the XML report, the addresses nmap gave up on (host timeout),
    and per address the ports nmap folded away (`<extraports state="closed" count="30">`)."""
    import nmap

    try:
        result = copy.copy(_parser()).analyse_nmap_xml_scan(nmap_xml_output=xml)
        root = ET.fromstring(xml)
    except (nmap.PortScannerError, ET.ParseError) as exc:
        raise EngineError(f"unreadable nmap report: {exc}") from None
    timed_out = set()
    extra: dict[str, dict[str, int]] = {}
    for host in root.iter("host"):
        addrs = [a.get("addr") for a in host.iter("address") if a.get("addrtype") in ("ipv4", "ipv6")]
        if host.get("timedout") == "true":
            timed_out.update(addrs)
        for ep in host.iter("extraports"):
            state = ep.get("state", "")
            state = state if state in ("closed", "filtered") else "filtered"
            for a in addrs:
                counts = extra.setdefault(a, {})
                counts[state] = counts.get(state, 0) + int(ep.get("count", "0") or 0)
    return result, timed_out, extra


def _ports_spec(tcp: list[int], udp: list[int]) -> str:
    parts = []
    if tcp:
        parts.append("T:" + ",".join(map(str, tcp)))
    if udp:
        parts.append("U:" + ",".join(map(str, udp)))
    return ",".join(parts)


async def scan(targets: list[str], tcp: list[int], udp: list[int], *, syn: bool = False,
               host_timeout: float = 30.0, timeout: float = 60.0) -> dict[str, Any]:
    """Scan addresses or CIDR blocks; returns {"hosts", "scan_type", "not_tested"}."""
    root = is_root()
    scan_type = "syn" if (syn and root) else "connect"
    not_tested = [] if (root or not udp) else [f"udp/{p}" for p in udp]
    udp = udp if root else []
    hosts: dict[str, Any] = {}
    groups: dict[int, list[str]] = {}
    for tg in targets:
        groups.setdefault(ipaddress.ip_network(tg, strict=False).version, []).append(tg)
    for version, group in sorted(groups.items()):
        flags: list[tuple[str, str | None]] = [("-oX", "-"), ("-sS" if scan_type == "syn" else "-sT", None)]
        if udp:
            flags.append(("-sU", None))
        flags += [("-Pn", None), ("-n", None), ("-T4", None), ("--max-retries", "1"),
                  ("--host-timeout", f"{max(1, int(host_timeout * 1000))}ms"), ("-p", _ports_spec(tcp, udp))]
        if version == 6:
            flags.append(("-6", None))
        result, timed_out, extra = parse(await run(build_argv(flags, group), timeout))
        for address, data in result.get("scan", {}).items():
            ports = []
            for proto in ("tcp", "udp"):
                for port, info in sorted(data.get(proto, {}).items()):
                    ports.append({"port": int(port), "protocol": proto, "state": info.get("state", ""),
                                  "service": info.get("name") or None})
            hosts[address] = {"timed_out": address in timed_out, "ports": ports, "extra": extra.get(address, {})}
    out = {"hosts": hosts, "scan_type": scan_type, "not_tested": not_tested}
    if syn and not root:
        out["syn_unavailable"] = "not root: TCP connect scan used"
    return out


async def script(address: str, port: int, name: str, *, args: str | None = None,
                 timeout: float = 20.0) -> str | None:
    """Output of one vetted NSE script against address:port (None when it produced nothing)."""
    flags: list[tuple[str, str | None]] = [("-oX", "-"), ("-sT", None), ("-Pn", None), ("-n", None),
                                           ("-p", str(port)), ("--script", name),
                                           ("--host-timeout", f"{int(timeout * 1000)}ms")]
    if args:
        flags.append(("--script-args", args))
    if ipaddress.ip_address(address).version == 6:
        flags.append(("-6", None))
    result, _, _ = parse(await run(build_argv(flags, [address]), timeout + 5))
    data = result.get("scan", {}).get(address, {})
    return data.get("tcp", {}).get(port, {}).get("script", {}).get(name)
