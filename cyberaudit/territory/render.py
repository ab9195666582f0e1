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

FORMATS = ("html", "pdf", "md", "json", "csv", "table")
EXTENSIONS = {"html": "html", "pdf": "pdf", "md": "md", "json": "json", "csv": "csv"}
CSV_SEPARATOR = ";"  # what a French spreadsheet expects (the comma is the decimal mark)
BOM = "\ufeff"  # UTF-8 with BOM: the spreadsheet then reads accents right
BUCKET_LABELS = {"yes": ("oui", "yes"), "partial": ("en partie", "partly"), "no": ("non", "no"),
                 "unknown": ("inconnu", "unknown"), "na": ("sans objet", "n/a")}


def bucket_label(bucket: str) -> str:
    fr, en = BUCKET_LABELS[bucket]
    return t(fr, en)


def pick(text: dict[str, str]) -> str:
    return text.get(get_lang()) or text.get("fr") or ""


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f} %"


def count(value: Any) -> int:
    """A list of members, or its count (the anonymised edition keeps counts only)."""
    return value if isinstance(value, int) else len(value)


# --------------------------------------------------------------------------- JSON / CSV


def render_json(data: dict[str, Any]) -> str:
    from ..disk.fileio import dumps_json

    return dumps_json(data)


def _cell(value: Any) -> str:
    """One line per cell; the project's one guard against formulas and control characters."""
    return "" if value is None else spreadsheet_cell(strip_control(str(value)))


def _number(value: Any) -> Any:
    """A decimal as a French spreadsheet reads it (comma)."""
    return str(value).replace(".", ",") if isinstance(value, float) else value


def render_csv(data: dict[str, Any]) -> str:
    """One row per member (counted or not), one column per indicator; `;`-separated, UTF-8 with BOM.

    The anonymised edition has no member rows: one row per group of the breakdown by kind instead."""
    ids = [ind["id"] for ind in data["indicators"]]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=CSV_SEPARATOR, lineterminator="\r\n")
    if data.get("anonymised"):
        w.writerow(["group", "label", "members", "assessed", "mean_score", *ids])
        for g in data["by_kind"]:
            w.writerow([_cell(v) for v in [g["group"], pick(g["label"]), g["members"], g["assessed"],
                                           _number(g["mean_score"]), *[_number(g["shares"][i]) for i in ids]]])
        return BOM + buf.getvalue()
    w.writerow(["siren", "name", "kind", "population", "counted", "assessed", "reason", "assessed_at", "score",
                "grade", *ids])
    rows = []
    for m in data["members"]:
        rows.append([m["siren"], m["name"], m["kind"], m["population"], "yes", "yes" if m["assessed"] else "no",
                     "" if m["assessed"] else "not_assessed", m["assessed_at"], _number(m["score"]), m["grade"],
                     *[m["indicators"].get(i, "") for i in ids]])
    for n in data["not_counted"]:
        rows.append([n["siren"], n["name"], "", "", "no", "no", n["reason"], "", "", "", *["" for _ in ids]])
    for row in sorted(rows, key=lambda r: (str(r[0]), r[4])):
        w.writerow([_cell(v) for v in row])
    return BOM + buf.getvalue()


# --------------------------------------------------------------------------- Markdown


def md(text: Any) -> str:
    text = strip_control("" if text is None else str(text))
    for ch in "\\|`*_[]<>#~!":
        text = text.replace(ch, "\\" + ch)
    return text


def render_markdown(data: dict[str, Any]) -> str:
    from .render_md import markdown

    return markdown(data)


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
    console.print(t(f"{data['counted']} membre(s) comptés dont {data['assessed']} évalué(s) et {count(data['not_assessed'])} "
                    f"non évalué(s) (rien de connu : hors notes, moyennes et parts), {count(data['stale'])} non évalué(s) "
                    f"depuis plus d'un an, {count(data['not_counted'])} non compté(s).",
                    f"{data['counted']} member(s) counted: {data['assessed']} assessed, {count(data['not_assessed'])} "
                    f"not assessed (nothing known: in no grade, mean or share), {count(data['stale'])} not assessed "
                    f"for over a year, {count(data['not_counted'])} not counted."))
    if data.get("anonymised"):
        return
    for n in data["not_counted"]:
        console.print(f"  [yellow]{safe(n['siren'])}[/] {safe(n['name'] or '')} : {safe(pick(n['label']))} — "
                      f"{safe(n['detail'])}", soft_wrap=True)
