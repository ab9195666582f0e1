"""`cyberaudit scan --territory DIR [--shard I/N]`: scan every member's inventory, within its scope.

Members run concurrently in one event loop, each under a time budget. A member that
cannot be read, times out or crashes is listed in the summary; the others are saved
all the same (each member's files are its own, under its own lock). Saved files are
deterministic: a run that finds nothing new rewrites nothing.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from ..disk.confine import confined
from ..errors import InputError
from ..i18n import t
from .manifest import load_territory, member_dir
from .shard import select

FORMATS = ("table", "json", "markdown")
DEFAULT_MEMBER_BUDGET = 600.0  # seconds for all the targets of one member


@dataclasses.dataclass
class MemberRun:
    siren: str
    name: str
    status: str = "pending"  # ok | failed | timeout | skipped
    reason: str | None = None
    targets: int = 0
    counts: dict[str, int] = dataclasses.field(default_factory=dict)
    changed: bool = False
    assessed: bool = False
    findings: list = dataclasses.field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {"siren": self.siren, "name": self.name, "status": self.status, "reason": self.reason,
                "targets": self.targets, "counts": dict(sorted(self.counts.items())), "changed": self.changed,
                "assessed": self.assessed}


def _prepare(root: Path, siren: str, name: str, families: list[str] | None):
    """(run, workspace, targets, families) for one member; a broken member gets status failed/skipped."""
    from ..disk.workspace import Workspace
    from ..probes import FAMILIES
    from ..probes.scope import targets_from_organisation

    run = MemberRun(siren=siren, name=name)
    folder = member_dir(root, siren)
    ws = Workspace(folder)
    try:
        if folder.is_symlink() or not folder.resolve().is_relative_to(Path(root).resolve()):
            raise InputError(t("le dossier du membre est un lien hors du dépôt : refusé",
                               "the member folder is a link out of the repository: refused"), file=str(folder))
        with confined(folder):
            org = ws.load_organisation()
        if org.siren != siren:
            raise InputError(t(f"le SIREN du fichier ({org.siren}) n'est pas celui du dossier ({siren})",
                               f"the file's SIREN ({org.siren}) is not the folder's ({siren})"),
                             file=str(ws.organisation_path), field="siren")
        targets, _ = targets_from_organisation(org, None)
    except InputError as exc:
        run.status, run.reason = "failed", str(exc)
        return run, ws, [], []
    run.name = org.name
    fams = families or list(FAMILIES)
    targets = [tg for tg in targets if any(tg.allows(f) for f in fams)]
    run.targets = len(targets)
    if not targets:
        run.status = "skipped"
        run.reason = t("aucune cible dans le périmètre déclaré (inventaire vide ?)",
                       "no target within the declared scope (empty inventory?)")
    return run, ws, targets, fams


def _stable(result, ws):
    """Keep the previous file when only the timestamp differs, so a re-run rewrites the same bytes."""
    from ..disk.fileio import load_json
    from ..disk.workspace import LATEST_SCAN
    from ..model import ScanResult

    try:
        prev = load_json(ws.path(LATEST_SCAN), missing_ok=True)
        old = ScanResult.model_validate(prev) if prev else None
    except Exception:
        return result, True
    if old is not None and old.model_copy(update={"started_at": None}) == result.model_copy(update={"started_at": None}):
        return old, False
    return result, True


def _save(run: MemberRun, ws, result, now: dt.datetime, log) -> None:
    """Save a member's scan, its observations and assessment; every path stays inside the member's own folder."""
    with confined(ws.root):
        _save_confined(run, ws, result, now, log)


def _save_confined(run: MemberRun, ws, result, now: dt.datetime, log) -> None:
    from ..disk.confine import OutsideMember
    from ..disk.observations import save_scan

    with ws.lock():
        result, run.changed = _stable(result, ws)
        if run.changed:  # unchanged: the saved observations are those the kept result was judged from
            save_scan(ws, result, log)
    from ..assessment.evaluate import evaluate, save_assessment

    try:  # refresh assessment.json so the barometer sees the new scan
        save_assessment(ws, evaluate(ws, now=now))
        run.assessed = True
    except OutsideMember:
        raise
    except Exception as exc:  # the scan is saved: an evaluation problem is reported, not fatal
        run.reason = t(f"analyse enregistrée, évaluation impossible : {exc}",
                       f"scan saved, evaluation failed: {exc}")[:400]


def count_statuses(findings) -> dict[str, int]:
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.status.value] = counts.get(f.status.value, 0) + 1
    return counts


async def _scan_all(prepared, net, budget: float, now: dt.datetime, display) -> None:
    from .. import __version__
    from ..disk.observations import ObservationLog
    from ..model import ScanResult
    from ..probes.pipeline import scan_async

    active = [p for p in prepared if p[0].status == "pending"]
    parallel = max(1, min(len(active), net.concurrency))
    per_member = max(2, net.concurrency // parallel)
    gate = asyncio.Semaphore(parallel)

    async def one(run: MemberRun, ws, targets, fams) -> None:
        async with gate:
            with ObservationLog() as log:
                await _member(run, ws, targets, fams, log)

    async def _member(run: MemberRun, ws, targets, fams, log) -> None:
        # A Net of its own per member: the scan pipeline closes the DNS client of its Net when a
        # member's scan ends, which must not cut the queries of members still running.
        member_net = dataclasses.replace(net, concurrency=per_member)
        display.start(run)
        try:
            results = await asyncio.wait_for(
                scan_async(targets, fams, member_net, progress=lambda n, d, tot: display.step(run, d),
                           on_observed=log.add),
                timeout=budget)
        except TimeoutError:
            run.status = "timeout"
            run.reason = t(f"budget de temps dépassé ({budget:g} s) : résultats précédents conservés",
                           f"time budget exceeded ({budget:g} s): previous results kept")
            return
        except Exception as exc:  # a bug in one member must not lose the others
            run.status, run.reason = "failed", f"{type(exc).__name__}: {exc}"[:300]
            return
        finally:
            display.finish(run)
        result = ScanResult(
            tool_version=__version__, started_at=now, checks=list(fams),
            options={"nameserver": f"{net.nameserver}:{net.port}" if net.nameserver else None},
            results=sorted(results, key=lambda r: r.target))
        run.findings = result.findings()
        run.counts = count_statuses(run.findings)
        try:
            await asyncio.to_thread(_save, run, ws, result, now, log)
            run.status = "ok"
        except InputError as exc:  # a path out of the member's folder: this member only
            run.status, run.reason = "failed", str(exc)[:400]
        except Exception as exc:
            run.status, run.reason = "failed", f"{type(exc).__name__}: {exc}"[:300]

    await asyncio.gather(*(one(*p) for p in active))


def scan_territory(root: Path, *, shard: tuple[int, int] | None, families: list[str] | None, net,
                   member_budget: float = DEFAULT_MEMBER_BUDGET, display=None,
                   now: dt.datetime | None = None) -> list[MemberRun]:
    """Scan the members of one shard; returns one MemberRun per member, sorted by SIREN.

    `display(total)` makes the progress display (a context manager with start/step/finish); the
    CLI passes a Rich one, the library default shows nothing.
    """
    root = Path(root)
    territory = load_territory(root)
    names = {m.siren: m.name for m in territory.members}
    chosen = select(territory.sirens(), shard)
    prepared = [_prepare(root, s, names[s], families) for s in chosen]
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    runnable = sum(1 for p in prepared if p[0].status == "pending")
    from ..probes import pipeline as scanning

    run_loop = getattr(scanning, "run_loop", asyncio.run)  # uvloop when installed
    with (display or _Silent)(runnable) as shown:
        run_loop(_scan_all(prepared, net, member_budget, now, shown))
    return [p[0] for p in prepared]


class _Silent:
    """No progress display (library use, tests, pipes)."""

    def __init__(self, total: int):
        self.total = total

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def start(self, run) -> None:
        pass

    def step(self, run, done: int) -> None:
        pass

    def finish(self, run) -> None:
        pass
