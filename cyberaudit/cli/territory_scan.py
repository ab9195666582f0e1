"""CLI side of `cyberaudit scan --territory`: options, Rich progress display, summary and exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ..errors import InputError, ProbeError
from ..i18n import t
from ..territory.scan import DEFAULT_MEMBER_BUDGET, MemberRun


class _Display:
    """One Rich progress display: the overall bar plus one line per member being scanned."""

    def __init__(self, total: int, enabled: bool):
        self.progress = None
        if not enabled:
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from . import ui

        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=ui.err(), transient=True)
        self.overall = self.progress.add_task(t("Membres", "Members"), total=total)
        self.tasks: dict[str, Any] = {}

    def __enter__(self):
        if self.progress:
            self.progress.start()
        return self

    def __exit__(self, *exc):
        if self.progress:
            self.progress.stop()

    def start(self, run: MemberRun) -> None:
        if self.progress:
            from .ui import safe

            label = f"  {run.siren} {safe(run.name)[:40]}"
            self.tasks[run.siren] = self.progress.add_task(label, total=run.targets)

    def step(self, run: MemberRun, done: int) -> None:
        if self.progress and run.siren in self.tasks:
            self.progress.update(self.tasks[run.siren], completed=done)

    def finish(self, run: MemberRun) -> None:
        if self.progress:
            task = self.tasks.pop(run.siren, None)
            if task is not None:
                self.progress.remove_task(task)
            self.progress.advance(self.overall)


def run_territory_scan_command(*, territory, shard, checks, nameserver, ca_bundle, timeout, concurrency, fmt,
                               output, fail_on, member_budget: float = DEFAULT_MEMBER_BUDGET, trust_anchor=None,
                               ports: str = "curated", syn: bool = False, only: str | None = None,
                               show_all: bool = False) -> None:
    """The `scan --territory` command: validate options, scan, print the summary, set the exit code.

    --only narrows the summary's counts and --fail-on to the checks named (every check is still run and
    saved in each member's workspace); --all has no meaning for a per-member summary and is refused."""
    from ..disk.fileio import atomic_write
    from ..probes.scope import parse_families
    from ..territory.scan import FORMATS, scan_territory
    from ..territory.shard import parse_shard
    from . import ui
    from .scan_run import build_net, check_threshold, parse_fail_on, parse_only
    from .territory_scan_render import summary_json, summary_markdown, summary_table

    if fmt is not None and fmt not in FORMATS:
        raise InputError(t("--format attend table, json ou markdown", "--format expects table, json or markdown"),
                         field="--format")
    if show_all:
        raise InputError(t("--all ne s'applique pas à --territory : son résumé compte les résultats par membre ; "
                           "le détail de chaque membre est dans son dossier (cyberaudit scan -w DOSSIER --rejudge "
                           "--all)", "--all does not apply to --territory: its summary counts results per member; "
                           "each member's details are in its folder (cyberaudit scan -w FOLDER --rejudge --all)"),
                         field="--all")
    severity = parse_fail_on(fail_on)
    families = parse_families(checks)
    wanted = parse_only(only)
    if member_budget is None or not 1 <= float(member_budget) <= 86400:
        raise InputError(t("budget de temps par membre : entre 1 et 86400 s", "time budget per member: 1 to 86400 s"),
                         field="--member-budget")
    net = build_net(nameserver, ca_bundle, timeout, concurrency, ports, syn,
                    **({"trust_anchor": trust_anchor} if trust_anchor is not None else {}))
    part = parse_shard(shard)
    show = fmt not in ("json", "markdown") and sys.stderr.isatty()
    runs = scan_territory(Path(territory), shard=part, families=families, net=net, member_budget=member_budget,
                          display=(lambda total: _Display(total, show and total > 0)))
    if wanted:
        runs = [narrowed(r, wanted) for r in runs]
    text = None
    if fmt == "json":
        text = summary_json(runs, part)
    elif fmt == "markdown" or (output and fmt is None):
        text = summary_markdown(runs, part)
    if output:
        atomic_write(output, text)
    elif text is not None:
        ui.out().file.write(text)
    else:
        summary_table(runs, part, ui.out(), ui.err())
    ok = [r for r in runs if r.status == "ok"]
    broken = [r for r in runs if r.status == "failed"]
    tried = [r for r in runs if r.status in ("ok", "timeout", "failed")]
    if tried and not ok and not broken:
        raise ProbeError(t("aucun membre n'a pu être analysé", "no member could be scanned"))
    if ok and all(f.status.value == "error" for r in ok for f in r.findings) and not broken:
        raise ProbeError(t("aucun contrôle n'a pu être réalisé (réseau ?)", "no check could be performed (network?)"))
    if broken:
        raise InputError(t(f"{len(broken)} membre(s) non analysé(s) (voir le résumé) ; les autres sont enregistrés",
                           f"{len(broken)} member(s) not scanned (see the summary); the others are saved"))
    check_threshold([f for r in ok for f in r.findings], severity)


def narrowed(run: MemberRun, only: list[str]) -> MemberRun:
    """The run as --only shows it: its findings and counts restricted to the checks named."""
    import dataclasses

    from ..scanview.triage import matches
    from ..territory.scan import count_statuses

    findings = [f for f in run.findings if matches(f.id, only)]
    return dataclasses.replace(run, findings=findings, counts=count_statuses(findings) if run.counts else {})
