"""The barometer as one self-contained HTML page: inline CSS and SVG, strict CSP, everything escaped.

The template is `reports/aggregate.html.j2` (autoescaped); the charts are SVG built by
`charts.py` from numbers and escaped labels, passed in as markup.
"""

from __future__ import annotations

import base64
import hashlib
import os
from typing import Any

from ..i18n import get_lang, t
from . import charts
from .render import BUCKET_LABELS, pct, pick

TEMPLATE = "aggregate.html.j2"
EXTRA_CSS = """
.bar svg { display: block; }
.legend span { display: inline-block; margin-right: 1rem; }
.sw { display: inline-block; width: 0.8rem; height: 0.8rem; vertical-align: middle; margin-right: 0.3rem; }
.sw-yes { background: #1e6b34; } .sw-partial { background: #c98a00; } .sw-no { background: #a11d2b; }
.sw-unknown { background: #aab1bc; } .sw-ref { background: #000; width: 0.2rem; }
td.num, th.num { text-align: right; white-space: nowrap; }
details summary { cursor: pointer; }
ul.who { columns: 2; font-size: 0.9rem; }
.barometer main { max-width: 72rem; }
.scroll { overflow-x: auto; }
table.trend { font-size: 0.8rem; }
table.trend th, table.trend td { padding: 0.15rem 0.25rem; }
ol.legend { columns: 2; font-size: 0.85rem; }
@media print {
  .barometer main { max-width: none; }
  .barometer table { table-layout: fixed; width: 100%; overflow-wrap: anywhere; }
  .barometer td.bar svg { width: 100%; height: auto; }
  .barometer th.bar { width: 22%; }
  .barometer th.label { width: 28%; }
  table.kinds th { font-size: 7.5pt; white-space: normal; }
  .scroll { overflow: visible; }
  table { font-size: 8.5pt; }
  table.trend { font-size: 7.5pt; }
  .barometer table.trend { table-layout: auto; }
  table.trend th, table.trend td { white-space: nowrap; }
  table.trend tr, table tr { break-inside: avoid; }
  section { break-inside: auto; }
  #trend { break-before: page; }
  table.sparks { display: none; }  /* on paper the table of numbers says it; the curves stay on screen */
  table.trend { break-inside: avoid; }
  details > summary { list-style: none; }
}
"""
TABLE_MONTHS = 24  # month rows in the trend table: two years hold on one A4 page
FALLBACK_CSS = """
body { font-family: system-ui, "DejaVu Sans", Arial, sans-serif; margin: 0; color: #1b1f24; line-height: 1.5; }
main, header { max-width: 72rem; margin: 0 auto; padding: 0 1.5rem; }
h1, h2, h3 { color: #123c69; } h2 { border-bottom: 2px solid #123c69; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #c9ced6; padding: 0.3rem; text-align: left; }
.muted { color: #4a5260; } code { font-family: monospace; }
"""


def csp(css: str) -> str:
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return ("default-src 'none'; style-src 'sha256-" + digest + "'; img-src data:; font-src 'none'; "
            "script-src 'none'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'")


def _css() -> str:
    from ..content.locate import content_dir
    from ..sanitize import strip_control

    try:
        base = (content_dir("reports") / "report.css").read_text("utf-8")
    except (FileNotFoundError, OSError):
        base = FALLBACK_CSS
    return strip_control(base + EXTRA_CSS, keep_newlines=True).replace("</", "<\\/")


def _link(page: str | None, out_dir: str | None) -> str | None:
    """Relative link from the output folder to a member's own page (inside the repository)."""
    if not page or out_dir is None:
        return None
    return os.path.relpath(page, out_dir).replace(os.sep, "/")


def _count(value: Any) -> int:
    return value if isinstance(value, int) else len(value)


def _changes(data: dict[str, Any], pages: dict[str, str | None]) -> dict[str, Any] | None:
    ch = data.get("changes")
    if not ch:
        return None
    return {"since": ch["since"], "arrived": _count(ch["arrived"]), "left": _count(ch["left"]),
            "rows": [{"label": pick(r["label"]), "improved": _count(r["improved"]), "regressed": _count(r["regressed"]),
                      "who_improved": [{**p, "link": pages.get(p["siren"])} for p in r["improved"]]
                      if isinstance(r["improved"], list) else [],
                      "who_regressed": [{**p, "link": pages.get(p["siren"])} for p in r["regressed"]]
                      if isinstance(r["regressed"], list) else []}
                     for r in ch["indicators"]]}


