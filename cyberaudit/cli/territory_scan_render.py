"""Summaries of a territory scan: Rich table, Markdown, JSON (members sorted by SIREN)."""

from __future__ import annotations

from ..i18n import t
from ..sanitize import strip_control

STATUS = {
    "ok": ("analysé", "scanned", "green"),
    "failed": ("ÉCHEC", "FAILED", "bold red"),
    "timeout": ("DÉLAI DÉPASSÉ", "TIMED OUT", "bold red"),
    "skipped": ("rien à analyser", "nothing to scan", "yellow"),
    "pending": ("non lancé", "not started", "magenta"),
}


def _label(status: str) -> str:
    fr, en, _ = STATUS.get(status, STATUS["pending"])
    return t(fr, en)


def _counts(run) -> str:
    c = run.counts
    return " ".join(f"{k}={c[k]}" for k in ("pass", "warn", "fail", "info", "error") if c.get(k))


def _shard_text(part) -> str:
    return "" if part is None else t(f" (part {part[0]}/{part[1]})", f" (shard {part[0]}/{part[1]})")


def summary_json(runs, part) -> str:
    from ..disk.fileio import dumps_json

    return dumps_json({
        "shard": None if part is None else {"index": part[0], "total": part[1]},
        "members": [r.as_dict() for r in runs],
        "totals": {s: sum(1 for r in runs if r.status == s) for s in STATUS},
    })


def _md(text: str) -> str:
    text = strip_control(text)
    for ch in "\\|`*_[]<>#":
        text = text.replace(ch, "\\" + ch)
    return text


def summary_markdown(runs, part) -> str:
    lines = [f"# {t('Analyse du territoire', 'Territory scan')}{_shard_text(part)}", "",
             f"| SIREN | {t('Membre', 'Member')} | {t('Cibles', 'Targets')} | {t('État', 'Status')} "
             f"| {t('Résultats', 'Results')} | {t('Détail', 'Detail')} |",
             "|---|---|---|---|---|---|"]
    for r in runs:
        lines.append(f"| {r.siren} | {_md(r.name)} | {r.targets} | {_label(r.status)} | {_counts(r)} "
                     f"| {_md(r.reason or '')} |")
    return "\n".join(lines) + "\n"


def summary_table(runs, part, out, err) -> None:
    from rich.table import Table

    from .ui import safe

    table = Table(title=t("Analyse du territoire", "Territory scan") + _shard_text(part), title_justify="left")
    for col in ("SIREN", t("Membre", "Member"), t("Cibles", "Targets"), t("État", "Status"),
                t("Résultats", "Results")):
        table.add_column(col)
    for r in runs:
        style = STATUS.get(r.status, STATUS["pending"])[2]
        table.add_row(r.siren, safe(r.name), str(r.targets), f"[{style}]{_label(r.status)}[/]", _counts(r))
    out.print(table)
    problems = [r for r in runs if r.status in ("failed", "timeout") or (r.status == "ok" and r.reason)]
    if problems:
        err.print(f"[bold red]{t('Membres en difficulté', 'Members with problems')}[/] ({len(problems)})")
        for r in problems:
            err.print(f"  {r.siren} {safe(r.name)} : {safe(r.reason or '')}", soft_wrap=True)
    done = sum(1 for r in runs if r.status == "ok")
    changed = sum(1 for r in runs if r.changed)
    out.print(t(f"{done}/{len(runs)} membre(s) analysé(s), {changed} résultat(s) modifié(s).",
                f"{done}/{len(runs)} member(s) scanned, {changed} result(s) changed."))
