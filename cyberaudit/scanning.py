"""The scan pipeline: runs the probe families on targets, concurrently, within bounds.

    result = scan(targets, families, net)          # -> ScanResult (cyberaudit/scan/v1)

Each (target, family) runs under `net.deadline`; an exception or timeout in one
family becomes an `error` finding (`<family>.probe.error`) and never loses the
other results. Findings are sorted so the saved JSON is deterministic.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
from collections.abc import Callable

from . import __version__
from .checks import REGISTRY, CheckInfo, check
from .model import Finding, ScanResult, Status, TargetResult, Text, sort_findings
from .net import Net
from .probes import FAMILIES, Target

ProgressFn = Callable[[str, int, int], None]  # (target, done, total)


def _error_check(family: str) -> CheckInfo:
    cid = f"{family}.probe.error"
    if cid in REGISTRY:
        return REGISTRY[cid]
    return check(
        cid, severity="info",
        title=Text(fr=f"Contrôles {family} non réalisés", en=f"{family} checks not performed"),
        explanation=Text(
            fr="La sonde n'a pas pu aller au bout : ce n'est pas une faille, mais ce point reste inconnu.",
            en="The probe could not complete: this is not a weakness, but this point remains unknown.",
        ),
        remediation=Text(fr="Vérifier la connectivité puis relancer l'analyse.",
                         en="Check connectivity and run the scan again."),
    )


def family_module(family: str):
    """Import a family's probe module, or None when it is not built yet."""
    try:
        return importlib.import_module(FAMILIES[family])
    except ModuleNotFoundError as exc:
        if exc.name == FAMILIES[family]:
            return None
        raise


async def _run_family(mod, family: str, target: Target, net: Net) -> list[Finding]:
    try:
        return list(await asyncio.wait_for(mod.scan(target, net), timeout=net.deadline))
    except TimeoutError:
        reason = "deadline"
    except Exception as exc:  # a probe bug must not lose the other results
        reason = f"{type(exc).__name__}: {exc}"[:300]
    return [_error_check(family).finding(Status.ERROR, target=target.name, evidence={"reason": reason})]


async def scan_async(targets: list[Target], families: list[str], net: Net,
                     progress: ProgressFn | None = None) -> list[TargetResult]:
    modules = {f: family_module(f) for f in families}
    sem = asyncio.Semaphore(max(1, net.concurrency))
    done = 0

    async def one(target: Target) -> TargetResult:
        nonlocal done
        async with sem:
            runs = [
                _run_family(mod, fam, target, net)
                for fam, mod in modules.items()
                if mod is not None and target.allows(fam)
            ]
            found: list[Finding] = []
            for chunk in await asyncio.gather(*runs):
                found.extend(chunk)
        done += 1
        if progress:
            progress(target.name, done, len(targets))
        return TargetResult(target=target.name, findings=sort_findings(found))

    return list(await asyncio.gather(*(one(tg) for tg in targets)))


def scan(targets: list[Target], families: list[str], net: Net,
         progress: ProgressFn | None = None, now: dt.datetime | None = None) -> ScanResult:
    results = asyncio.run(scan_async(targets, families, net, progress))
    return ScanResult(
        tool_version=__version__,
        started_at=(now or dt.datetime.now(dt.UTC)).replace(microsecond=0),
        checks=[f for f in families if family_module(f) is not None],
        options={"nameserver": f"{net.nameserver}:{net.port}" if net.nameserver else None},
        results=sorted(results, key=lambda r: r.target),
    )


def missing_families(families: list[str]) -> list[str]:
    return [f for f in families if family_module(f) is None]