def view(data: dict[str, Any], out_dir: str | None, for_print: bool = False) -> dict[str, Any]:
    from markupsafe import Markup

    from ..themes import THEMES

    lang = get_lang()
    pages = {m["siren"]: _link(m["page"], out_dir) for m in data["members"]}
    indicators = []
    for ind in data["indicators"]:
        label = pick(ind["label"])
        spark = [r["indicators"][ind["id"]]["share"] for r in data["trend"]]
        indicators.append({
            "id": ind["id"], "label": label, "share": pct(ind["share"]), "survey": pct(ind["survey"]),
            "counts": ind["counts"], "reads": ind["reads"],
            "bar": Markup(charts.stacked_bar(ind["counts"], ind["survey"], label)),
            "spark": Markup(charts.sparkline(spark, label)) if data["trend"] else None,
            "survey_question": pick(ind["survey_question"]) if ind.get("survey_question") else "",
            "groups": [{"label": t(*BUCKET_LABELS[b]), "bucket": b,
                        "members": [{**p, "link": pages.get(p["siren"])} for p in ind["members"][b]]}
                       for b in ("yes", "partial", "no", "unknown", "na") if ind["members"].get(b)],
        })
    titles = {k: v.pick(lang) for k, v in THEMES.items()}
    return {
        "lang": lang, "name": data["territory"]["name"], "as_of": data["as_of"], "counted": data["counted"],
        "declared": data["territory"]["declared"], "indicators": indicators, "for_print": for_print,
        "assessed": data["assessed"], "not_assessed_count": _count(data["not_assessed"]),
        "not_assessed": [{**p, "link": pages.get(p["siren"])} for p in data["not_assessed"]]
        if isinstance(data["not_assessed"], list) else [],
        "anonymised": bool(data.get("anonymised")), "min_group": data.get("min_group"),
        "grades": [{"grade": {"none": "—", "not_assessed": t("non évalué", "not assessed")}.get(g, g),
                    "count": v["count"], "members": [{**p, "link": pages.get(p["siren"])} for p in v["members"]]}
                   for g, v in data["grades"].items()],
        "grade_chart": Markup(charts.grade_chart({g: v for g, v in data["grades"].items() if g != "not_assessed"},
                                                 t("Répartition des notes", "Grade distribution"))),
        "changes": _changes(data, pages),
        "by_kind": [{**g, "label": pick(g["label"]),
                     "cells": [pct(g["shares"][ind["id"]]) for ind in data["indicators"]]} for g in data["by_kind"]],
        "theme_chart": Markup(charts.theme_chart(data["themes"], titles, t("Scores par thème", "Scores by theme"))),
        "themes": [{**th, "title": titles[th["theme"]]} for th in data["themes"]],
        "score": data["score"], "stale": data["stale"] if isinstance(data["stale"], list) else [],
        "stale_count": _count(data["stale"]),
        "not_counted": [{**n, "label": pick(n["label"])} for n in data["not_counted"] if "label" in n],
        "not_counted_count": sum(n.get("count", 1) for n in data["not_counted"]),
        "trend": data["trend"],
        "trend_rows": [{"month": r["month"], "members": r["members"], "assessed": r["assessed"],
                        "cells": [pct(r["indicators"][ind["id"]]["share"]) for ind in data["indicators"]]}
                       for r in data["trend"][-TABLE_MONTHS:]],
        "trend_span": (data["trend"][0]["month"], data["trend"][-1]["month"]) if data["trend"] else None,
        "members": [{**m, "link": pages.get(m["siren"])} for m in data["members"]],
        "with_evidence": data["with_evidence"],
    }


