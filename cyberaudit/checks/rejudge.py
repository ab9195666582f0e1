"""Judge saved observations again (pure): today's judges on what a scan saw, months ago or just now.

    result = rejudge(header, records, previous)      # -> ScanResult

`records` yields (line number, target, {family: observation}) as `disk.observations.read` does;
`previous` is the scan those observations came with (or None). The findings of every family that was
observed on a target are replaced by today's verdicts; findings of families that saved no observation
(a scan made by an older version, before its family saved observations) are kept as they were.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .. import __version__
from ..model import Finding, ScanResult, TargetResult, sort_findings
from . import REGISTRY, emitting_family, judge_observation, load_all


def _family_of(check_id: str) -> str:
    info = REGISTRY.get(check_id)
    return emitting_family(info) if info is not None else check_id.split(".", 1)[0]


def rejudge(header: dict[str, Any], records: Iterable[tuple[int, str, dict[str, dict]]],
            previous: ScanResult | None, *, options: dict[str, Any] | None = None) -> ScanResult:
    load_all()
    judged: dict[str, list[Finding]] = {}
    observed: dict[str, set[str]] = {}
    for _no, target, families in records:
        found = judged.setdefault(target, [])
        for family, obs in sorted(families.items()):
            found.extend(judge_observation(family, obs, target))
        observed.setdefault(target, set()).update(families)
    for old in previous.results if previous else []:
        seen = observed.get(old.target, set())
        judged.setdefault(old.target, []).extend(f for f in old.findings if _family_of(f.id) not in seen)
    started = previous.started_at if previous and previous.started_at else header.get("started_at")
    checks = list(dict.fromkeys([*(previous.checks if previous else []), *(header.get("checks") or [])]))
    return ScanResult(tool_version=__version__, started_at=started, checks=checks,
                      options={**(header.get("options") or {}), **(options or {"rejudged": True})},
                      results=[TargetResult(target=tg, findings=sort_findings(fs)) for tg, fs in sorted(judged.items())])
