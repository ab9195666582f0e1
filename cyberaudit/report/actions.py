"""The prioritised action plan (impact x effort) and the elected officials' four priorities.

Impact of an action = severity weight x (1 - credit) x (2 if the measure is essential) x theme weight;
priority value = impact / effort factor (low 1, medium 2, high 4). One action per finding ID, listing
every target it concerns. Only failures and warnings become actions: what could not be tested or is
unknown goes to the coverage list, not into the plan.
"""

from __future__ import annotations

from fractions import Fraction

from ..assessment.scoring import SEVERITY_WEIGHTS, credit, is_unknown, theme_of
from ..model import SEVERITY_RANK, Finding, Status
from ..themes import THEMES
from .common import COST, EFFORT, OWNER, SEVERITY, SOURCE, STATUS, Ctx, clean, ref_key, status_of, text, word
from .view import ActionView, PriorityView

EFFORT_FACTOR = {"low": Fraction(1), "medium": Fraction(2), "high": Fraction(4)}
P1, P2 = Fraction(4), Fraction(3, 2)

# AMF/ANSSI guide (2020), 4 priority work streams (references.md §2.2). A finding belongs to a stream
# when it cites it (`amf-anssi:<n>`), or cites a measure of that stream, or by its theme.
AMF_TITLES = {
    "1": ("Sensibiliser et former agents et élus", "Awareness and training of staff and elected officials"),
    "2": ("Connaître son système d'information", "Know the information system"),
    "3": ("La sécurité dans les contrats informatiques", "Security in IT contracts"),
    "4": ("Préparer un plan de crise", "Prepare a crisis plan"),
}
AMF_REFS = {
    "1": {"anssi-hygiene:1", "anssi-hygiene:2", "cnil-security:2", "cnil-security:3"},
    "2": {"anssi-hygiene:4", "anssi-hygiene:5", "anssi-hygiene:6", "anssi-hygiene:7", "recyf:1", "recyf:5"},
    "3": {"anssi-hygiene:3", "cnil-security:14", "gdpr:28", "recyf:3"},
    "4": {"anssi-hygiene:37", "anssi-hygiene:40", "cnil-security:17", "cnil-security:18", "cnil-security:19",
          "recyf:13", "recyf:14"},
}
AMF_THEMES = {"1": {"awareness"}, "2": set(), "3": set(), "4": {"continuity"}}
PRIORITY_STATUS = {"done": ("En place", "In place"), "partial": ("Engagé, à compléter", "Started, to complete"),
                   "todo": ("À engager", "To start"), "unknown": ("Non évalué", "Not assessed")}


def streams_of(f: Finding) -> set[str]:
    out = set()
    for n in AMF_TITLES:
        if f"amf-anssi:{n}" in f.references or AMF_REFS[n] & set(f.references) or theme_of(f) in AMF_THEMES[n]:
            out.add(n)
    return out


# Register rule -> the interview question about the same measure (one measure = one action).
SAME_MEASURE: dict[str, str] = {
    "rgpd.processor.art28": "priv.processors.clauses",
    "rgpd.dpia.required": "priv.dpia.done",
    "rgpd.register.missing": "priv.register.exists",
    "rgpd.register.stale": "priv.register.updated",
    "rgpd.retention.defined": "priv.retention.rules",
    "rgpd.transfer.safeguard": "priv.location.transfers",
    "rgpd.video.retention": "priv.video.compliant",
}
# Who can say whether an unknown measure is in place, by the owner of the measure.
ASK = {"it_provider": ("le prestataire informatique", "the IT provider"),
       "agent": ("le secrétariat de mairie", "the town hall secretariat"),
       "elected": ("le maire ou l'élu référent", "the mayor or the elected official in charge"),
       "dpo": ("le ou la DPO", "the DPO"),
       "unassigned": ("la direction générale des services", "the general management")}
MAX_P1 = 5  # at most five actions "to start now": a small commune cannot start more at once
VERIFY_SHARE = Fraction(1, 2)  # an unknown measure may already be in place: half the impact of a failure


def measure_links(content) -> dict[str, str]:
    """Finding ID -> the ID of the measure it belongs to (probe joins and register rules -> question)."""
    links = dict(SAME_MEASURE)
    for q in getattr(content, "questions", {}).values():
        for fid in [*q.confirms, *q.refutes]:
            links.setdefault(fid, q.id)
    return links


def _open(f: Finding) -> bool:
    c = credit(f)
    return c is not None and c < 1 and f.status in (Status.FAIL, Status.WARN)


def _grouped(findings: list[Finding], links: dict[str, str]) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        if _open(f):
            groups.setdefault(links.get(f.id, f.id), []).append(f)
    return groups