LABELS = {
    "title": ("Baromètre du territoire", "Territory barometer"),
    "as_of": ("Situation au", "As of"),
    "counted": ("membres comptés", "members counted"),
    "declared": ("déclarés", "declared"),
    "indicators": ("Indicateurs", "Indicators"),
    "indicator": ("Indicateur", "Indicator"),
    "share": ("Part", "Share"),
    "yes": ("Oui", "Yes"), "partial": ("En partie", "Partly"), "no": ("Non", "No"), "unknown": ("Inconnu", "Unknown"),
    "survey": ("Réf. nationale", "National ref."),
    "survey_note": ("Référence nationale : enquête ANPP « Flash Territoires de projet et usages du numérique ».",
                    "National reference: ANPP survey 'Flash Territoires de projet et usages du numérique'."),
    "share_note": ("Part : membres évalués répondant « oui » parmi ceux dont la situation est connue ; « inconnu » ne "
                   "compte jamais comme « non », sauf pour les indicateurs de l'enquête, où « je ne sais pas » compte "
                   "comme « non » (même question que l'enquête).",
                   "Share: assessed members answering 'yes' among those whose situation is known; 'unknown' never "
                   "counts as 'no', except for the survey's indicators, where 'I don't know' counts as 'no' (same "
                   "question as the survey)."),
    "who": ("Membres derrière ce chiffre", "Members behind this figure"),
    "reads": ("Lit", "Reads"),
    "grades": ("Répartition des notes", "Grade distribution"),
    "mean": ("Score moyen", "Mean score"), "median": ("médiane", "median"),
    "themes": ("Scores par thème (moyenne des membres)", "Scores by theme (members' mean)"),
    "theme": ("Thème", "Theme"), "members": ("Membres", "Members"),
    "trend": ("Évolution mensuelle (historique git)", "Monthly trend (git history)"),
    "no_trend": ("Pas d'historique git disponible.", "No git history available."),
    "trend_note": ("Une ligne par mois (24 au plus) : les membres de ce mois-là, jugés à la fin du mois ; la "
                   "dernière ligne est la situation du baromètre. Colonnes numérotées : voir la légende.",
                   "One row per month (24 at most): that month's members, judged at the month's end; the last row "
                   "is the barometer's own figure. Numbered columns: see the legend."),
    "month": ("Mois", "Month"), "assessed_n": ("Évalués", "Assessed"),
    "not_assessed": ("Membres non évalués (rien de connu)", "Members not assessed (nothing known)"),
    "not_assessed_note": ("hors notes, moyennes et parts", "in no grade, mean or share"),
    "changes": ("Ce qui a changé depuis le mois précédent", "What changed since the previous month"),
    "since": ("Depuis", "Since"), "arrived": ("arrivée(s)", "arrival(s)"), "left": ("départ(s)", "departure(s)"),
    "improved": ("En progrès", "Improved"), "regressed": ("En recul", "Regressed"),
    "no_changes": ("Pas de mois précédent dans l'historique git.", "No previous month in the git history."),
    "by_kind": ("Par type de membre", "By kind of member"), "group": ("Groupe", "Group"),
    "anonymised": ("Édition anonymisée : aucun nom ni SIREN ; les groupes de moins de {n} membres évalués sont "
                   "fusionnés.", "Anonymised edition: no name or SIREN; groups of fewer than {n} assessed members "
                   "are merged."),
    "national_question": ("Question de l'enquête", "Survey question"),
    "stale": ("Non évalués depuis plus d'un an", "Not assessed for more than a year"),
    "date_unknown": ("date inconnue", "date unknown"),
    "not_counted": ("Membres non comptés", "Members not counted"),
    "reason": ("Raison", "Reason"), "detail": ("Détail", "Detail"),
    "none": ("Aucun.", "None."),
    "all_members": ("Tous les membres", "All members"),
    "assessed": ("Évalué le", "Assessed on"), "grade": ("Note", "Grade"), "score": ("Score", "Score"),
    "kind": ("Profil", "Profile"),
    "privacy": ("Vue territoriale : aucun détail technique des constats n'est publié ici ; chaque membre garde ses "
                "propres pages.",
                "Territory view: no technical detail of findings is published here; each member keeps its own pages."),
    "privacy_evidence": ("Édition avec éléments techniques (--with-evidence) : à diffusion restreinte.",
                         "Edition with technical evidence (--with-evidence): restricted circulation."),
}


def render_html(data: dict[str, Any], out_dir: str | None = None, for_print: bool = False) -> str:
    import jinja2
    from markupsafe import Markup

    from ..content.locate import content_dir

    css = _css()
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(content_dir("reports"))), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    labels = {k: t(fr, en) for k, (fr, en) in LABELS.items()}
    labels["anonymised"] = labels["anonymised"].replace("{n}", str(data.get("min_group") or ""))
    return env.get_template(TEMPLATE).render(v=view(data, out_dir, for_print), L=labels, css=Markup(css),
                                             csp=csp(css), data=data)
