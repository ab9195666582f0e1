"""Trend of the barometer, month by month, from the repository's git history.

For each month, the last commit of that month on HEAD's first-parent history is read:
every `membres/<SIREN>/assessment.json` in it is judged with the indicators. A blob
already seen (same content in another month) is judged once, so a long history of
mostly unchanged members stays fast. Unreadable blobs are skipped for that month.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .gitio import first_parent_log, is_repository, read_blobs, tree_blobs
from .indicators import BUCKETS, Facts, Indicator, judge
from .manifest import MEMBERS_DIR

ASSESSMENT_PATH = re.compile(rf"^{MEMBERS_DIR}/(\d{{9}})/assessment\.json$")
MAX_BLOB = 20 * 1024 * 1024

ASSESSMENT_SCHEMAS = ("cyberaudit/assessment/v1", "cyberaudit/assessment/v2")  # v2: catalogue.py


def month_commits(root: Path, months: int) -> list[tuple[str, str]]:
    """(YYYY-MM, commit) for the last `months` months that have commits, oldest first."""
    chosen: dict[str, str] = {}
    for sha, date in first_parent_log(root):  # newest first: the first seen of a month is its last commit
        month = date[:7]
        if month not in chosen:
            chosen[month] = sha
    return sorted(chosen.items())[-months:] if months > 0 else []


def _judge_blob(body: bytes | None, indicators: tuple[Indicator, ...]) -> dict[str, str] | None:
    if body is None:
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("schema") not in ASSESSMENT_SCHEMAS:
        return None
    facts = Facts.from_assessment(data)
    return {ind.id: judge(ind, facts).bucket for ind in indicators}


def trend(root: str | Path, indicators: tuple[Indicator, ...], months: int = 24,
          members: set[str] | None = None) -> list[dict[str, Any]]:
    """One row per month: members read and, per indicator, bucket counts and the share of yes."""
    root = Path(root)
    if not is_repository(root):
        return []
    try:
        commits = month_commits(root, months)
    except Exception:  # no commit yet, shallow clone trouble...: no trend rather than no barometer
        return []
    per_month: list[tuple[str, str, dict[str, str]]] = []
    for month, sha in commits:
        files = {}
        for path, blob in tree_blobs(root, sha, MEMBERS_DIR):
            m = ASSESSMENT_PATH.match(path)
            if m and (members is None or m.group(1) in members):
                files[m.group(1)] = blob
        per_month.append((month, sha, files))
    wanted = sorted({blob for _, _, files in per_month for blob in files.values()})
    judged: dict[str, dict[str, str] | None] = {}
    for sha, body in read_blobs(root, wanted, MAX_BLOB):
        judged[sha] = _judge_blob(body, indicators)
    rows = []
    for month, _sha, files in per_month:
        verdicts = [judged.get(blob) for _, blob in sorted(files.items())]
        verdicts = [v for v in verdicts if v is not None]
        # no commit id in the row: committing the barometer itself must not change the next barometer
        row: dict[str, Any] = {"month": month, "members": len(verdicts), "indicators": {}}
        for ind in indicators:
            counts = {b: 0 for b in BUCKETS}
            for v in verdicts:
                counts[v[ind.id]] += 1
            row["indicators"][ind.id] = {**counts, "share": share(counts)}
        rows.append(row)
    return rows


def share(counts: dict[str, int]) -> float | None:
    """Share of yes among the members whose answer is known (yes, partial or no), rounded to 0.001."""
    known = counts["yes"] + counts["partial"] + counts["no"]
    return None if known == 0 else round(counts["yes"] / known, 3)
