"""One member's bucket for one indicator, judged on plain JSON data at a given date.

    facts = Facts.from_assessment(data)            # parse once (a 200 KB assessment -> a few dozen values)
    judge(indicator, facts, today).bucket          # yes | partial | no | unknown | na

The date matters for the `recent` part only (a dated answer, e.g. "record last updated on",
is judged against the date the barometer stands for, not the date the member was evaluated):
`Indicator.dated` tells whether a verdict may change with the date, so callers can cache.
`known(data)` says whether anything at all is known of a member (an answer, a probe result,
a kept record); a member with nothing known is "not assessed": in no grade, mean or share.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import functools
from dataclasses import dataclass, field
from typing import Any

from ..assessment.scoring import matches
from .indicators import Indicator

SEVERITIES = ("info", "low", "medium", "high", "critical")
MAX_DEPTH = 8
YES_VALUES = ["yes", True, "oui"]
NEVER_VALUES = ("never", "jamais", "no", "non", "none", "aucun")


@dataclass
class Facts:
    """What the indicators read in one assessment (plain JSON data)."""

    findings: dict[str, list[dict[str, Any]]]
    answers: dict[str, Any]
    organisation: dict[str, Any]

    @classmethod
    def from_assessment(cls, data: dict[str, Any], ids: frozenset[str] | None = None) -> Facts:
        """`ids` (exact IDs and globs the indicators read) keeps only what they need: small to cache."""
        def wanted(fid: str) -> bool:
            return ids is None or _wanted(fid, ids)

        from ..catalogue import hydrate_list

        by_id: dict[str, list[dict[str, Any]]] = {}
        raw = hydrate_list(data.get("findings"), data.get("catalogue"))  # assessment v2: metadata in a catalogue
        for f in raw if isinstance(raw, list) else []:
            if isinstance(f, dict) and isinstance(f.get("id"), str) and wanted(f["id"]):
                by_id.setdefault(f["id"], []).append({k: f.get(k) for k in
                                                      ("id", "target", "status", "severity", "source", "evidence")})
        answers = {}
        raw = data.get("answers")
        for qid, a in (raw if isinstance(raw, dict) else {}).items():
            if wanted(str(qid)):
                answers[str(qid)] = a.get("value") if isinstance(a, dict) else a
        org = data.get("organisation")
        org = org if isinstance(org, dict) else {}
        return cls(findings=by_id, answers=answers, organisation={k: org.get(k) for k in ("dpo",)})

    def matching(self, patterns: list[str]) -> list[dict[str, Any]]:
        out = []
        for fid, group in self.findings.items():
            if matches(fid, patterns):  # scoring's matcher (cached): the same IDs a thousand times
                out.extend(group)
        return out


@functools.lru_cache(maxsize=8192)
def _wanted(fid: str, ids: frozenset[str]) -> bool:
    return fid in ids or any(fnmatch.fnmatchcase(fid, p) for p in ids if "*" in p)


def known(data: dict[str, Any]) -> bool:
    """Is anything known of this member? An answer, a probe result, a record that exists, a named DPO."""
    raw = data.get("answers")
    for a in (raw if isinstance(raw, dict) else {}).values():
        value = a.get("value") if isinstance(a, dict) else a
        if value not in (None, "", "unknown", "na"):
            return True
    org = data.get("organisation")
    dpo = org.get("dpo") if isinstance(org, dict) else None
    if isinstance(dpo, dict) and any(dpo.get(k) for k in ("name", "email", "cnil_designation")):
        return True
    from ..catalogue import hydrate_list

    raw = hydrate_list(data.get("findings"), data.get("catalogue"))
    findings = [f for f in (raw if isinstance(raw, list) else []) if isinstance(f, dict)]
    no_register = any(f.get("id") == "rgpd.register.missing" for f in findings)
    for f in findings:
        if f.get("status") not in ("pass", "warn", "fail"):
            continue
        if f.get("source", "probe") == "probe" or (f.get("source") == "register" and not no_register):
            return True
    return False


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


def _value(qid: str, facts: Facts) -> tuple[Any, dict[str, Any] | None]:
    """The answer to a question: from the answers, else from its interview finding."""
    value = facts.answers.get(qid)
    if value is not None:
        return value, {"id": qid, "answer": value}
    for f in facts.findings.get(qid, []):
        if f.get("source", "interview") == "interview":
            return (f.get("evidence") or {}).get("answer"), _basis(f)
    return None, None


def _one_answer(qid: str, part: dict[str, Any], facts: Facts) -> Verdict | None:
    """The bucket of one question, or None when it was not asked / not answered."""
    yes = part.get("yes", YES_VALUES)
    partial = part.get("partial", ["partial"])
    value = facts.answers.get(qid)
    source = {"id": qid, "answer": value}
    if value is None:  # no answer: maybe the interview finding carries it
        found = [f for f in facts.findings.get(qid, []) if f.get("source", "interview") == "interview"]
        if not found:
            return None
        ev = found[0].get("evidence") or {}
        if ev.get("answer") in ("unknown", "na"):
            return Verdict(part.get("unknown_as", "unknown") if ev["answer"] == "unknown" else "na", [_basis(found[0])])
        bucket = {"pass": "yes", "warn": "partial", "fail": "no"}.get(found[0].get("status"))
        return Verdict(bucket, [_basis(found[0])]) if bucket else None
    if value == "unknown":  # "je ne sais pas": for a survey question, not known is not "yes"
        return Verdict(part.get("unknown_as", "unknown"), [source])
    if value == "na":
        return Verdict("na", [source])
    if value in yes:
        return Verdict("yes", [source])
    if value in partial:
        return Verdict("partial", [source])
    return Verdict("no", [source])


def _answer(part: dict[str, Any], facts: Facts, today: dt.date | None) -> Verdict:
    """Every listed question that was answered must be yes; none answered -> unknown."""
    qids = part["answer"] if isinstance(part["answer"], list) else [part["answer"]]
    verdicts = [v for v in (_one_answer(q, part, facts) for q in qids) if v is not None]
    return _combine(verdicts, "all") if verdicts else Verdict("unknown")


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _recent(part: dict[str, Any], facts: Facts, today: dt.date | None) -> Verdict:
    """A dated answer ("done for the last time on") no older than `max_days` at `today`."""
    value, basis = _value(part["recent"], facts)
    if value is None:
        return Verdict("unknown")
    if value in ("unknown", "na"):
        return Verdict(value, [basis])
    if str(value).lower() in NEVER_VALUES:
        return Verdict("no", [basis])
    day = _date(value)
    if day is None or today is None or day > today:  # a date after the barometer's is not known at its date
        return Verdict("unknown", [basis] if basis else [])
    return Verdict("yes" if (today - day).days <= int(part["max_days"]) else "no", [basis])


def _pass(part: dict[str, Any], facts: Facts, today: dt.date | None) -> Verdict:
    found = [f for f in facts.matching(part["pass"]) if _known(f)]
    if not found:
        return Verdict("unknown")
    statuses = {f["status"] for f in found}
    bucket = "no" if "fail" in statuses else "partial" if "warn" in statuses else "yes"
    return Verdict(bucket, [_basis(f) for f in found])


def _not_fail(part: dict[str, Any], facts: Facts, today: dt.date | None) -> Verdict:
    floor = SEVERITIES.index(part.get("min_severity", "info"))
    found = [f for f in facts.matching(part["not_fail"]) if _known(f) or f.get("status") == "info"]
    if not found:
        return Verdict("unknown")
    bad = [f for f in found if f.get("status") == "fail"
           and f.get("severity") in SEVERITIES and SEVERITIES.index(f["severity"]) >= floor]
    return Verdict("no", [_basis(f) for f in bad]) if bad else Verdict("yes", [_basis(f) for f in found])


def _organisation(part: dict[str, Any], facts: Facts, today: dt.date | None) -> Verdict:
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


PARTS = {"answer": _answer, "recent": _recent, "pass": _pass, "not_fail": _not_fail, "organisation": _organisation}


def judge_part(part: dict[str, Any], facts: Facts, today: dt.date | None, depth: int = 0) -> Verdict:
    if depth > MAX_DEPTH:
        return Verdict("unknown")
    verdicts = [fn(part, facts, today) for key, fn in PARTS.items() if key in part]
    for mode in ("all", "any"):
        if mode in part:
            verdicts.append(_combine([judge_part(p, facts, today, depth + 1) for p in part[mode]], mode))
    verdict = verdicts[0] if len(verdicts) == 1 else _combine(verdicts, "all")
    if part.get("optional") and verdict.bucket == "unknown":
        return Verdict("na")
    return verdict


def recent_signature(part: dict[str, Any], facts: Facts, today: dt.date | None, depth: int = 0) -> tuple:
    """The buckets of a rule's `recent` parts at `today`: all a verdict depends on of the date (the other
    parts never read it), so two dates with the same signature get the same verdict."""
    out: list[Any] = []
    if depth <= MAX_DEPTH:
        if "recent" in part:
            out.append(_recent(part, facts, today).bucket)
        for mode in ("all", "any"):
            for sub in part.get(mode, ()):
                out.append(recent_signature(sub, facts, today, depth + 1))
    return tuple(out)


def judge(indicator: Indicator, facts: Facts, today: dt.date | None = None) -> Verdict:
    """One member's bucket for one indicator at `today` (never raises on odd data: odd data is unknown)."""
    try:
        return judge_part(indicator.rule, facts, today)
    except (TypeError, KeyError, ValueError, AttributeError):
        return Verdict("unknown")
