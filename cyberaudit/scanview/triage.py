"""The IT provider's view of a scan: a summary row per target, worst first, then the details.

`build(result, only=..., show_all=...)` -> `View`:
- `only`: check IDs, ID prefixes or families (`tls`, `tls.cert`, `mail.spf.policy`); every other finding
  is left out of the summary, the details and the exports;
- the details hold the non-passing findings (fail, warn, error) unless `show_all`, grouped by target and
  host (the domain, `www`, other web names, MX, name servers), most severe first;
- targets are ranked worst first: an untested check (`error`) ranks like a failed one (what could not be
  tested is never better than a failure), then by the number of such checks, then by warnings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import SEVERITY_RANK, Finding, ScanResult, Severity, Status
from .locate import Location, locate

SHOWN = (Status.FAIL, Status.ERROR, Status.WARN)
STATUS_ORDER = {Status.FAIL: 0, Status.ERROR: 1, Status.WARN: 2, Status.INFO: 3, Status.PASS: 4}
TOP = 3  # failing checks named in a summary row


@dataclass(frozen=True)
class Row:
    finding: Finding
    location: Location


@dataclass
class TargetView:
    target: str
    rows: list[Row]  # every finding kept by `only`, located, in detail order
    counts: dict[str, int] = field(default_factory=dict)  # status value -> number of findings
    worst: Severity | None = None  # most severe failing or warning finding
    top: list[Finding] = field(default_factory=list)  # most severe failing checks, one per ID

    def shown(self, show_all: bool) -> list[Row]:
        return self.rows if show_all else [r for r in self.rows if r.finding.status in SHOWN]

    def rank_key(self) -> tuple:
        bad = [r.finding for r in self.rows if r.finding.status in (Status.FAIL, Status.ERROR)]
        warn = [r.finding for r in self.rows if r.finding.status is Status.WARN]
        return (-_max_rank(bad), -len(bad), -self.counts.get("fail", 0), -_max_rank(warn), -len(warn), self.target)


@dataclass
class View:
    targets: list[TargetView]  # worst first
    show_all: bool
    elapsed: float | None  # seconds the scan took, when known
    totals: dict[str, int]  # status value -> number of findings, over every target

    def details(self) -> Iterable[tuple[TargetView, list[Row]]]:
        for tv in self.targets:
            rows = tv.shown(self.show_all)
            if rows:
                yield tv, rows


def _max_rank(findings: list[Finding]) -> int:
    return max((SEVERITY_RANK[f.severity] for f in findings), default=-1)


def matches(check_id: str, only: list[str]) -> bool:
    return any(check_id == o or check_id.startswith(o + ".") for o in only)


def row_key(row: Row) -> tuple:
    f = row.finding
    loc = row.location
    return (loc.sort_key()[:2], -SEVERITY_RANK[f.severity], STATUS_ORDER[f.status], f.id, loc.sort_key()[2:])


def target_view(target: str, located: list[tuple[Finding, Location]]) -> TargetView:
    rows = sorted((Row(f, loc) for f, loc in located), key=row_key)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.finding.status.value] = counts.get(r.finding.status.value, 0) + 1
    flagged = [r.finding for r in rows if r.finding.status in (Status.FAIL, Status.WARN)]
    worst = max(flagged, key=lambda f: SEVERITY_RANK[f.severity]).severity if flagged else None
    failing = sorted((r.finding for r in rows if r.finding.status is Status.FAIL),
                     key=lambda f: (-SEVERITY_RANK[f.severity], f.id))
    top: list[Finding] = []
    for f in failing:
        if f.id not in {t.id for t in top}:
            top.append(f)
    return TargetView(target, rows, counts, worst, top[:TOP])


def build(result: ScanResult, *, only: list[str] | None = None, show_all: bool = False,
          elapsed: float | None = None) -> View:
    views = []
    for tr in result.results:
        located = [(f, loc) for f, loc in locate(tr) if not only or matches(f.id, only)]
        views.append(target_view(tr.target, located))
    views.sort(key=TargetView.rank_key)
    totals: dict[str, int] = {}
    for tv in views:
        for k, n in tv.counts.items():
            totals[k] = totals.get(k, 0) + n
    return View(views, show_all, elapsed, totals)


def parse_only(value: str | None, known: Iterable[str]) -> list[str]:
    """`--only a,b` -> ["a", "b"]; ValueError naming what matches no known check ID, prefix or family."""
    if not value:
        return []
    wanted = [v.strip().lower() for v in value.split(",") if v.strip()]
    ids = list(known)
    unknown = [w for w in wanted if not any(matches(i, [w]) for i in ids)]
    if unknown:
        raise ValueError(", ".join(unknown))
    return wanted
