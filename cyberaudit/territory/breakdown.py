"""Breakdown by kind of member, the anonymised edition, and evidence made safe to publish.

    by_kind(indicators, member_rows, verdicts)  # per group (communes by size, EPCI, syndicates, others)
    anonymised(data)                            # no member name or SIREN; groups under MIN_GROUP merged

The anonymised edition is meant for publishing: every list of members is replaced by its count,
and a group with fewer than MIN_GROUP assessed members is merged into "other members" (and left
out if that merged group is still too small), so no figure points at one identifiable member.
"""

from __future__ import annotations

import copy
import statistics
from typing import Any

from ..sanitize import bounded
from . import figures
from .indicators import Indicator

MIN_GROUP = 5
MAX_EVIDENCE_DEPTH = 4


def clean_evidence(value: Any, depth: int = 0) -> Any:
    """Evidence made safe to publish: bounded strings, bounded depth and size."""
    if depth > MAX_EVIDENCE_DEPTH:
        return "…"
    if isinstance(value, dict):
        return {bounded(str(k), 80): clean_evidence(v, depth + 1) for k, v in list(value.items())[:30]}
    if isinstance(value, list):
        return [clean_evidence(v, depth + 1) for v in value[:30]]
    if isinstance(value, str):
        return bounded(value, 300)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return bounded(str(value), 300)


def _group_row(group: str, indicators: tuple[Indicator, ...], rows: list[dict[str, Any]],
               verdicts: dict[str, dict[str, str]]) -> dict[str, Any]:
    fr, en = figures.GROUP_LABELS[group]
    assessed = {r["siren"]: verdicts[r["siren"]] for r in rows if r["siren"] in verdicts}
    scores = [r["score"] for r in rows if r["siren"] in verdicts and r["score"] is not None]
    counts = figures.counts_of(indicators, assessed)
    return {"group": group, "label": {"fr": fr, "en": en}, "members": len(rows), "assessed": len(assessed),
            "mean_score": round(statistics.fmean(scores), 1) if scores else None,
            "shares": {iid: c["share"] for iid, c in counts.items()}}


def by_kind(indicators: tuple[Indicator, ...], member_rows: list[dict[str, Any]],
            verdicts: dict[str, dict[str, str]], groups: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """One row per group that has members, in GROUPS order. `groups` may remap a member's group."""
    out = []
    for group in figures.GROUPS:
        rows = [r for r in member_rows if (groups or {}).get(r["siren"], r["group"]) == group]
        if rows:
            out.append(_group_row(group, indicators, rows, verdicts))
    return out


def anonymised(data: dict[str, Any]) -> dict[str, Any]:
    """The barometer without any member's name or SIREN, small groups merged (for publishing)."""
    from .indicators import load_indicators

    out = copy.deepcopy(data)
    indicators = load_indicators()
    verdicts = {m["siren"]: m["indicators"] for m in data["members"] if m["assessed"]}
    small = {row["group"] for row in data["by_kind"] if row["assessed"] < MIN_GROUP}
    remap = {m["siren"]: "other" for m in data["members"] if m["group"] in small}
    merged = by_kind(indicators, data["members"], verdicts, remap)
    out["by_kind"] = [row for row in merged if row["assessed"] >= MIN_GROUP]
    out["by_kind_merged"] = sorted(small)
    out["by_kind_left_out"] = sum(row["members"] for row in merged if row["assessed"] < MIN_GROUP)
    for ind in out["indicators"]:
        ind["members"] = {}
    for g in out["grades"].values():
        g["members"] = []
    out["not_assessed"] = len(data["not_assessed"])
    out["stale"] = len(data["stale"])
    reasons: dict[str, int] = {}
    for n in data["not_counted"]:
        reasons[n["reason"]] = reasons.get(n["reason"], 0) + 1
    out["not_counted"] = [{"reason": r, "count": c} for r, c in sorted(reasons.items())]
    if out.get("changes"):
        for row in out["changes"]["indicators"]:
            row["improved"], row["regressed"] = len(row["improved"]), len(row["regressed"])
        out["changes"]["arrived"], out["changes"]["left"] = len(data["changes"]["arrived"]), len(data["changes"]["left"])
    out["members"] = []
    out["with_evidence"] = False
    out["anonymised"] = True
    out["min_group"] = MIN_GROUP
    return out
