"""Build the report's view-model from an assessment, its score and the profile. Pure.

    report = build(assessment, score, profile, lang="fr", content=content, previous=prev)

The same inputs give the same Report (the date shown is the assessment's, not the clock's).
"""

from __future__ import annotations

from typing import Any

from ..assessment.scoring import Score, score, theme_of
from ..model import SEVERITY_RANK, Assessment
from . import actions as plan_mod
from . import sections
from .common import COST, Ctx, clean, number, percent, text, word
from .labels import labels
from .view import BarView, Cover, Report, RowView, Summary, ThemeView
from .website import website as website_section

BAR_MAX = 300
BAR_STEP = 28
BAR_FILL = {"bar-good": "#1e6b34", "bar-mid": "#8a5a00", "bar-bad": "#a11d2b", "bar-na": "#5c6470"}
GRADE_MEANING = {
    "A": ("Les protections essentielles sont en place ; il s'agit surtout d'entretenir et de vérifier.",
          "The essential protections are in place; the task is mostly to maintain and check them."),
    "B": ("Bonne base : quelques mesures importantes restent à compléter.",
          "A good base: a few important measures remain to be completed."),
    "C": ("Des protections existent, mais des manques importants exposent la collectivité.",
          "Protections exist, but significant gaps leave the organisation exposed."),
    "D": ("Des manques sérieux : une attaque courante aurait de bonnes chances de réussir. Les actions P1 sont "
          "à engager sans attendre.",
          "Serious gaps: a common attack would stand a good chance of succeeding. Start the P1 actions now."),
    "E": ("Situation fragile : plusieurs mesures essentielles manquent. Un plan d'action rapide est nécessaire.",
          "A fragile situation: several essential measures are missing. A quick action plan is needed."),
    "F": ("Situation critique : les protections de base font défaut. Agir dès maintenant, avec le prestataire.",
          "A critical situation: basic protections are missing. Act now, with the IT provider."),
}
GRADE_CLASS = {"A": "g-a", "B": "g-b", "C": "g-c", "D": "g-d", "E": "g-e", "F": "g-f"}


def _months(n: int, lang: str) -> str:
    return f"{n} mois" if lang == "fr" else f"{n} month{'s' if n > 1 else ''}"


def _date(d, lang: str) -> str:
    if d is None:
        return "—"
    months_fr = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                 "octobre", "novembre", "décembre"]
    if lang == "fr":
        return f"{d.day} {months_fr[d.month - 1]} {d.year}"
    return d.strftime("%d %B %Y").lstrip("0")


def _cover(a: Assessment, profile: Any, lang: str, L: dict[str, str]) -> Cover:
    org = a.organisation
    title = getattr(profile, "title", None)
    dpo = org.dpo
    return Cover(
        organisation=clean(org.name, 200), siren=org.siren,
        profile=text(title, lang) if title is not None else clean(org.kind),
        population=number(org.population, lang, 0) if org.population is not None else L["not_given"],
        address=clean(org.address or L["not_given"], 300),
        dpo=clean(" — ".join(x for x in (dpo.name, dpo.email) if x), 300) if dpo and (dpo.name or dpo.email)
        else L["not_given"],
        it_provider=clean(org.it_provider.name or L["not_given"], 200) if org.it_provider else L["not_given"],
        assessor=clean(org.assessor or L["not_given"], 200),
        generated=_date(a.generated_at.date() if a.generated_at else None, lang),
        generated_iso=a.generated_at.isoformat() if a.generated_at else "",
        tool_version=f"cyberaudit {a.tool_version}",
    )


def _score_text(value: float | None, lang: str) -> str:
    return f"{number(value, lang)} / 100" if value is not None else ("non évalué" if lang == "fr" else "not assessed")


