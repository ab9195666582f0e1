"""The few lines that close `assess`, `report` and `demo`: grade (or provisional, or not assessed),
coverage, the paragraph that explains them, the first actions, and the command that writes the report."""

from __future__ import annotations

import shlex
from pathlib import Path

from rich.console import Console

from ..i18n import t
from .ui import safe


def workspace_arg(root: Path | str) -> str:
    """`--workspace DIR`, quoted for a shell when needed, for the hints we print."""
    return f"--workspace {shlex.quote(str(root))}"


def print_grade(console: Console, report, score, lang: str, root: Path | str, *, actions: int = 3,
                written: list[Path] | None = None) -> None:
    from ..report.common import number, percent
    from ..report.explain import explanation, grade_text

    where = workspace_arg(root)
    shown = grade_text(score, lang)
    if score.grade is None:
        console.print(t(f"[bold]Note : {shown}[/]", f"[bold]Grade: {shown}[/]"))
    else:
        cov = percent(score.coverage.ratio, lang)
        console.print(t(f"[bold]Note : {shown}[/] — score {number(score.score, lang)}/100 — couverture {cov}",
                        f"[bold]Grade: {shown}[/] — score {number(score.score, lang)}/100 — coverage {cov}"),
                      soft_wrap=True)
    console.print(safe(explanation(score, lang, where)), soft_wrap=True)
    first = report.actions[:actions]
    if first:
        console.print(t(f"Les {len(first)} premières actions :", f"The first {len(first)} actions:"))
        for a in first:
            console.print(f"  {a.rank}. {safe(a.title)} — {safe(a.owner_label)}", soft_wrap=True)
    if written:
        for path in written:
            console.print(t("  rapport : ", "  report: ") + safe(path), soft_wrap=True)
    else:
        console.print(t(f"Pour écrire les rapports : cyberaudit report {where} --format html,pdf",
                        f"To write the reports: cyberaudit report {where} --format html,pdf"), soft_wrap=True)
