"""Barometer indicators: data (cyberaudit/data/indicators.yaml) judged on one member's assessment.

An indicator has a stable id, a French/English label, an optional national reference
(the ANPP survey) and a rule made of parts:

    answer: QID | [QID, ...]     interview answer (first answered question); yes/partial lists optional
    pass: [IDS]                  findings (IDs or globs) must all pass; a fail -> no, a warn -> partial
    not_fail: [IDS]              no failing finding (at or above `min_severity`) -> yes
    organisation: dpo            organisation.yaml names a DPO -> yes (otherwise says nothing)
    all: [PARTS] / any: [PARTS]  combine parts

Each judgement is one bucket: yes, partial, no, unknown (nothing known: never counted as no)
or na (not applicable). Judging works on plain JSON data (an assessment.json as loaded),
so the barometer and its git-history trend never need to re-validate or re-evaluate.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..disk.fileio import to_plain
from ..errors import InputError
from ..i18n import get_lang

BUCKETS = ("yes", "partial", "no", "unknown", "na")
SEVERITIES = ("info", "low", "medium", "high", "critical")
PART_KEYS = {"answer", "pass", "not_fail", "organisation", "all", "any"}
PART_OPTIONS = {"yes", "partial", "min_severity", "optional"}
MAX_DEPTH = 8


@dataclass(frozen=True)
class Indicator:
    id: str
    label: dict[str, str]
    theme: str
    rule: dict[str, Any]
    survey: float | None = None  # national reference share (0-1), if any
    help: dict[str, str] = field(default_factory=dict)

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
                             help={k: str(v) for k, v in (row.get("help") or {}).items()}))
    return tuple(out)




# --------------------------------------------------------------------------- facts of one member


@dataclass
class Facts:
    """What the indicators read in one assessment (plain JSON data)."""

    findings: dict[str, list[dict[str, Any]]]
    answers: dict[str, Any]
    organisation: dict[str, Any]

    @classmethod
    def from_assessment(cls, data: dict[str, Any]) -> Facts:
        from ..catalogue import hydrate_list

        by_id: dict[str, list[dict[str, Any]]] = {}
        for f in hydrate_list(data.get("findings"), data.get("catalogue")) or []:
            if isinstance(f, dict) and isinstance(f.get("id"), str):
                by_id.setdefault(f["id"], []).append(f)
        answers = {}
        for qid, a in (data.get("answers") or {}).items():
            answers[str(qid)] = a.get("value") if isinstance(a, dict) else a
        org = data.get("organisation")
        return cls(findings=by_id, answers=answers, organisation=org if isinstance(org, dict) else {})

    def matching(self, patterns: list[str]) -> list[dict[str, Any]]:
        out = []
        for fid, group in self.findings.items():
            if any(fid == p or fnmatch.fnmatchcase(fid, p) for p in patterns):
                out.extend(group)
        return out


@dataclass
class Verdict:
    bucket: str
    basis: list[dict[str, Any]] = field(default_factory=list)  # findings/answers behind it (ids, status)


def _known(f: dict[str, Any]) -> bool:
    ev = f.get("evidence") or {}
    return f.get("status") in ("pass", "warn", "fail") and ev.get("answer") not in ("unknown", "na")


def _basis(f: dict[str, Any]) -> dict[str, Any]:
    return {"id": f.get("id"), "target": f.get("target"), "status": f.get("status"),
            "severity": f.get("severity"), "evidence": f.get("evidence") or {}}


YES_VALUES = ["yes", True, "oui"]


def _one_answer(qid: str, part: dict[str, Any], facts: Facts) -> Verdict | None:
    """The bucket of one question, or None when it was not asked / not answered."""
    yes = part.get("yes", YES_VALUES)
    partial = part.get("partial", ["partial"])
    value = facts.answers.get(qid)
    source = {"id": qid, "answer": value}
    if value is None:  # no answer: maybe the interview finding carries it
        known = [f for f in facts.findings.get(qid, []) if f.get("source", "interview") == "interview"]
        if not known:
            return None
        ev = known[0].get("evidence") or {}
        if ev.get("answer") in ("unknown", "na"):
            return Verdict(ev["answer"], [_basis(known[0])])
        bucket = {"pass": "yes", "warn": "partial", "fail": "no"}.get(known[0].get("status"))
        return Verdict(bucket, [_basis(known[0])]) if bucket else None
    if value in ("unknown", "na"):
        return Verdict(value, [source])
    if value in yes:
        return Verdict("yes", [source])
    if value in partial:
        return Verdict("partial", [source])
    return Verdict("no", [source])


def _answer(part: dict[str, Any], facts: Facts) -> Verdict:
    """Every listed question that was answered must be yes; none answered -> unknown."""
    qids = part["answer"] if isinstance(part["answer"], list) else [part["answer"]]
    verdicts = [v for v in (_one_answer(q, part, facts) for q in qids) if v is not None]
    return _combine(verdicts, "all") if verdicts else Verdict("unknown")


def _pass(part: dict[str, Any], facts: Facts) -> Verdict:
    found = [f for f in facts.matching(part["pass"]) if _known(f)]
    if not found:
        return Verdict("unknown")
    statuses = {f["status"] for f in found}
    bucket = "no" if "fail" in statuses else "partial" if "warn" in statuses else "yes"
    return Verdict(bucket, [_basis(f) for f in found])


def _not_fail(part: dict[str, Any], facts: Facts) -> Verdict:
    floor = SEVERITIES.index(part.get("min_severity", "info"))
    found = [f for f in facts.matching(part["not_fail"]) if _known(f) or f.get("status") == "info"]
    if not found:
        return Verdict("unknown")
    bad = [f for f in found if f.get("status") == "fail"
           and f.get("severity") in SEVERITIES and SEVERITIES.index(f["severity"]) >= floor]
    return Verdict("no", [_basis(f) for f in bad]) if bad else Verdict("yes", [_basis(f) for f in found])


def _organisation(part: dict[str, Any], facts: Facts) -> Verdict:
    value = facts.organisation.get(part["organisation"])
    if isinstance(value, dict) and any(value.get(k) for k in ("name", "email", "cnil_designation")):
        return Verdict("yes", [{"id": f"organisation.{part['organisation']}"}])
    return Verdict("unknown")


def _combine(verdicts: list[Verdict], mode: str) -> Verdict:
    live = [v for v in verdicts if v.bucket != "na"]
    if not live:
        return Verdict("na" if verdicts else "unknown")
    order = ("no", "unknown", "partial", "yes") if mode == "all" else ("yes", "partial", "no", "unknown")
    bucket = next(b for b in order if any(v.bucket == b for v in live))
    basis = [b for v in live for b in v.basis]
    return Verdict(bucket, basis)


def judge_part(part: dict[str, Any], facts: Facts, depth: int = 0) -> Verdict:
    if depth > MAX_DEPTH:
        return Verdict("unknown")
    verdicts = []
    if "answer" in part:
        verdicts.append(_answer(part, facts))
    if "pass" in part:
        verdicts.append(_pass(part, facts))
    if "not_fail" in part:
        verdicts.append(_not_fail(part, facts))
    if "organisation" in part:
        verdicts.append(_organisation(part, facts))
    if "all" in part:
        verdicts.append(_combine([judge_part(p, facts, depth + 1) for p in part["all"]], "all"))
    if "any" in part:
        verdicts.append(_combine([judge_part(p, facts, depth + 1) for p in part["any"]], "any"))
    verdict = verdicts[0] if len(verdicts) == 1 else _combine(verdicts, "all")
    if part.get("optional") and verdict.bucket == "unknown":
        return Verdict("na")
    return verdict


def judge(indicator: Indicator, facts: Facts) -> Verdict:
    """One member's bucket for one indicator (never raises on odd data: odd data is unknown)."""
    try:
        return judge_part(indicator.rule, facts)
    except (TypeError, KeyError, ValueError, AttributeError):
        return Verdict("unknown")
