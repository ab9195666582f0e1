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
from .judging import Facts, judge, known, recent_signature
from .lite import lite_assessment
from .manifest import MANIFEST, MEMBERS_DIR
from .members import ASSESSMENT_SCHEMAS  # v2: catalogue.py

ASSESSMENT_PATH = re.compile(rf"^{MEMBERS_DIR}/(\d{{9}})/assessment\.json$")
MAX_BLOB = 20 * 1024 * 1024
BUCKETS = ("yes", "partial", "no", "unknown", "na")


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
    from . import fastyaml
    from .manifest import Territory

    try:
        territory = Territory.model_validate(fastyaml.load(body or b""))
    except Exception:
        return {}
    return {m.siren: {"name": m.name, "kind": m.kind, "population": m.population} for m in territory.members}


def _facts(body: bytes | None, ids: frozenset[str]) -> Facts | None:
    """Compact facts of one assessment blob; None when it is not a readable assessment or nothing is known.
    blobfacts decodes only what the indicators read; anything it cannot vouch for takes the full path."""
    from .blobfacts import Unusual, blob_facts

    if body is None:
        return None
    try:
        return blob_facts(body, ids, ASSESSMENT_SCHEMAS)
    except Unusual:
        return _facts_full(body, ids)


def _facts_full(body: bytes, ids: frozenset[str]) -> Facts | None:
    """The same, from every part of the assessment the barometer reads (lite.py)."""
    data = lite_assessment(body)
    if data is None or data.get("schema") not in ASSESSMENT_SCHEMAS or not known(data):
        return None
    return Facts.from_assessment(data, ids)


def reads_of(indicators: tuple[Indicator, ...]) -> frozenset[str]:
    return frozenset(r for ind in indicators for r in ind.reads())


def history(root: str | Path, indicators: tuple[Indicator, ...], months: int = 24,
            until: dt.date | None = None, *, before: str | None = None, store=None,
            read: dict[str, Facts | None] | None = None) -> list[MonthState]:
    """The last `months` months with commits up to `until` (and before the month `before`, YYYY-MM),
    oldest first ([] without git history). `store`: a cache.Store of verdicts per blob (its git ID);
    `read`: facts already read from the working tree, by blob ID (None: not assessed)."""
    root = Path(root)
    if not is_repository(root):
        return []
    try:
        commits = month_commits(root, months, until)
    except Exception:  # no commit yet, shallow clone trouble...: no trend rather than no barometer
        return []
    commits = [(month, sha) for month, sha in commits if before is None or month < before]
    trees: list[tuple[str, str | None, dict[str, str]]] = []
    for (month, _), listing in zip(commits, _listings(root, [sha for _, sha in commits]), strict=True):
        manifest, files = None, {}
        for path, blob in listing:
            if path == MANIFEST:
                manifest = blob
            elif (m := ASSESSMENT_PATH.match(path)):
                files[m.group(1)] = blob
        trees.append((month, manifest, files))
    manifests = {sha: _manifest(body) for sha, body in
                 read_blobs(root, sorted({man for _, man, _ in trees if man}), MAX_BLOB)}
    days: dict[str, set[str]] = {}  # blob -> the dates it is judged at
    plan = []
    for month, man, files in trees:
        day = month_end(month) if until is None else min(month_end(month), until)
        declared = manifests.get(man, {}) if man else {}
        plan.append((month, day, declared))
        for siren in declared:
            if files.get(siren):
                days.setdefault(files[siren], set()).add(day.isoformat())
    judged = _judged_blobs(root, indicators, days, store, read or {})
    states = []
    for (month, day, declared), (_, _, files) in zip(plan, trees, strict=True):
        state = MonthState(month=month, date=day, declared=declared)
        for siren in sorted(declared):
            entry = judged.get(files.get(siren) or "")
            if entry is None:
                continue
            buckets = {**entry["steady"], **entry["dated"][day.isoformat()]}
            state.verdicts[siren] = {ind.id: buckets[ind.id] for ind in indicators}
        states.append(state)
    return states


def _listings(root: Path, shas: list[str]) -> list[list[tuple[str, str]]]:
    """tree_blobs of each commit, a few git processes at a time (each mostly waits for its git)."""
    from concurrent.futures import ThreadPoolExecutor

    if len(shas) < 4:
        return [tree_blobs(root, sha, MEMBERS_DIR, MANIFEST) for sha in shas]
    with ThreadPoolExecutor(4) as threads:  # ended before any worker process is forked (pool.py)
        return list(threads.map(lambda sha: tree_blobs(root, sha, MEMBERS_DIR, MANIFEST), shas))


