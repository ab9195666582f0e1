"""The interview engine: pure functions over content, a profile and the answers so far.

    qs = applicable(content, profile, answers)        # in interview order
    q = next_unanswered(content, profile, answers)    # None when finished
    fs = findings(content, profile, answers)          # answers -> Finding (source "interview")

No I/O here: the terminal UI (assess_ui.py) and the answers file (answers.py) sit around it.
Status of an answered question: full score -> pass, zero -> fail, in between -> warn;
"unknown" -> warn with evidence {"answer": "unknown"}; "na" and unanswered -> no finding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..content.model import Profile, Question
from ..model import Answer, Finding, Status, Text, finding_of


def _facts_hold(q: Question, profile: Profile, population: int | None) -> bool:
    for cond in q.when:
        if cond.fact is not None and profile.fact_value(cond.fact, population) not in cond.in_:
            return False
    return True


def selected(content, profile: Profile, population: int | None = None) -> list[Question]:
    """Questions the profile selects (banks, skips, applies_to, facts), before answer conditions."""
    skip = set(profile.skip)
    out = []
    for qid, q in content.questions.items():
        if content.bank_of[qid] not in profile.banks or qid in skip:
            continue
        if q.applies_to and profile.id not in q.applies_to:
            continue
        if not _facts_hold(q, profile, population):
            continue
        out.append(q)
    return out


def value_of(q: Question, answer: Answer | None) -> Any:
    """The parsed value of an answer, or None when absent or invalid."""
    if answer is None or answer.value is None:
        return None
    try:
        return q.parse_value(answer.value)
    except ValueError:
        return None


def applicable(content, profile: Profile, answers: Mapping[str, Answer],
               population: int | None = None) -> list[Question]:
    """Questions to ask now, in order: selected ones whose answer conditions hold.

    A condition on a question that is itself not applicable (or not answered yet) does not hold.
    """
    ok: dict[str, Question] = {}
    for q in selected(content, profile, population):
        good = True
        for cond in q.when:
            if cond.q is None:
                continue
            dep = ok.get(cond.q)
            if dep is None or value_of(dep, answers.get(cond.q)) not in cond.in_:
                good = False
                break
        if good:
            ok[q.id] = q
    return list(ok.values())


def is_answered(q: Question, answers: Mapping[str, Answer]) -> bool:
    return value_of(q, answers.get(q.id)) is not None


def next_unanswered(content, profile: Profile, answers: Mapping[str, Answer], *, theme: str | None = None,
                    population: int | None = None) -> Question | None:
    for q in applicable(content, profile, answers, population):
        if (theme is None or q.theme == theme) and not is_answered(q, answers):
            return q
    return None


def progress(content, profile: Profile, answers: Mapping[str, Answer], q: Question,
             population: int | None = None) -> dict[str, int]:
    """Position of `q`: overall and within its theme (1-based), and the totals."""
    qs = applicable(content, profile, answers, population)
    ids = [x.id for x in qs]
    in_theme = [x.id for x in qs if x.theme == q.theme]
    return {
        "index": ids.index(q.id) + 1 if q.id in ids else 0,
        "total": len(ids),
        "theme_index": in_theme.index(q.id) + 1 if q.id in in_theme else 0,
        "theme_total": len(in_theme),
        "answered": sum(1 for x in qs if is_answered(x, answers)),
    }


def status_of(q: Question, value: Any, today: dt.date | None = None) -> Status | None:
    if value == "na" or value is None:
        return None
    score = q.score_of(value, today)
    if score is None:
        return Status.WARN
    if score >= 1.0:
        return Status.PASS
    if score <= 0.0:
        return Status.FAIL
    return Status.WARN


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def finding_for(q: Question, answer: Answer, today: dt.date | None = None) -> Finding | None:
    """The finding of one answered question (None for not applicable or an invalid value)."""
    value = value_of(q, answer)
    if value is None:
        return None
    ref_day = today or (answer.at.date() if answer.at else None)
    status = status_of(q, value, ref_day)
    if status is None:
        return None
    label = q.label_of(value)
    detail_fr = f"Réponse : {label.fr}"
    detail_en = f"Answer: {label.en}"
    if answer.note:
        detail_fr += f" — note : {answer.note}"
        detail_en += f" — note: {answer.note}"
    evidence: dict[str, Any] = {"answer": _plain(value)}
    score = q.score_of(value, ref_day)
    if score is not None:
        evidence["score"] = score
    for key in ("note", "evidence_link", "by"):
        if getattr(answer, key):
            evidence[key] = getattr(answer, key)
    if answer.at:
        evidence["at"] = answer.at.isoformat()
    return finding_of(q, status, source="interview", theme=q.theme, severity=q.severity, explanation=q.help,
                      detail=Text(fr=detail_fr, en=detail_en), remediation=q.remediation, evidence=evidence)


def findings(content, profile: Profile, answers: Mapping[str, Answer], *, population: int | None = None,
             today: dt.date | None = None) -> list[Finding]:
    """Findings of every applicable, answered question, in interview order."""
    out = []
    for q in applicable(content, profile, answers, population):
        answer = answers.get(q.id)
        if answer is None:
            continue
        f = finding_for(q, answer, today)
        if f is not None:
            out.append(f)
    return out
