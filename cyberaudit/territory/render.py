"""Barometer formats: JSON, CSV, Markdown, a terminal table and self-contained HTML. Pure renderers.

Every value that came from a member (names, details) is escaped for its format: HTML
autoescape, Markdown escaping, CSV cells that could start a formula are defused.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..i18n import get_lang, t
from ..sanitize import spreadsheet_cell, strip_control

FORMATS = ("html", "md", "json", "csv", "table")
EXTENSIONS = {"html": "html", "md": "md", "json": "json", "csv": "csv"}
BUCKET_LABELS = {"yes": ("oui", "yes"), "partial": ("en partie", "partly"), "no": ("non", "no"),
                 "unknown": ("inconnu", "unknown"), "na": ("sans objet", "n/a")}


def bucket_label(bucket: str) -> str:
    fr, en = BUCKET_LABELS[bucket]
    return t(fr, en)


def pick(text: dict[str, str]) -> str:
    return text.get(get_lang()) or text.get("fr") or ""


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f} %"


# --------------------------------------------------------------------------- JSON / CSV


def render_json(data: dict[str, Any]) -> str:
    from ..disk.fileio import dumps_json

    return dumps_json(data)


def _cell(value: Any) -> str:
    """One line per cell; the project's one guard against formulas and control characters."""
    return "" if value is None else spreadsheet_cell(strip_control(str(value)))


def render_csv(data: dict[str, Any]) -> str:
    """One row per member (counted or not), one column per indicator."""
    ids = [ind["id"] for ind in data["indicators"]]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["siren", "name", "kind", "population", "counted", "reason", "assessed_at", "score", "grade", *ids])
    rows = []
    for m in data["members"]:
        rows.append([m["siren"], m["name"], m["kind"], m["population"], "yes", "", m["assessed_at"], m["score"],
                     m["grade"], *[m["indicators"][i] for i in ids]])
    for n in data["not_counted"]:
        rows.append([n["siren"], n["name"], "", "", "no", n["reason"], "", "", "", *["" for _ in ids]])
    for row in sorted(rows, key=lambda r: (str(r[0]), r[4])):
        w.writerow([_cell(v) for v in row])
    return buf.getvalue()


# --------------------------------------------------------------------------- Markdown


def md(text: Any) -> str:
    text = strip_control("" if text is None else str(text))
    for ch in "\\|`*_[]<>#~!":
        text = text.replace(ch, "\\" + ch)
    return text


def _names(people: list[dict[str, str]], limit: int = 60) -> str:
    shown = ", ".join(f"{md(p['name'])} ({p['siren']})" for p in people[:limit])
    more = len(people) - limit
    return shown + (t(f" et {more} autres", f" and {more} more") if more > 0 else "")


