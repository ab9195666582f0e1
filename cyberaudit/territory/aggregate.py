"""`cyberaudit aggregate DIR`: the territory barometer, as one plain, deterministic data structure.

    data = barometer(root)        # JSON-ready dict (schema cyberaudit/barometer/v1)

Per indicator: counts of yes / partial / no / unknown / not applicable, the share of yes
among the members whose answer is known, and the members behind each figure. Then the
grade distribution, mean theme scores, members not assessed for more than a year, the
month-by-month trend from git history and the "not counted" list with reasons.
Privacy: finding evidence is left out unless `with_evidence=True`.
"""

from __future__ import annotations

import datetime as dt
import statistics
from pathlib import Path
from typing import Any

from ..sanitize import bounded
from .history import share, trend
from .indicators import BUCKETS, Facts, judge, load_indicators
from .manifest import load_territory
from .members import MemberState, read_members

SCHEMA = "cyberaudit/barometer/v1"
GRADES = ("A", "B", "C", "D", "E", "F")
STALE_DAYS = 365
MAX_EVIDENCE_DEPTH = 4


def _who(m: MemberState) -> dict[str, str]:
    return {"siren": m.siren, "name": bounded(m.name, 200)}


def _clean(value: Any, depth: int = 0) -> Any:
    """Evidence made safe to publish: bounded strings, bounded depth and size."""
    if depth > MAX_EVIDENCE_DEPTH:
        return "…"
    if isinstance(value, dict):
        return {bounded(str(k), 80): _clean(v, depth + 1) for k, v in list(value.items())[:30]}
    if isinstance(value, list):
        return [_clean(v, depth + 1) for v in value[:30]]
    if isinstance(value, str):
        return bounded(value, 300)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return bounded(str(value), 300)


def _as_of(members: list[MemberState], as_of: dt.date | None) -> dt.date:
    """The reference date: given, else the newest assessment or scan (deterministic), else today."""
    if as_of is not None:
        return as_of
    dates = [d.date() for m in members for d in (m.assessed_at, m.evaluated_on) if d]
    return max(dates) if dates else dt.datetime.now(dt.UTC).date()


def _grades(members: list[MemberState]) -> dict[str, Any]:
    out = {g: {"count": 0, "members": []} for g in (*GRADES, "none")}
    for m in members:
        grade = getattr(m.score, "grade", None) or "none"
        out[grade]["count"] += 1
        out[grade]["members"].append(_who(m))
    return out


def _themes(members: list[MemberState]) -> list[dict[str, Any]]:
    from ..themes import THEMES

    rows = []
    for theme, title in THEMES.items():
        values = []
        for m in members:
            for ts in getattr(m.score, "themes", None) or []:
                if ts.theme == theme and ts.score is not None:
                    values.append(ts.score)
        rows.append({"theme": theme, "title": title.model_dump(), "members": len(values),
                     "mean": round(statistics.fmean(values), 1) if values else None,
                     "min": min(values) if values else None, "max": max(values) if values else None})
    return rows


def barometer(root: str | Path, *, as_of: dt.date | None = None, with_evidence: bool = False, months: int = 24,
              history: bool = True, evaluate_missing: bool = True) -> dict[str, Any]:
    root = Path(root)
    territory = load_territory(root)
    indicators = load_indicators()
    members, not_counted = read_members(root, territory, evaluate_missing=evaluate_missing)
    ref = _as_of(members, as_of)

    verdicts = {m.siren: {ind.id: judge(ind, Facts.from_assessment(m.data)) for ind in indicators} for m in members}
    ind_rows = []
    for ind in indicators:
        counts = {b: 0 for b in BUCKETS}
        who: dict[str, list[dict[str, str]]] = {b: [] for b in BUCKETS}
        for m in members:
            bucket = verdicts[m.siren][ind.id].bucket
            counts[bucket] += 1
            who[bucket].append(_who(m))
        applicable = len(members) - counts["na"]
        ind_rows.append({
            "id": ind.id, "label": dict(ind.label), "theme": ind.theme, "survey": ind.survey, "reads": ind.reads(),
            "counts": counts, "share": share(counts),
            "share_of_counted": round(counts["yes"] / applicable, 3) if applicable else None,
            "members": who,
        })

    scores = [m.score.score for m in members if m.score is not None and m.score.score is not None]
    stale = []
    for m in members:
        when = m.assessed_at.date() if m.assessed_at else None
        if when is None or (ref - when).days > STALE_DAYS:
            stale.append({**_who(m), "assessed_at": when.isoformat() if when else None,
                          "days": None if when is None else (ref - when).days})

    member_rows = []
    for m in members:
        row = {**_who(m), "kind": bounded(m.kind, 60), "population": m.population,
               "assessed_at": m.assessed_at.date().isoformat() if m.assessed_at else None,
               "score": getattr(m.score, "score", None), "grade": getattr(m.score, "grade", None),
               "evaluated_now": m.evaluated, "page": m.page,
               "indicators": {iid: v.bucket for iid, v in verdicts[m.siren].items()}}
        if with_evidence:
            row["evidence"] = {iid: _clean(v.basis) for iid, v in verdicts[m.siren].items() if v.basis}
        member_rows.append(row)

    return {
        "schema": SCHEMA,
        "territory": {"name": bounded(territory.name, 200), "declared": len(territory.members)},
        "as_of": ref.isoformat(),
        "with_evidence": with_evidence,
        "counted": len(members),
        "not_counted": [n.as_dict() for n in not_counted],
        "indicators": ind_rows,
        "grades": _grades(members),
        "score": {"members": len(scores), "mean": round(statistics.fmean(scores), 1) if scores else None,
                  "median": round(statistics.median(scores), 1) if scores else None},
        "themes": _themes(members),
        "stale": stale,
        "stale_days": STALE_DAYS,
        "trend": trend(root, indicators, months, set(territory.sirens())) if history else [],
        "members": member_rows,
    }