PARALLEL_FROM = 64  # blobs to decode and judge: below this, one process does it faster than a pool starts


def _judged_blobs(root: Path, indicators: tuple[Indicator, ...], days: dict[str, set[str]], store,
                  read: dict[str, Facts | None]) -> dict:
    """blob -> {"steady": buckets, "dated": {day: buckets}} (None: not a readable, assessed assessment),
    from the cache where it holds every date needed, else decoded and judged (one process per core)."""
    from .cache import content_key
    from .pool import map_chunks

    rules = content_key(repr([(ind.id, ind.rule) for ind in indicators]))[:16]
    kinds = ({i.id for i in indicators if not i.dated}, {i.id for i in indicators if i.dated})
    out: dict[str, Any] = {}
    todo = []
    for blob in sorted(days):
        entry = store.get("blobs", f"{blob}:{rules}") if store is not None else None
        if _fits(entry, kinds, days[blob]):
            out[blob] = entry["judged"]
        else:  # facts read from the working tree travel with the blob; the others are read from git
            todo.append((blob, sorted(days[blob]), blob in read, read.get(blob)))
    done = map_chunks(_judge_chunk, todo, (root, indicators), min_items=PARALLEL_FROM)
    if done is None:
        done = _judge_chunk(todo, root, indicators)
    for (blob, *_), entry in zip(todo, done, strict=True):
        out[blob] = entry
    if store is not None:
        for blob in days:
            store.put("blobs", f"{blob}:{rules}", {"judged": out[blob]})
    return out


def _judge_chunk(items: list[tuple[str, list[str], bool, Facts | None]], root: Path,
                 indicators: tuple[Indicator, ...]) -> list:
    """(blob, days, facts given?, facts) -> judged; blobs without facts are read from git, in order."""
    import contextlib

    ids = reads_of(indicators)
    out = []
    with contextlib.closing(read_blobs(root, [sha for sha, _, given, _ in items if not given], MAX_BLOB)) as bodies:
        for sha, days, given, facts in items:
            if not given:
                got, body = next(bodies)
                if got != sha:  # pragma: no cover - read_blobs yields every sha asked, in order
                    raise RuntimeError("git cat-file answered out of order")
                facts = _facts(body, ids)
            out.append(_judge_facts(facts, indicators, days))
    return out


def _judge_facts(f: Facts | None, indicators: tuple[Indicator, ...], days: list[str]) -> dict | None:
    """A steady verdict is the same at any date; a dated one, the same at dates where the rule's `recent`
    parts say the same (judging.recent_signature): a blob seen for 20 months is judged once or twice."""
    if f is None:
        return None
    first = dt.date.fromisoformat(days[0])
    dated = [ind for ind in indicators if ind.dated]
    seen: dict[tuple, str] = {}
    out: dict[str, dict[str, str]] = {}
    for day in days:
        when = dt.date.fromisoformat(day)
        row = out[day] = {}
        for ind in dated:
            try:
                key = (ind.id, recent_signature(ind.rule, f, when))
            except (TypeError, KeyError, ValueError, AttributeError):  # odd data: judged as it is, every date
                row[ind.id] = judge(ind, f, when).bucket
                continue
            if key not in seen:
                seen[key] = judge(ind, f, when).bucket
            row[ind.id] = seen[key]
    return {"steady": {ind.id: judge(ind, f, first).bucket for ind in indicators if not ind.dated}, "dated": out}


def _fits(entry: Any, kinds: tuple[set[str], set[str]], days: set[str]) -> bool:
    """Is a cached entry well-formed and complete for these dates (kinds: the steady and the dated
    indicator IDs)? Anything odd: judged again."""
    if not isinstance(entry, dict) or "judged" not in entry:
        return False
    judged = entry["judged"]
    if judged is None:
        return True
    try:
        steady, dated = judged["steady"], judged["dated"]
        return (steady.keys() == kinds[0] and days <= dated.keys() and all(b in BUCKETS for b in steady.values())
                and all(dated[d].keys() == kinds[1] and all(b in BUCKETS for b in dated[d].values()) for d in days))
    except (TypeError, KeyError, AttributeError):
        return False
