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
table.trend { font-size: 0.85rem; }
"""
TABLE_MONTHS = 12  # month columns in the trend table (the sparkline shows every month)
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


def view(data: dict[str, Any], out_dir: str | None) -> dict[str, Any]:
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
            "groups": [{"label": t(*BUCKET_LABELS[b]), "bucket": b,
                        "members": [{**p, "link": pages.get(p["siren"])} for p in ind["members"][b]]}
                       for b in ("yes", "partial", "no", "unknown", "na") if ind["members"][b]],
        })
    titles = {k: v.pick(lang) for k, v in THEMES.items()}
    return {
        "lang": lang, "name": data["territory"]["name"], "as_of": data["as_of"], "counted": data["counted"],
        "declared": data["territory"]["declared"], "indicators": indicators,
        "grades": [{"grade": "—" if g == "none" else g, "count": v["count"],
                    "members": [{**p, "link": pages.get(p["siren"])} for p in v["members"]]}
                   for g, v in data["grades"].items()],
        "grade_chart": Markup(charts.grade_chart(data["grades"], t("Répartition des notes", "Grade distribution"))),
        "theme_chart": Markup(charts.theme_chart(data["themes"], titles, t("Scores par thème", "Scores by theme"))),
        "themes": [{**th, "title": titles[th["theme"]]} for th in data["themes"]],
        "score": data["score"], "stale": data["stale"],
        "not_counted": [{**n, "label": pick(n["label"])} for n in data["not_counted"]],
        "trend": data["trend"], "months": [r["month"] for r in data["trend"][-TABLE_MONTHS:]],
        "trend_rows": [{"label": pick(ind["label"]),
                        "cells": [pct(r["indicators"][ind["id"]]["share"]) for r in data["trend"][-TABLE_MONTHS:]]}
                       for ind in data["indicators"]],
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
    "share_note": ("Part : membres répondant « oui » parmi ceux dont la situation est connue ; « inconnu » ne compte "
                   "jamais comme « non ».",
                   "Share: members answering 'yes' among those whose situation is known; 'unknown' never counts as 'no'."),
    "who": ("Membres derrière ce chiffre", "Members behind this figure"),
    "reads": ("Lit", "Reads"),
    "grades": ("Répartition des notes", "Grade distribution"),
    "mean": ("Score moyen", "Mean score"), "median": ("médiane", "median"),
    "themes": ("Scores par thème (moyenne des membres)", "Scores by theme (members' mean)"),
    "theme": ("Thème", "Theme"), "members": ("Membres", "Members"),
    "trend": ("Évolution mensuelle (historique git)", "Monthly trend (git history)"),
    "no_trend": ("Pas d'historique git disponible.", "No git history available."),
    "trend_note": ("La courbe couvre toute la période ; le tableau, les 12 derniers mois.",
                   "The curve covers the whole period; the table, the last 12 months."),
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


def render_html(data: dict[str, Any], out_dir: str | None = None) -> str:
    import jinja2
    from markupsafe import Markup

    from ..content.locate import content_dir

    css = _css()
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(content_dir("reports"))), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    labels = {k: t(fr, en) for k, (fr, en) in LABELS.items()}
    return env.get_template(TEMPLATE).render(v=view(data, out_dir), L=labels, css=Markup(css), csp=csp(css),
                                             data=data)
