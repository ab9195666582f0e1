"""`cyberaudit aggregate DIR`: the territory barometer, as one plain, deterministic data structure.

    data = barometer(root)        # JSON-ready dict (schema cyberaudit/barometer/v2)

Every figure is computed the same way at the date it stands for: the headline at the barometer's
date (`--as-of`, else the newest assessment or scan), each past month of the trend at that month's
last day with that month's members (history.py); the trend's row for the headline's month is the
headline itself, so the two always agree. A member with nothing known (never interviewed, never
scanned) is "not assessed": listed and counted, but in no grade, mean or share.

Per indicator: counts of yes / partial / no / unknown / not applicable among assessed members,
the share of yes among those whose answer is known, the national figure when there is one and the
members behind each figure. Then grades, mean scores, members not assessed for more than a year,
the trend, what changed since the previous month, a breakdown by kind of member and the
"not counted" list with reasons. Privacy: finding evidence is left out unless `with_evidence=True`;
`anonymised()` (breakdown.py) removes every name.
"""

from __future__ import annotations

import datetime as dt
import statistics
from pathlib import Path
from typing import Any

from ..sanitize import bounded
from . import figures
from .breakdown import by_kind, clean_evidence
from .history import history
from .indicators import load_indicators
from .judging import judge
from .manifest import load_territory
from .members import MemberState, read_members
from .snapshot import snapshot_at

SCHEMA = "cyberaudit/barometer/v2"
GRADES = ("A", "B", "C", "D", "E", "F")
STALE_DAYS = 365


def _who(m: MemberState) -> dict[str, str]:
    return {"siren": m.siren, "name": bounded(m.name, 200)}


def _as_of(members: list[MemberState], as_of: dt.date | None) -> dt.date:
    """The reference date: given, else the newest assessment or scan (deterministic), else today."""
    if as_of is not None:
        return as_of
    dates = [d.date() for m in members for d in (m.assessed_at, m.evaluated_on) if d]
    return max(dates) if dates else dt.datetime.now(dt.UTC).date()


def _grades(assessed: list[MemberState], unassessed: list[MemberState]) -> dict[str, Any]:
    out = {g: {"count": 0, "members": []} for g in (*GRADES, "none", "not_assessed")}
    for m in assessed:
        grade = getattr(m.score, "grade", None) or "none"
        out[grade]["count"] += 1
        out[grade]["members"].append(_who(m))
    out["not_assessed"] = {"count": len(unassessed), "members": [_who(m) for m in unassessed]}
    return out


def _themes(members: list[MemberState]) -> list[dict[str, Any]]:
    from ..themes import THEMES

    rows = []
    for theme, title in THEMES.items():
        values = [ts.score for m in members for ts in (getattr(m.score, "themes", None) or [])
                  if ts.theme == theme and ts.score is not None]
        rows.append({"theme": theme, "title": title.model_dump(), "members": len(values),
                     "mean": round(statistics.fmean(values), 1) if values else None,
                     "min": min(values) if values else None, "max": max(values) if values else None})
    return rows


def _score(members: list[MemberState]) -> dict[str, Any]:
    scores = [m.score.score for m in members if m.score is not None and m.score.score is not None]
    return {"members": len(scores), "mean": round(statistics.fmean(scores), 1) if scores else None,
            "median": round(statistics.median(scores), 1) if scores else None}


def barometer(root: str | Path, *, as_of: dt.date | None = None, with_evidence: bool = False, months: int = 24,
              history: bool = True, evaluate_missing: bool = True, cache: bool = False) -> dict[str, Any]:
    """`cache`: reuse what the last run computed from byte-identical files (cache.py; same figures)."""
    from .cache import Store

    root = Path(root)
    store = Store.open(root) if cache else None
    with snapshot_at(root, as_of) as source:
        territory = load_territory(source)
        members, not_counted = read_members(source, territory, evaluate_missing=evaluate_missing, store=store)
        if source != root:  # a past state: members' pages are those of today's tree, not the snapshot's
            for m in members:
                m.page = None
    data = _assemble(root, territory, members, not_counted, as_of=as_of, with_evidence=with_evidence,
                     months=months if history else 0, store=store)
    if store is not None:
        store.save()
    return data


