"""Barometer indicators: data (cyberaudit/data/indicators.yaml) judged on one member's assessment.

An indicator has a stable id, a French/English label, an optional national reference
(the ANPP survey) and a rule made of parts:

    answer: QID | [QID, ...]     interview answers (all answered must be yes); yes/partial lists optional;
                                 unknown_as: no  counts "je ne sais pas" as not yes (survey questions)
    recent: QID, max_days: N     a dated answer no older than N days at the barometer's date
    pass: [IDS]                  findings (IDs or globs) must all pass; a fail -> no, a warn -> partial
    not_fail: [IDS]              no failing finding (at or above `min_severity`) -> yes
    organisation: dpo            organisation.yaml names a DPO -> yes (otherwise says nothing)
    all: [PARTS] / any: [PARTS]  combine parts

Each judgement is one bucket: yes, partial, no, unknown (nothing known: never counted as no)
or na (not applicable). Judging works on plain JSON data (an assessment.json as loaded),
so the barometer and its git-history trend never need to re-validate or re-evaluate
(cyberaudit/territory/judging.py). Adding an indicator is one entry in indicators.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from ..disk.fileio import to_plain
from ..errors import InputError
from ..i18n import get_lang

BUCKETS = ("yes", "partial", "no", "unknown", "na")
SEVERITIES = ("info", "low", "medium", "high", "critical")
PART_KEYS = {"answer", "recent", "pass", "not_fail", "organisation", "all", "any"}
PART_OPTIONS = {"yes", "partial", "min_severity", "optional", "unknown_as", "max_days"}
MAX_DEPTH = 8


@dataclass(frozen=True)
class Indicator:
    id: str
    label: dict[str, str]
    theme: str
    rule: dict[str, Any]
    survey: float | None = None  # national reference share (0-1), if any
    help: dict[str, str] = field(default_factory=dict)
    survey_question: dict[str, str] = field(default_factory=dict)  # the survey's own wording, fr/en

    @cached_property
    def dated(self) -> bool:
        """True when the verdict depends on the date it is judged at (a `recent` part)."""
        return "'recent'" in repr(self.rule)

    def title(self, lang: str | None = None) -> str:
        return self.label.get(lang or get_lang()) or self.label["fr"]

    def reads(self) -> list[str]:
        """Finding IDs / question IDs the indicator reads (for documentation and the JSON output)."""
        out: list[str] = []
        _reads(self.rule, out)
        return sorted(set(out))


def _reads(part: dict[str, Any], out: list[str]) -> None:
    for key in ("all", "any"):
        for sub in part.get(key, []):
            _reads(sub, out)
    answer = part.get("answer")
    out.extend([answer] if isinstance(answer, str) else answer or [])
    if "recent" in part:
        out.append(part["recent"])
    out.extend(part.get("pass", []))
    out.extend(part.get("not_fail", []))
    if "organisation" in part:
        out.append(f"organisation.{part['organisation']}")


def _check_part(part: Any, where: str, depth: int = 0) -> None:
    if depth > MAX_DEPTH or not isinstance(part, dict) or not (set(part) & PART_KEYS) \
            or set(part) - PART_KEYS - PART_OPTIONS:
        raise InputError(f"invalid indicator rule part: {part!r}", file=where)
    for key in ("all", "any"):
        if key in part:
            if not isinstance(part[key], list) or not part[key]:
                raise InputError(f"'{key}' needs a non-empty list", file=where)
            for sub in part[key]:
                _check_part(sub, where, depth + 1)
    if part.get("min_severity", "info") not in SEVERITIES:
        raise InputError(f"unknown min_severity {part.get('min_severity')!r}", file=where)
    if part.get("unknown_as", "unknown") not in ("unknown", "no"):
        raise InputError(f"unknown_as must be 'no' or 'unknown': {part.get('unknown_as')!r}", file=where)
    if "recent" in part and not (isinstance(part.get("max_days"), int) and part["max_days"] > 0):
        raise InputError("'recent' needs max_days: a positive number of days", file=where)


@cache
def load_indicators(path: str | None = None) -> tuple[Indicator, ...]:
    """The indicator table, validated (ids unique, rules well-formed)."""
    from ..content.locate import data_file
    from ..disk.fileio import load_yaml
    from ..themes import THEMES

    file = Path(path) if path else data_file("indicators.yaml")
    data = load_yaml(file)
    out: list[Indicator] = []
    seen: set[str] = set()
    for row in data.get("indicators", []):
        iid = str(row["id"])
        if iid in seen:
            raise InputError(f"indicator {iid!r} declared twice", file=str(file))
        seen.add(iid)
        if row.get("theme") not in THEMES:
            raise InputError(f"indicator {iid!r}: unknown theme {row.get('theme')!r}", file=str(file))
        _check_part(row["rule"], str(file))
        survey = row.get("survey")
        out.append(Indicator(id=iid, label={"fr": str(row["label"]["fr"]), "en": str(row["label"]["en"])},
                             theme=row["theme"], rule=to_plain(row["rule"]),
                             survey=None if survey is None else float(survey),
                             help={k: str(v) for k, v in (row.get("help") or {}).items()},
                             survey_question={k: str(v) for k, v in (row.get("survey_question") or {}).items()}))
    return tuple(out)
