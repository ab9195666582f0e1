"""The territory as it stood each past month, from the repository's git history.

For each month, the last commit of that month on HEAD's first-parent history is read: the
members are those its `territoire.yaml` declares (arrivals and departures follow the history,
never today's list), each judged on its `membres/<SIREN>/assessment.json` of that commit, at
the last day of that month (the date the month's row stands for). A blob seen in several months
is parsed once; only the indicators whose verdict depends on the date are judged again.
Unreadable blobs count as "not assessed" for that month.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .gitio import first_parent_log, is_repository, read_blobs, tree_blobs
from .indicators import Indicator
from .judging import Facts, judge, known
from .lite import lite_assessment
from .manifest import MANIFEST, MEMBERS_DIR

ASSESSMENT_PATH = re.compile(rf"^{MEMBERS_DIR}/(\d{{9}})/assessment\.json$")
MAX_BLOB = 20 * 1024 * 1024
ASSESSMENT_SCHEMAS = ("cyberaudit/assessment/v1", "cyberaudit/assessment/v2")  # v2: catalogue.py


@dataclass
class MonthState:
    """One past month: who was a member, and each assessed member's bucket per indicator."""

    month: str  # YYYY-MM
    date: dt.date  # the date the month stands for (its last day)
    declared: dict[str, dict[str, Any]] = field(default_factory=dict)  # siren -> {name, kind, population}
    verdicts: dict[str, dict[str, str]] = field(default_factory=dict)  # assessed members only


def month_end(month: str) -> dt.date:
    year, mon = int(month[:4]), int(month[5:7])
    return dt.date(year, mon, calendar.monthrange(year, mon)[1])


def month_commits(root: Path, months: int, until: dt.date | None = None) -> list[tuple[str, str]]:
    """(YYYY-MM, commit) for the last `months` months that have commits (up to `until`), oldest first."""
    chosen: dict[str, str] = {}
    for sha, date in first_parent_log(root):  # newest first: the first seen of a month is its last commit
        if until is not None and dt.date.fromisoformat(date[:10]) > until:
            continue
        chosen.setdefault(date[:7], sha)
    return sorted(chosen.items())[-months:] if months > 0 else []


def _manifest(body: bytes | None) -> dict[str, dict[str, Any]]:
    """Members declared by one version of territoire.yaml (an unreadable one declares nobody)."""
    from ruamel.yaml import YAML

    from .manifest import Territory

    try:
        territory = Territory.model_validate(YAML(typ="safe", pure=True).load(body or b""))
    except Exception:
        return {}
    return {m.siren: {"name": m.name, "kind": m.kind, "population": m.population} for m in territory.members}


def _facts(body: bytes | None, ids: frozenset[str]) -> Facts | None:
    """Compact facts of one assessment blob; None when it is not a readable assessment or nothing is known."""
    if body is None:
        return None
    data = lite_assessment(body)
    if data is None or data.get("schema") not in ASSESSMENT_SCHEMAS or not known(data):
        return None
    return Facts.from_assessment(data, ids)


def reads_of(indicators: tuple[Indicator, ...]) -> frozenset[str]:
    return frozenset(r for ind in indicators for r in ind.reads())


def history(root: str | Path, indicators: tuple[Indicator, ...], months: int = 24,
            until: dt.date | None = None) -> list[MonthState]:
    """The last `months` months with commits up to `until`, oldest first ([] without git history)."""
    root = Path(root)
    if not is_repository(root):
        return []
    try:
        commits = month_commits(root, months, until)
    except Exception:  # no commit yet, shallow clone trouble...: no trend rather than no barometer
        return []
    trees: list[tuple[str, str | None, dict[str, str]]] = []
    for month, sha in commits:
        manifest, files = None, {}
        for path, blob in tree_blobs(root, sha, MEMBERS_DIR) + tree_blobs(root, sha, MANIFEST):
            if path == MANIFEST:
                manifest = blob
            elif (m := ASSESSMENT_PATH.match(path)):
                files[m.group(1)] = blob
        trees.append((month, manifest, files))
    ids = reads_of(indicators)
    wanted = sorted({b for _, man, files in trees for b in [*files.values(), man] if b})
    manifests: dict[str, dict[str, dict[str, Any]]] = {}
    facts: dict[str, Facts | None] = {}
    manifest_blobs = {man for _, man, _ in trees if man}
    for sha, body in read_blobs(root, wanted, MAX_BLOB):
        if sha in manifest_blobs:
            manifests[sha] = _manifest(body)
        else:
            facts[sha] = _facts(body, ids)
    steady = [ind for ind in indicators if not ind.dated]
    dated = [ind for ind in indicators if ind.dated]
    steady_cache: dict[str, dict[str, str]] = {}
    states = []
    for month, man, files in trees:
        day = month_end(month)
        if until is not None:
            day = min(day, until)
        state = MonthState(month=month, date=day, declared=manifests.get(man, {}) if man else {})
        for siren in sorted(state.declared):
            blob = files.get(siren)
            f = facts.get(blob) if blob else None
            if f is None:
                continue
            if blob not in steady_cache:
                steady_cache[blob] = {ind.id: judge(ind, f, day).bucket for ind in steady}
            buckets = dict(steady_cache[blob])
            buckets.update({ind.id: judge(ind, f, day).bucket for ind in dated})
            state.verdicts[siren] = {ind.id: buckets[ind.id] for ind in indicators}
        states.append(state)
    return states
