"""Build the report's view-model from an assessment, its score and the profile. Pure.

    report = build(assessment, score, profile, lang="fr", content=content, previous=prev)

The same inputs give the same Report (the date shown is the assessment's, not the clock's).
"""

from __future__ import annotations

from typing import Any

from ..assessment.scoring import Score, score, theme_of
from ..model import SEVERITY_RANK, Assessment
from ..records.report_view import records_view
from ..themes import THEMES
from ..words import long_date
from . import actions as plan_mod
from . import sections
from .common import COST, FAMILY, Ctx, clean, number, percent, text, word
from .explain import explanation, grade_text
from .labels import labels
from .view import BarView, Cover, ElectedView, Report, RowView, SectionRef, Summary, ThemeView, UnknownView
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
    return "—" if d is None else long_date(d, lang)


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


def _name(ctx: Ctx, fid: str) -> str:
    t = ctx.titles.get(fid)
    return text(t, ctx.lang) if t is not None else clean(fid)


def _names(ctx: Ctx, ids: list[str], limit: int = 12) -> str:
    shown = [_name(ctx, i) for i in ids[:limit]]
    more = len(ids) - limit
    return ", ".join(shown) + (f" (+{more})" if more > 0 else "")


def _summary(a: Assessment, s: Score, ctx: Ctx, L: dict[str, str]) -> Summary:
    lang = ctx.lang
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
    shown = grade_text(s, lang)
    # the numbers are in the explanation paragraph; the headline says what the grade means
    headline = L["nothing_known"] if s.grade is None else GRADE_MEANING[s.grade][1 if lang == "en" else 0]
    rows = [RowView(label=L["errors"], value=str(len(cov.errors)), note=_names(ctx, cov.errors)),
            RowView(label=L["unknown"], value=str(len(cov.unknown)), note=_names(ctx, cov.unknown)),
            RowView(label=L["unanswered"], value=str(len(cov.unanswered)), note=_names(ctx, cov.unanswered)),
            RowView(label=L["not_scanned"], value=str(len(cov.not_scanned)),
                    note=", ".join(word(FAMILY, f, lang) for f in cov.not_scanned))]
    return Summary(
        grade=grade, grade_class=GRADE_CLASS.get(grade, "g-na"), band_grade=s.band_grade or "—",
        provisional=s.provisional, grade_text=shown, explanation=explanation(s, lang),
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
                             coverage_text=percent(ts.coverage, lang), counts_text=counts, note=_theme_note(ts, lang),
                             not_scanned=[word(FAMILY, f, lang) for f in ts.not_scanned],
                             findings=[v for v in views if v.status not in quiet],
                             passed=[v for v in views if v.status in quiet]))
    return out


SEVERITY_RANK_BY_NAME = {k.value: v for k, v in SEVERITY_RANK.items()}


def _theme_note(ts, lang: str) -> str:
    """Why a theme shows what it shows: nothing known, families not run, essentials missing, unknowns."""
    fr = lang == "fr"
    fams = ", ".join(word(FAMILY, f, lang) for f in ts.not_scanned)
    parts = []
    if ts.score is None:
        parts.append("Non évalué : rien n'a été testé ni répondu dans ce thème." if fr
                     else "Not assessed: nothing was tested or answered in this theme.")
    elif ts.measures == ts.unknown_measures:
        parts.append("Rien n'est connu : toutes les réponses sont « je ne sais pas », comptées comme non en place."
                     if fr else "Nothing is known: every answer is \"I don't know\", counted as not in place.")
    elif ts.score == 0 and ts.essential_ratio == 0:
        parts.append("Score nul : aucune mesure essentielle du thème n'est en place (ou connue)." if fr
                     else "Zero: none of the theme's essential measures is in place (or known).")
    elif ts.unknown_measures:
        parts.append(f"{ts.unknown_measures} réponse(s) « je ne sais pas » comptée(s) comme non en place." if fr
                     else f"{ts.unknown_measures} \"I don't know\" answer(s) counted as not in place.")
    if fams:
        parts.append(f"Tests non lancés : {fams}." if fr else f"Tests not run: {fams}.")
    return " ".join(parts)