def _summary(a: Assessment, s: Score, lang: str, L: dict[str, str]) -> Summary:
    bars = []
    for i, ts in enumerate(s.themes):
        width = 0 if ts.score is None else round(ts.score * BAR_MAX / 100)
        cls = "bar-na" if ts.score is None else "bar-good" if ts.score >= 65 else "bar-mid" if ts.score >= 40 \
            else "bar-bad"
        bars.append(BarView(theme=ts.theme, title=text(ts.title, lang),
                            score=ts.score, score_text=number(ts.score, lang, 0) if ts.score is not None
                            else L["not_assessed"], y=i * BAR_STEP, width=width, text_x=width + 6, css_class=cls,
                            fill=BAR_FILL[cls]))
    cap_text = ""
    if s.cap is not None:
        target = f" ({clean(s.cap.target, 200)})" if s.cap.target else ""
        cap_text = f"{text(s.cap.title, lang)}{target} : {text(s.cap.label, lang)}" if lang == "fr" else \
            f"{text(s.cap.title, lang)}{target}: {text(s.cap.label, lang)}"
    cov = s.coverage
    reassess = _months(s.reassess_months, lang)
    if s.reassess_by:
        reassess += (" (avant le " if lang == "fr" else " (by ") + _date(s.reassess_by, lang) + ")"
    grade = s.grade or "—"
    if s.grade is None:
        headline = L["nothing_known"]
    elif lang == "fr":
        headline = f"Note {grade} : score {number(s.score, lang)} sur 100, {percent(cov.ratio, lang)} des points connus."
    else:
        headline = f"Grade {grade}: score {number(s.score, lang)} out of 100, {percent(cov.ratio, lang)} of the picture known."
    if s.grade is not None:
        headline += " " + GRADE_MEANING[s.grade][1 if lang == "en" else 0]
    rows = [RowView(label=L["errors"], value=str(len(cov.errors)), note=", ".join(cov.errors[:12])),
            RowView(label=L["unknown"], value=str(len(cov.unknown)), note=", ".join(cov.unknown[:12])),
            RowView(label=L["unanswered"], value=str(len(cov.unanswered)), note=", ".join(cov.unanswered[:12])),
            RowView(label=L["not_scanned"], value=str(len(cov.not_scanned)), note=", ".join(cov.not_scanned))]
    return Summary(
        grade=grade, grade_class=GRADE_CLASS.get(grade, "g-na"), band_grade=s.band_grade or "—",
        score_text=_score_text(s.score, lang), cap_text=cap_text, coverage_text=percent(cov.ratio, lang),
        reassess_text=reassess, essential_text=percent(s.essential_ratio, lang), headline=headline,
        chart_height=len(bars) * BAR_STEP, bars=bars, coverage_rows=rows)


def _themes(a: Assessment, s: Score, ctx: Ctx, L: dict[str, str]) -> list[ThemeView]:
    out = []
    lang = ctx.lang
    order = {"fail": 0, "warn": 1, "unknown": 2, "error": 3, "info": 4, "na": 5, "pass": 6}
    for ts in s.themes:
        fs = [f for f in a.findings if theme_of(f) == ts.theme]
        views = sorted((ctx.finding(f) for f in fs),
                       key=lambda v: (order.get(v.status, 9), -SEVERITY_RANK_BY_NAME[v.severity], v.id, v.target))
        c = ts.counts
        counts = (f"{c.passed} conforme(s), {c.warned} à améliorer, {c.failed} non conforme(s), {c.errors} non testé(s), "
                  f"{c.unknown} inconnu(s), {c.unanswered} sans réponse") if lang == "fr" else \
            (f"{c.passed} pass, {c.warned} to improve, {c.failed} fail, {c.errors} not tested, {c.unknown} unknown, "
             f"{c.unanswered} unanswered")
        quiet = ("pass", "info", "na")
        out.append(ThemeView(theme=ts.theme, title=text(ts.title, lang), score=ts.score,
                             score_text=_score_text(ts.score, lang), weight=number(ts.weight, lang),
                             coverage_text=percent(ts.coverage, lang), counts_text=counts,
                             not_scanned=list(ts.not_scanned),
                             findings=[v for v in views if v.status not in quiet],
                             passed=[v for v in views if v.status in quiet]))
    return out


SEVERITY_RANK_BY_NAME = {k.value: v for k, v in SEVERITY_RANK.items()}


def build(assessment: Assessment, result: Score | None, profile: Any, *, lang: str = "fr", content: Any = None,
          previous: Assessment | None = None) -> Report:
    lang = "en" if lang == "en" else "fr"
    L = labels(lang)
    result = result or score(assessment, profile)
    ctx = Ctx(lang=lang, essential=list(getattr(profile, "essential", None) or []),
              frameworks=dict(getattr(content, "frameworks", None) or {}))
    weights = dict(getattr(profile, "theme_weights", None) or {})
    plan = plan_mod.plan(assessment.findings, ctx, weights)
    themes = _themes(assessment, result, ctx, L)
    elected_actions = [f"{a.title} — {a.cost_label}" for a in plan if a.owner == "elected"][:6]
    prev_score = score(previous, profile) if previous is not None else None
    rgpd = sections.rgpd(assessment, ctx)
    report = Report(
        lang=lang, title=f"{L['doc_title']} — {clean(assessment.organisation.name, 200)}", L=L,
        cover=_cover(assessment, profile, lang, L),
        elected=plan_mod.priorities(assessment.findings, plan, ctx),
        elected_actions=elected_actions,
        summary=_summary(assessment, result, lang, L), top5=plan[:5], actions=plan,
        cost_legend=[word(COST, e, lang) for e in ("low", "medium", "high")], themes=themes, rgpd=rgpd,
        website=website_section(assessment, ctx),
        regulatory=sections.regulatory(assessment, profile, ctx),
        evolution=sections.evolution(assessment, result, previous, prev_score, ctx),
        annex=sections.annex(assessment, ctx),  # last: lists every reference cited above
    )
    return report

