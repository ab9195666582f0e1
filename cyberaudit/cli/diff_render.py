"""Formats of `cyberaudit diff`: Rich table, Markdown (a merge-request comment), JSON."""

from __future__ import annotations

from typing import Any

from ..i18n import get_lang, t
from ..territory.render import md

HEADINGS = {
    "fixed": ("Corrigés", "Fixed"),
    "new": ("Nouveaux problèmes", "New problems"),
    "worse": ("Aggravés", "Worse"),
    "improved": ("Améliorés", "Improved"),
    "untested": ("Plus testés (inconnus)", "No longer tested (unknown)"),
}
ICONS = {"fixed": "✅", "new": "🆕", "worse": "⬇️", "improved": "⬆️", "untested": "❔"}
STATES = {"pass": ("conforme", "pass"), "fail": ("échec", "fail"), "warn": ("attention", "warn"),
          "info": ("info", "info"), "error": ("non testé", "not tested"), "unknown": ("inconnu", "unknown"),
          None: ("absent", "absent")}


def _state(value: str | None) -> str:
    fr, en = STATES.get(value, (str(value), str(value)))
    return t(fr, en)


def _title(row: dict[str, Any]) -> str:
    return row["title"].get(get_lang()) or row["title"]["fr"]


def _score(side: dict[str, Any]) -> str:
    if side["score"] is None:
        return "—"
    return f"{side['score']:g}/100 ({side['grade'] or '—'})"


def summary_line(diff: dict[str, Any]) -> str:
    c = diff["counts"]
    delta = diff["score_delta"]
    moved = "" if delta is None else (f" ({'+' if delta >= 0 else ''}{delta:g})")
    return t(f"Score : {_score(diff['before'])} → {_score(diff['after'])}{moved} · {c['fixed']} corrigé(s), "
             f"{c['new']} nouveau(x), {c['worse']} aggravé(s), {c['improved']} amélioré(s), "
             f"{c['untested']} plus testé(s)",
             f"Score: {_score(diff['before'])} → {_score(diff['after'])}{moved} · {c['fixed']} fixed, {c['new']} new, "
             f"{c['worse']} worse, {c['improved']} improved, {c['untested']} no longer tested")


def render_json(diff: dict[str, Any]) -> str:
    from ..disk.fileio import dumps_json

    return dumps_json(diff)


def render_markdown(diff: dict[str, Any]) -> str:
    lines = [f"### {t('Évolution de l’évaluation', 'Assessment changes')} : {md(diff['after']['organisation'])}", "",
             md(summary_line(diff)), "",
             f"{md(diff['before']['label'])} → {md(diff['after']['label'])}", ""]
    if diff["themes"]:
        lines += [f"| {t('Thème', 'Theme')} | {t('Avant', 'Before')} | {t('Après', 'After')} | Δ |", "|---|---:|---:|---:|"]
        for th in diff["themes"]:
            lines.append(f"| {md(th['title'].get(get_lang()) or th['title']['fr'])} | "
                         f"{'—' if th['old'] is None else th['old']} | {'—' if th['new'] is None else th['new']} | "
                         f"{'—' if th['delta'] is None else th['delta']} |")
        lines.append("")
    for cat, (fr, en) in HEADINGS.items():
        rows = diff[cat]
        if not rows:
            continue
        lines += [f"#### {ICONS[cat]} {t(fr, en)} ({len(rows)})", "",
                  f"| {t('Constat', 'Finding')} | {t('Cible', 'Target')} | {t('Sévérité', 'Severity')} | "
                  f"{t('Avant', 'Before')} | {t('Après', 'After')} |", "|---|---|---|---|---|"]
        for r in rows:
            lines.append(f"| {md(_title(r))} (`{r['id']}`) | {md(r['target'] or '')} | {r['severity']} | "
                         f"{_state(r['old'])} | {_state(r['new'])} |")
        lines.append("")
    if not any(diff[c] for c in HEADINGS) and not diff["themes"]:
        lines += [t("Aucun changement.", "No change."), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def render_table(diff: dict[str, Any], console) -> None:
    from rich.table import Table

    from .ui import safe

    console.print(safe(summary_line(diff)))
    styles = {"fixed": "green", "new": "bold red", "worse": "red", "improved": "cyan", "untested": "magenta"}
    for cat, (fr, en) in HEADINGS.items():
        rows = diff[cat]
        if not rows:
            continue
        table = Table(title=f"{t(fr, en)} ({len(rows)})", title_justify="left", title_style=styles[cat])
        for col in (t("Constat", "Finding"), "ID", t("Cible", "Target"), t("Sévérité", "Severity"),
                    t("Avant", "Before"), t("Après", "After")):
            table.add_column(col)
        for r in rows:
            table.add_row(safe(_title(r)), r["id"], safe(r["target"] or ""), r["severity"], _state(r["old"]),
                          _state(r["new"]))
        console.print(table)
    if not any(diff[c] for c in HEADINGS):
        console.print(t("Aucun changement de constat.", "No finding changed."))