def render_markdown(data: dict[str, Any]) -> str:
    L: list[str] = [f"# {t('Baromètre du territoire', 'Territory barometer')} : {md(data['territory']['name'])}", ""]
    L.append(t(f"Au {data['as_of']} : {data['counted']} membre(s) pris en compte sur {data['territory']['declared']} "
               f"déclaré(s), {len(data['not_counted'])} non compté(s).",
               f"As of {data['as_of']}: {data['counted']} member(s) counted of {data['territory']['declared']} "
               f"declared, {len(data['not_counted'])} not counted."))
    L += ["", f"## {t('Indicateurs', 'Indicators')}", "",
          f"| {t('Indicateur', 'Indicator')} | {t('Part', 'Share')} | {t('Oui', 'Yes')} | {t('En partie', 'Partly')} "
          f"| {t('Non', 'No')} | {t('Inconnu', 'Unknown')} | {t('Référence nationale', 'National reference')} |",
          "|---|---:|---:|---:|---:|---:|---:|"]
    for ind in data["indicators"]:
        c = ind["counts"]
        L.append(f"| {md(pick(ind['label']))} | {pct(ind['share'])} | {c['yes']} | {c['partial']} | {c['no']} "
                 f"| {c['unknown']} | {pct(ind['survey'])} |")
    L += ["", t("Part : membres ayant répondu « oui » parmi ceux dont la situation est connue ; les « inconnu » "
                "ne comptent pas comme « non ».",
                "Share: members answering 'yes' among those whose situation is known; 'unknown' never counts as 'no'."),
          "", f"## {t('Notes', 'Grades')}", "", "| A | B | C | D | E | F | — |", "|---:|---:|---:|---:|---:|---:|---:|",
          "| " + " | ".join(str(data["grades"][g]["count"]) for g in ("A", "B", "C", "D", "E", "F", "none")) + " |",
          ""]
    s = data["score"]
    if s["mean"] is not None:
        L += [t(f"Score moyen : {s['mean']} / 100 (médiane {s['median']}).",
                f"Mean score: {s['mean']} / 100 (median {s['median']})."), ""]
    L += [f"## {t('Scores par thème', 'Scores by theme')}", "",
          f"| {t('Thème', 'Theme')} | {t('Moyenne', 'Mean')} | {t('Membres', 'Members')} |", "|---|---:|---:|"]
    for th in data["themes"]:
        L.append(f"| {md(pick(th['title']))} | {'—' if th['mean'] is None else th['mean']} | {th['members']} |")
    if data["trend"]:
        rows = data["trend"][-12:]
        L += ["", f"## {t('Évolution mensuelle (12 derniers mois)', 'Monthly trend (last 12 months)')}", "",
              "| " + t("Indicateur", "Indicator") + " | " + " | ".join(r["month"] for r in rows) + " |",
              "|---|" + "---:|" * len(rows)]
        for ind in data["indicators"]:
            L.append(f"| {md(pick(ind['label']))} | "
                     + " | ".join(pct(r["indicators"][ind["id"]]["share"]) for r in rows) + " |")
    L += ["", f"## {t('Non évalués depuis plus d’un an', 'Not assessed for more than a year')}", ""]
    L += [f"- {md(m['name'])} ({m['siren']}) : {m['assessed_at'] or t('date inconnue', 'date unknown')}"
          for m in data["stale"]] or [t("Aucun.", "None.")]
    L += ["", f"## {t('Membres non comptés', 'Members not counted')}", ""]
    L += [f"- {md(n['name'] or '')} ({md(n['siren'])}) : {md(pick(n['label']))} — {md(n['detail'])}"
          for n in data["not_counted"]] or [t("Aucun.", "None.")]
    L += ["", f"## {t('Membres derrière chaque chiffre', 'Members behind each figure')}", ""]
    for ind in data["indicators"]:
        L += [f"### {md(pick(ind['label']))}", ""]
        for bucket in ("yes", "partial", "no", "unknown", "na"):
            people = ind["members"][bucket]
            if people:
                L.append(f"- **{bucket_label(bucket)}** ({len(people)}) : {_names(people)}")
        L.append("")
    return "\n".join(L).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- terminal


def render_table(data: dict[str, Any], console) -> None:
    from rich.table import Table

    from ..sanitize import markup_safe as safe

    table = Table(title=t("Baromètre", "Barometer") + f" : {safe(data['territory']['name'])} ({data['as_of']})",
                  title_justify="left")
    for col in (t("Indicateur", "Indicator"), t("Part", "Share"), t("Oui", "Yes"), t("En partie", "Partly"),
                t("Non", "No"), t("Inconnu", "Unknown"), t("Réf. nationale", "National ref.")):
        table.add_column(col)
    for ind in data["indicators"]:
        c = ind["counts"]
        table.add_row(safe(pick(ind["label"])), pct(ind["share"]), str(c["yes"]), str(c["partial"]), str(c["no"]),
                      str(c["unknown"]), pct(ind["survey"]))
    console.print(table)
    grades = "  ".join(f"{g}: {data['grades'][g]['count']}" for g in ("A", "B", "C", "D", "E", "F", "none"))
    console.print(t("Notes : ", "Grades: ") + grades.replace("none", "—"))
    console.print(t(f"{data['counted']} membre(s) comptés, {len(data['stale'])} non évalué(s) depuis plus d'un an, "
                    f"{len(data['not_counted'])} non compté(s).",
                    f"{data['counted']} member(s) counted, {len(data['stale'])} not assessed for over a year, "
                    f"{len(data['not_counted'])} not counted."))
    for n in data["not_counted"]:
        console.print(f"  [yellow]{safe(n['siren'])}[/] {safe(n['name'] or '')} : {safe(pick(n['label']))} — "
                      f"{safe(n['detail'])}", soft_wrap=True)