def _sources(group: list[Finding], lang: str) -> list[str]:
    out = []
    for source in ("interview", "register", "probe"):
        mine = [f for f in group if f.source == source]
        if not mine:
            continue
        targets = sorted({clean(f.target, 80) for f in mine if f.target})
        label = word(SOURCE, source, lang)
        out.append(f"{label} ({', '.join(targets)})" if targets else label)
    return out


def plan(findings: list[Finding], ctx: Ctx, theme_weights: dict[str, float]) -> list[ActionView]:
    """One action per measure: to fix (failed or to improve) or to verify (answered "I don't know")."""
    rows = []
    for group in _grouped(findings, ctx.links).values():
        known = [f for f in group if not is_unknown(f)]
        verify = not known
        pool = group if verify else known
        worst = min(credit(f) for f in pool)
        lead = max(pool, key=lambda f: (SEVERITY_RANK[f.severity], -credit(f), f.source == "interview",
                                        f.target or ""))
        theme = theme_of(lead)
        essential = any(ctx.is_essential(f.id) for f in group)
        tw = Fraction(str(theme_weights.get(theme, 1)))
        impact = SEVERITY_WEIGHTS[lead.severity] * (1 - worst) * (2 if essential else 1) * tw
        effort = "low" if verify else lead.effort or "medium"
        value = impact * (VERIFY_SHARE if verify else 1) / EFFORT_FACTOR[effort]
        rows.append((value, lead, group, theme, essential, effort, verify))
    rows.sort(key=lambda r: (-r[0], -SEVERITY_RANK[r[1].severity], r[1].id))
    out = []
    p1 = 0
    for rank, (value, lead, group, theme, essential, effort, verify) in enumerate(rows, 1):
        owner = lead.owner or "unassigned"
        refs = sorted({r for f in group for r in f.references}, key=ref_key)
        priority = "P1" if value >= P1 and p1 < MAX_P1 else "P2" if value >= P2 else "P3"
        p1 += priority == "P1"
        title = text(lead.title, ctx.lang)
        question = ctx.question_text(lead.id)
        remediation = text(lead.remediation, ctx.lang)
        if verify:
            who = word(ASK, owner, ctx.lang)
            title = f"Vérifier avec {who} : {title}" if ctx.lang == "fr" else f"Check with {who}: {title}"
            remediation = (f"Question restée sans réponse sûre : « {question} »" if ctx.lang == "fr"
                           else f"Question still without a sure answer: “{question}”") if question else remediation
        out.append(ActionView(
            rank=rank, id=lead.id, title=title, kind="verify" if verify else "fix",
            priority=priority, impact=round(float(value), 2),
            theme=theme, theme_title=THEMES[theme].pick(ctx.lang), severity=lead.severity.value,
            severity_label=word(SEVERITY, lead.severity.value, ctx.lang),
            status="unknown" if verify else lead.status.value,
            essential=essential, owner=owner, owner_label=word(OWNER, owner, ctx.lang), effort=effort,
            effort_label=word(EFFORT, effort, ctx.lang), cost_label=word(COST, effort, ctx.lang),
            remediation=remediation, question=question,
            targets=sorted({clean(f.target, 200) for f in group if f.target}),
            sources=_sources(group, ctx.lang), ids=sorted({f.id for f in group}),
            references=[ctx.ref(r) for r in refs],
        ))
    return out


def priorities(findings: list[Finding], actions: list[ActionView], ctx: Ctx) -> list[PriorityView]:
    by_id = {i: a for a in actions for i in a.ids}
    out = []
    for n, title in AMF_TITLES.items():
        related = [f for f in findings if n in streams_of(f)]
        credits = [c for c in (credit(f) for f in related) if c is not None]
        if all(is_unknown(f) for f in related if credit(f) is not None):  # nothing known: not assessed
            credits = []
        if not credits:
            status = "unknown"
        elif min(credits) == 1:
            status = "done"
        elif sum(credits) / len(credits) >= Fraction(1, 2):
            status = "partial"
        else:
            status = "todo"
        open_actions = sorted({by_id[f.id].rank: by_id[f.id] for f in related if f.id in by_id}.items())
        efforts = [a.effort for _, a in open_actions]
        cost = max(efforts, key=list(EFFORT_FACTOR).index) if efforts else None
        unknown = sorted({text(f.title, ctx.lang) for f in related if status_of(f) in ("unknown", "error")
                          and not (f.id in by_id and by_id[f.id].kind == "fix")})  # one measure, said once
        points = [a.title for _, a in open_actions if a.kind == "fix"][:4]
        points += [f"{word(STATUS, 'unknown', ctx.lang)} : {u}" if ctx.lang == "fr" else f"Unknown: {u}"
                   for u in unknown[:2]]
        out.append(PriorityView(
            number=n, title=title[1] if ctx.lang == "en" else title[0], status=status,
            status_label=word(PRIORITY_STATUS, status, ctx.lang), open_points=points,
            cost_label=word(COST, cost, ctx.lang) if cost else "—",
        ))
    return out
