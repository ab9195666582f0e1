"""Scoring: findings of an assessment + the organisation's profile -> a Score. Pure and deterministic.

Rules (the same text, in French, is in docs/scoring.md and in the report's annex):

1. **Measures.** Findings are grouped by ID: one ID is one measure, even if it was tested on
   several targets. A measure's credit is its *worst* result: pass = 1, warn = 1/2 (or the
   answer's partial score, from evidence["score"]), fail = 0. `info` findings and "not applicable"
   answers are neutral. An "unknown" answer (evidence {"answer": "unknown"}) counts as **not in
   place** (credit 0, and it can cap the grade like a failure) *and* as missing coverage: not
   knowing never scores better than "no". `error` findings (could not be tested), unanswered
   questions and probe families not run are **coverage** only, never a zero and never a success.
2. **Severity weights** (SEVERITY_WEIGHTS): a measure weighs by the severity of its worst result.
3. **Essential measures gate each theme** (MonServiceSécurisé's indice cyber): with rI the
   weighted share done of the theme's essential measures (listed by the profile) and rR the
   share done of the others, theme score = 100 x (0.6 + 0.4 x rR) x rI; if one kind is absent,
   the other ratio alone. A theme with nothing assessed has no score (not zero).
4. **Overall score** = mean of the assessed theme scores, weighted by the profile's theme weights
   (a theme the profile does not weigh counts 1).
5. **Grade** from the score (GRADE_BANDS), then **caps** (CAPS, data): e.g. any critical failure
   caps the grade at D whatever the average. The Score names the finding that capped it.
6. **Coverage** = known measures / (known + unknown + errors + unanswered + the checks of each probe
   family not run), overall and per theme. Below PROVISIONAL_BELOW the grade is **provisional**.
   With nothing answered and nothing scanned there is no grade at all ("not assessed").
7. **Re-assessment delay** from the grade (REASSESS_MONTHS), shortened while the grade is provisional.

Arithmetic uses exact fractions, so the result is the same on every machine, and adding a passing
finding can never lower a score.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..model import SEVERITY_RANK, Assessment, Finding, Severity, Status, Text
from ..records.timeutil import add_months  # one rule for "N months later" (Regulation 1182/71 art. 3(2)(c))
from ..themes import FAMILY_THEME, THEMES
from .exact import pct as _pct
from .exact import ratio as _ratio
from .exact import share as _share

SCHEMA = "cyberaudit/score/v1"

SEVERITY_WEIGHTS: dict[Severity, Fraction] = {
    Severity.CRITICAL: Fraction(8), Severity.HIGH: Fraction(4), Severity.MEDIUM: Fraction(2),
    Severity.LOW: Fraction(1), Severity.INFO: Fraction(1, 2),
}
ESSENTIAL_BASE = Fraction(6, 10)  # MSS: score = (0.6 + 0.4 x rR) x rI
RECOMMENDED_SHARE = Fraction(4, 10)
WARN_CREDIT = Fraction(1, 2)
GRADES = ("A", "B", "C", "D", "E", "F")
GRADE_BANDS: tuple[tuple[int, str], ...] = ((80, "A"), (65, "B"), (50, "C"), (35, "D"), (20, "E"), (0, "F"))
REASSESS_MONTHS: dict[str, int] = {"A": 24, "B": 12, "C": 12, "D": 6, "E": 3, "F": 3}
PROVISIONAL_BELOW = Fraction(2, 3)  # below this share known, the grade is provisional
LOW_COVERAGE = PROVISIONAL_BELOW  # ... and the next assessment comes within LOW_COVERAGE_MONTHS
LOW_COVERAGE_MONTHS = 6
NOT_ASSESSED_MONTHS = 3

# Interview question ID prefix -> theme (used when a finding carries no theme).
PREFIX_THEME = {"gov": "governance", "priv": "rgpd", "iam": "identity", "msg": "mail", "site": "web",
                "net": "exposure", "sys": "systems", "bcp": "continuity", "trn": "awareness", "eco": "sobriety",
                "rgpd": "rgpd", "org": "governance"}


@dataclass(frozen=True)
class CapRule:
    """A grade cap: a failure matching it limits the grade to `max_grade` at best."""

    id: str
    max_grade: str
    min_severity: Severity
    essential_only: bool
    label: Text


CAPS: tuple[CapRule, ...] = (
    CapRule("critical_failure", "D", Severity.CRITICAL, False,
            Text(fr="une non-conformité critique plafonne la note à D",
                 en="a critical failure caps the grade at D")),
    CapRule("essential_high_failure", "C", Severity.HIGH, True,
            Text(fr="une mesure essentielle en échec (sévérité haute) plafonne la note à C",
                 en="a failed essential measure of high severity caps the grade at C")),
)


# --------------------------------------------------------------------------- result types


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Counts(_Model):
    passed: int = 0
    warned: int = 0
    failed: int = 0
    info: int = 0
    errors: int = 0
    unknown: int = 0
    unanswered: int = 0


class ThemeScore(_Model):
    theme: str
    title: Text
    weight: float
    score: float | None = None  # 0-100; None = nothing assessed in this theme
    essential_ratio: float | None = None  # rI, 0-1
    recommended_ratio: float | None = None  # rR, 0-1
    measures: int = 0  # measures with a result
    essential_measures: int = 0
    counts: Counts = Field(default_factory=Counts)
    coverage: float | None = None  # share of the theme's items that are known, 0-1
    not_scanned: list[str] = Field(default_factory=list)  # probe families of this theme not run
    unknown_measures: int = 0  # measures answered "unknown" (counted as not in place)


class CapInfo(_Model):
    rule: str
    max_grade: str
    label: Text
    finding_id: str
    target: str | None = None
    title: Text
    severity: Severity
    unknown: bool = False  # the measure is not known to be in place ("I don't know"), counted as not in place


class Coverage(_Model):
    known: int = 0  # measures with a pass/warn/fail result
    errors: list[str] = Field(default_factory=list)  # measures that could not be tested
    unknown: list[str] = Field(default_factory=list)  # questions answered "unknown"
    unanswered: list[str] = Field(default_factory=list)  # applicable questions not answered yet
    not_scanned: list[str] = Field(default_factory=list)  # probe families not run
    not_scanned_points: int = 0  # checks of those families (each one a point not known)
    unknown_essential: list[str] = Field(default_factory=list)  # essential measures answered "unknown"
    ratio: float | None = None  # known / (known + errors + unknown + unanswered + not_scanned_points)


class Score(_Model):
    schema_: str = Field(default=SCHEMA, alias="schema")
    score: float | None = None  # 0-100, one decimal; None = nothing assessed
    grade: str | None = None  # A-F after caps; None = not assessed (nothing answered, nothing scanned)
    provisional: bool = False  # coverage below PROVISIONAL_BELOW: the grade may still move a lot
    band_grade: str | None = None  # grade from the score alone
    cap: CapInfo | None = None  # the cap that lowered the grade (None if the score alone is lower)
    caps: list[CapInfo] = Field(default_factory=list)  # every cap that applies, strictest first
    themes: list[ThemeScore] = Field(default_factory=list)
    essential_ratio: float | None = None  # share done of all essential measures
    coverage: Coverage = Field(default_factory=Coverage)
    reassess_months: int = NOT_ASSESSED_MONTHS
    reassess_by: dt.date | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# --------------------------------------------------------------------------- helpers


def theme_of(f: Finding) -> str:
    """The theme a finding counts in: its own, else from its ID prefix or source."""
    if f.theme in THEMES:
        return f.theme
    prefix = f.id.split(".", 1)[0]
    if prefix in FAMILY_THEME:
        return FAMILY_THEME[prefix]
    if f.source == "register":
        return "rgpd"
    return PREFIX_THEME.get(prefix, "governance")


def is_unknown(f: Finding) -> bool:
    """An "I don't know" answer, or a probe result still to confirm that the interview could not confirm."""
    if f.evidence.get("answer") == "unknown":
        return True
    joined = f.evidence.get("interview")
    return (f.source == "probe" and f.status is Status.WARN and isinstance(joined, dict)
            and joined.get("answer") == "unknown" and joined.get("relation") == "confirms")


def is_not_applicable(f: Finding) -> bool:
    return f.evidence.get("answer") == "na"


_ONE, _ZERO = Fraction(1), Fraction(0)  # immutable: shared


def credit(f: Finding) -> Fraction | None:
    """0..1 credit of one finding, or None when it does not count (info, error, n/a).

    "Unknown" is 0: a measure nobody can vouch for is not counted as in place.
    """
    return _credit(f, is_unknown(f))


def _credit(f: Finding, unknown: bool) -> Fraction | None:
    """credit(f), with is_unknown(f) already known."""
    if unknown:
        return _ZERO
    if is_not_applicable(f):
        return None
    if f.status is Status.PASS:
        return _ONE
    if f.status is Status.FAIL:
        return _ZERO
    if f.status is Status.WARN:
        partial = f.evidence.get("score")
        if isinstance(partial, (int, float)) and not isinstance(partial, bool) and 0 < partial < 1:
            return Fraction(str(partial))
        return WARN_CREDIT
    return None


def matches(fid: str, patterns: Iterable[str]) -> bool:
    return _matches(fid, tuple(patterns))


@functools.lru_cache(maxsize=65536)
def _matches(fid: str, patterns: tuple[str, ...]) -> bool:  # a territory scores the same IDs a thousand times
    return any(fid == p or fnmatch.fnmatchcase(fid, p) for p in patterns)


def _gate(r_ess: Fraction | None, r_rec: Fraction | None) -> Fraction | None:
    if r_ess is None:
        return r_rec
    if r_rec is None:
        return r_ess
    return (ESSENTIAL_BASE + RECOMMENDED_SHARE * r_rec) * r_ess


def grade_for(score: float | None) -> str | None:
    if score is None:
        return None
    return next(g for floor, g in GRADE_BANDS if score >= floor)


def _worse(a: str, b: str) -> str:
    return a if GRADES.index(a) >= GRADES.index(b) else b


def _coverage_meta(meta: dict[str, Any]) -> tuple[dict[str, str], list[str], dict[str, int]]:
    """(unanswered question -> theme, probe families not run, family -> number of its checks)."""
    cov = meta.get("coverage") or {}
    unanswered = cov.get("unanswered") or {}
    if isinstance(unanswered, list):
        unanswered = {q: PREFIX_THEME.get(q.split(".", 1)[0], "governance") for q in unanswered}
    not_scanned = sorted(str(x) for x in cov.get("not_scanned") or [])
    points = cov.get("not_scanned_points") or {}
    sizes = {fam: max(1, int(points.get(fam, 1))) for fam in not_scanned}
    return {str(k): str(v) for k, v in unanswered.items()}, not_scanned, sizes


# --------------------------------------------------------------------------- scoring

_STATUS_COUNT = {Status.ERROR: "errors", Status.PASS: "passed", Status.WARN: "warned", Status.FAIL: "failed"}


def score(assessment: Assessment, profile: Any) -> Score:
    """Score an assessment for a profile (duck-typed: `.theme_weights` dict, `.essential` list of IDs/globs)."""
    weights = {k: Fraction(str(v)) for k, v in (getattr(profile, "theme_weights", None) or {}).items()}
    essential = list(getattr(profile, "essential", None) or [])
    essential_ids = tuple(essential)  # matches(fid, essential), without making the tuple again for each measure
    unanswered, not_scanned, family_points = _coverage_meta(assessment.meta)

    by_id: dict[str, list[Finding]] = {}
    for f in assessment.findings:
        by_id.setdefault(f.id, []).append(f)

    # measure id -> (theme, weight, credit, worst finding)
    measures: dict[str, tuple[str, Fraction, Fraction, Finding]] = {}
    tallies: dict[str, dict[str, int]] = {t: {} for t in THEMES}  # theme -> Counts field -> n (Counts at the end)
    errors, unknown = set(), set()
    theme_of_measure: dict[str, str] = {}  # a measure's theme: its first finding's
    for fid in sorted(by_id):
        group = by_id[fid]
        scored = []  # (credit, finding, unknown?, theme), each computed once per finding
        for f in group:
            unk, theme = is_unknown(f), theme_of(f)
            theme_of_measure.setdefault(fid, theme)
            tally = tallies.setdefault(theme, {})
            kind = "unknown" if unk else _STATUS_COUNT.get(f.status, "info")
            tally[kind] = tally.get(kind, 0) + 1
            cr = _credit(f, unk)
            if cr is not None:
                scored.append((cr, f, unk, theme))
        if scored:
            if len(scored) == 1:
                worst, worst_f, _, worst_theme = scored[0]
            else:
                worst = min(s[0] for s in scored)
                _, worst_f, _, worst_theme = max((s for s in scored if s[0] == worst),
                                                 key=lambda s: (SEVERITY_RANK[s[1].severity], not s[2],
                                                                s[1].target or ""))
            measures[fid] = (worst_theme, SEVERITY_WEIGHTS[worst_f.severity], worst, worst_f)
            if all(s[2] for s in scored):
                unknown.add(fid)  # counted as not in place, and not known either
        elif any(f.status is Status.ERROR for f in group):
            errors.add(fid)
    for theme in unanswered.values():
        tally = tallies.setdefault(theme if theme in THEMES else "governance", {})
        tally["unanswered"] = tally.get("unanswered", 0) + 1
    counts = {theme: Counts(**tally) for theme, tally in tallies.items()}
    in_theme: dict[str, tuple[list, list]] = {}  # theme -> (essential, other) (weight, credit) pairs
    for fid, (t, w, c, _) in measures.items():
        in_theme.setdefault(t, ([], []))[0 if _matches(fid, essential_ids) else 1].append((w, c))

    themes: list[ThemeScore] = []
    weighted: list[tuple[Fraction, Fraction]] = []
    all_ess: list[tuple[Fraction, Fraction]] = []
    for theme, title in THEMES.items():
        ess, rec = in_theme.get(theme, ([], []))
        all_ess.extend(ess)
        r_ess, r_rec = _ratio(ess), _ratio(rec)
        value = _gate(r_ess, r_rec)
        tw = weights.get(theme, Fraction(1))
        if value is not None and tw > 0:
            weighted.append((tw, value))
        c = counts[theme]
        mine_unknown = {fid for fid in unknown if theme_of_measure[fid] == theme}
        known = len(ess) + len(rec) - len(mine_unknown)
        fams = [fam for fam in not_scanned if FAMILY_THEME.get(fam) == theme]
        missing = (c.unanswered + len(mine_unknown) + len({fid for fid in errors if theme_of_measure[fid] == theme})
                   + sum(family_points[fam] for fam in fams))
        themes.append(ThemeScore(
            theme=theme, title=title, weight=float(tw), score=_pct(value),
            essential_ratio=_share(r_ess), recommended_ratio=_share(r_rec),
            measures=len(ess) + len(rec), essential_measures=len(ess), counts=c,
            coverage=_share(Fraction(known, known + missing)) if known + missing else None,
            not_scanned=fams, unknown_measures=len(mine_unknown),
        ))

    # Nothing answered and nothing scanned (register findings alone, or nothing at all): no grade.
    assessed = any(f.source != "register" for _, _, _, f in measures.values())
    overall = _ratio(weighted) if assessed else None
    value = _pct(overall)
    band = grade_for(value)
    caps = _caps(measures, essential)
    grade = band
    if assessed:
        for cap in caps:  # a cap applies even when no weighted theme has a score
            grade = cap.max_grade if grade is None else _worse(grade, cap.max_grade)
    known = len(measures) - len(unknown)
    points = sum(family_points.values())
    total = known + len(errors) + len(unknown) + len(unanswered) + points
    cov_ratio = Fraction(known, total) if total else None
    coverage = Coverage(known=known, errors=sorted(errors), unknown=sorted(unknown),
                        unanswered=sorted(unanswered), not_scanned=not_scanned, not_scanned_points=points,
                        unknown_essential=sorted(fid for fid in unknown if _matches(fid, essential_ids)),
                        ratio=_share(cov_ratio))
    provisional = grade is not None and (cov_ratio is None or cov_ratio < PROVISIONAL_BELOW)
    months = NOT_ASSESSED_MONTHS if grade is None else REASSESS_MONTHS[grade]
    if provisional:
        months = min(months, LOW_COVERAGE_MONTHS)
    when = assessment.generated_at.date() if assessment.generated_at else None
    binding = caps[0] if caps and (band is None or GRADES.index(caps[0].max_grade) > GRADES.index(band)) else None
    return Score(score=value, grade=grade, provisional=provisional, band_grade=band, cap=binding, caps=caps,
                 themes=themes, essential_ratio=_share(_ratio(all_ess)), coverage=coverage,
                 reassess_months=months, reassess_by=add_months(when, months) if when else None)


def _caps(measures: dict[str, tuple[str, Fraction, Fraction, Finding]], essential: list[str]) -> list[CapInfo]:
    """Every cap that applies, strictest first; each names the most severe failure that triggered it."""
    out: list[CapInfo] = []
    for rule in CAPS:
        hits = [f for fid, (_, _, c, f) in measures.items()
                if c == 0 and (f.status is Status.FAIL or is_unknown(f))
                and SEVERITY_RANK[f.severity] >= SEVERITY_RANK[rule.min_severity]
                and (not rule.essential_only or matches(fid, essential))]
        if not hits:
            continue
        f = min(hits, key=lambda f: (-SEVERITY_RANK[f.severity], is_unknown(f), f.id, f.target or ""))
        out.append(CapInfo(rule=rule.id, max_grade=rule.max_grade, label=rule.label, finding_id=f.id,
                           target=f.target, title=f.title, severity=f.severity, unknown=is_unknown(f)))
    return sorted(out, key=lambda c: (-GRADES.index(c.max_grade), c.rule))


def rules() -> dict[str, Any]:
    """The scoring parameters as plain data (for the report's annex and the JSON output)."""
    return {
        "severity_weights": {s.value: float(w) for s, w in SEVERITY_WEIGHTS.items()},
        "gate": {"essential_base": float(ESSENTIAL_BASE), "recommended_share": float(RECOMMENDED_SHARE)},
        "warn_credit": float(WARN_CREDIT),
        "grade_bands": [{"min": floor, "grade": g} for floor, g in GRADE_BANDS],
        "caps": [{"id": c.id, "max_grade": c.max_grade, "min_severity": c.min_severity.value,
                  "essential_only": c.essential_only, "label": c.label.model_dump()} for c in CAPS],
        "reassess_months": dict(REASSESS_MONTHS),
        "low_coverage": {"below": float(LOW_COVERAGE), "months": LOW_COVERAGE_MONTHS},
        "provisional_below": float(PROVISIONAL_BELOW),
        "unknown_credit": 0.0,
    }