def _unknowns(a: Assessment, s: Score, ctx: Ctx, plan: list) -> list[UnknownView]:
    """Every question answered "I don't know", with its text and the action that finds it out."""
    by_id = {i: act for act in plan for i in act.ids}
    out = []
    for fid in s.coverage.unknown:
        f = next((x for x in a.findings if x.id == fid), None)
        if f is None:
            continue
        act = by_id.get(fid)
        out.append(UnknownView(id=fid, question=ctx.question_text(fid) or text(f.title, ctx.lang),
                               theme_title=THEMES[theme_of(f)].pick(ctx.lang), essential=ctx.is_essential(fid),
                               action=act.title if act else "", who=act.owner_label if act else ""))
    return out


def _titles(content: Any) -> dict[str, Any]:
    """Every finding ID we can name: checks, register rules, interview questions."""
    from ..checks import load_all
    from ..register.rules_meta import RULES

    out = {cid: info.title for cid, info in load_all().items()}
    out.update({rid: r.title for rid, r in RULES.items()})
    out.update({qid: q.title for qid, q in (getattr(content, "questions", None) or {}).items()})
    return out


# The complete report's sections, in order, with the label of their title. Another part of cyberaudit
# adds its own by inserting (id, label key) here, a view field on Report and complete/<id>.{html,md}.j2.
COMPLETE_SECTIONS: list[tuple[str, str]] = [
    ("summary", "summary_title"), ("plan", "plan_title"), ("unknowns", "unknowns_title"),
    ("details", "details_title"), ("rgpd", "rgpd_title"), ("website", "website_title"), ("regulatory", "reg_title"),
    ("evolution", "evolution_title"), ("annex", "annex_title"),
]


def build(assessment: Assessment, result: Score | None, profile: Any, *, lang: str = "fr", content: Any = None,
          previous: Assessment | None = None) -> Report:
    lang = "en" if lang == "en" else "fr"
    L = labels(lang)
    result = result or score(assessment, profile)
    ctx = Ctx(lang=lang, essential=list(getattr(profile, "essential", None) or []),
              frameworks=dict(getattr(content, "frameworks", None) or {}), content=content,
              titles={**_titles(content), **{f.id: f.title for f in assessment.findings}},
              links=plan_mod.measure_links(content))
    weights = dict(getattr(profile, "theme_weights", None) or {})
    plan = plan_mod.plan(assessment.findings, ctx, weights)
    themes = _themes(assessment, result, ctx, L)
    elected_actions = [f"{a.title} — {a.cost_label}" for a in plan if a.owner == "elected"][:6]
    regulatory = sections.regulatory(assessment, profile, ctx)
    prev_score = score(previous, profile) if previous is not None else None
    rgpd = sections.rgpd(assessment, ctx)
    website = website_section(assessment, ctx)
    optional = {"website": website}  # sections shown (and listed in the contents) only when they have a view
    report = Report(
        lang=lang, title=f"{L['doc_title']} — {clean(assessment.organisation.name, 200)}", L=L,
        cover=_cover(assessment, profile, lang, L),
        elected=plan_mod.priorities(assessment.findings, plan, ctx),
        elected_actions=elected_actions,
        summary=_summary(assessment, result, ctx, L), top5=plan[:5], actions=plan,
        cost_legend=[word(COST, e, lang) for e in ("low", "medium", "high")], themes=themes, rgpd=rgpd,
        website=website,
        regulatory=regulatory,
        evolution=sections.evolution(assessment, result, previous, prev_score, ctx),
        unknowns=_unknowns(assessment, result, ctx, plan),
        elected_report=ElectedView(actions=plan[:5], decide=elected_actions[:4],
                                   regulatory=sections.regulatory_lines(regulatory, lang)),
        sections=[SectionRef(id=sid, title=L[key]) for sid, key in COMPLETE_SECTIONS
                  if optional.get(sid, True) is not None],
        records=records_view(assessment.meta.get("records"), lang),
        annex=sections.annex(assessment, ctx),  # last: lists every reference cited above
    )
    return report