def _assemble(root: Path, territory, members: list[MemberState], not_counted, *, as_of: dt.date | None,
              with_evidence: bool, months: int, store=None) -> dict[str, Any]:
    indicators = load_indicators()
    ref = _as_of(members, as_of)
    assessed = [m for m in members if m.known]
    unassessed = [m for m in members if not m.known]
    judged = {m.siren: {ind.id: judge(ind, m.facts, ref) for ind in indicators} for m in assessed}
    verdicts = {s: {iid: v.bucket for iid, v in row.items()} for s, row in judged.items()}
    counts = figures.counts_of(indicators, verdicts)
    ind_rows = []
    for ind in indicators:
        who: dict[str, list[dict[str, str]]] = {b: [] for b in ("yes", "partial", "no", "unknown", "na")}
        for m in assessed:
            who[verdicts[m.siren][ind.id]].append(_who(m))
        c = {b: counts[ind.id][b] for b in who}
        applicable = len(assessed) - c["na"]
        ind_rows.append({
            "id": ind.id, "label": dict(ind.label), "theme": ind.theme, "survey": ind.survey,
            "survey_question": dict(ind.survey_question), "reads": ind.reads(), "counts": c,
            "share": counts[ind.id]["share"],
            "share_of_counted": round(c["yes"] / applicable, 3) if applicable else None, "members": who,
        })

    stale = []
    for m in assessed:
        when = m.assessed_at.date() if m.assessed_at else None
        if when is None or (ref - when).days > STALE_DAYS:
            stale.append({**_who(m), "assessed_at": when.isoformat() if when else None,
                          "days": None if when is None else (ref - when).days})

    member_rows = []
    for m in members:
        row = {**_who(m), "kind": bounded(m.kind, 60), "population": m.population,
               "group": figures.kind_group(m.kind, m.population), "assessed": m.siren in verdicts,
               "assessed_at": m.assessed_at.date().isoformat() if m.assessed_at else None,
               "score": getattr(m.score, "score", None) if m.siren in verdicts else None,
               "grade": getattr(m.score, "grade", None) if m.siren in verdicts else None,
               "evaluated_now": m.evaluated, "page": m.page, "indicators": verdicts.get(m.siren, {})}
        if with_evidence:
            row["evidence"] = {iid: clean_evidence(v.basis) for iid, v in judged.get(m.siren, {}).items() if v.basis}
        member_rows.append(row)

    month = ref.strftime("%Y-%m")
    read = {m.blob: m.facts if m.known else None for m in members if m.blob}  # the trend need not decode these
    past = history(root, indicators, months, ref, before=month, store=store, read=read) if months > 0 else []
    headline = figures.month_row(indicators, month, ref.isoformat(), len(territory.members), verdicts)
    trend = [figures.month_row(indicators, s.month, s.date.isoformat(), len(s.declared), s.verdicts)
             for s in past[max(0, len(past) - (months - 1)):]] + [headline] if months > 0 else []
    names = {m.siren: bounded(m.name, 200) for m in members}
    changes = None
    if past:
        prev, now = past[-1], set(territory.sirens())
        changes = {"since": prev.month,
                   "arrived": sorted(s for s in now if s not in prev.declared),
                   "left": sorted(s for s in prev.declared if s not in now),
                   "indicators": figures.changes(indicators, prev.verdicts, verdicts,
                                                 {**{s: bounded(d["name"], 200) for s, d in prev.declared.items()},
                                                  **names})}

    return {
        "schema": SCHEMA,
        "territory": {"name": bounded(territory.name, 200), "declared": len(territory.members)},
        "as_of": ref.isoformat(),
        "with_evidence": with_evidence,
        "counted": len(members),
        "assessed": len(assessed),
        "not_assessed": [_who(m) for m in unassessed],
        "not_counted": [n.as_dict() for n in not_counted],
        "indicators": ind_rows,
        "grades": _grades(assessed, unassessed),
        "score": _score(assessed),
        "themes": _themes(assessed),
        "stale": stale,
        "stale_days": STALE_DAYS,
        "trend": trend,
        "changes": changes,
        "by_kind": by_kind(indicators, member_rows, verdicts),
        "members": member_rows,
    }
