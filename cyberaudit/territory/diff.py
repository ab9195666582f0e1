"""`cyberaudit diff [OLD] [NEW]`: what changed between two assessments.

Each side is an assessment file, a workspace folder, or a git revision of the workspace
(`HEAD~1`, a tag, a commit), read with `git cat-file blob REV:./assessment.json` (an
argument list, never a shell). Defaults: OLD = HEAD, NEW = the working tree.

Findings are matched by (ID, target) and sorted into: fixed, new, worse, improved and
no longer tested; the score, the grade and each theme score are compared too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..disk.workspace import ASSESSMENT
from ..errors import InputError
from ..i18n import t
from ..model import SEVERITY_RANK, Assessment, Finding, Status

SCHEMA = "cyberaudit/diff/v1"
CATEGORIES = ("fixed", "new", "worse", "improved", "untested")


def _validate_bytes(raw: bytes, label: str) -> Assessment:
    from ..disk.fileio import validate

    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(t(f"JSON invalide : {exc}", f"invalid JSON: {exc}"), file=label) from None
    return validate(Assessment, data, label)


def load_side(spec: str | None, workspace: Path) -> tuple[str, Assessment]:
    """(label, assessment) for a file, a workspace folder, a git revision, or None (the working tree)."""
    from ..disk.fileio import load_json, validate
    from .gitio import is_repository, show_file

    if spec is None:
        path = workspace / ASSESSMENT
        return str(path), validate(Assessment, load_json(path), str(path))
    candidate = Path(spec)
    if candidate.is_dir():
        candidate = candidate / ASSESSMENT
    if candidate.is_file():
        return str(candidate), validate(Assessment, load_json(candidate), str(candidate))
    if not is_repository(workspace):
        raise InputError(t(f"ni fichier ni révision git : {spec!r} ({workspace} n'est pas dans un dépôt git)",
                           f"neither a file nor a git revision: {spec!r} ({workspace} is not in a git repository)"))
    label = f"{spec}:{ASSESSMENT}"
    return label, _validate_bytes(show_file(workspace, spec, ASSESSMENT), label)


def _level(f: Finding) -> int | None:
    """0 = fine, 1 = warning, 2 = failure, None = not known (could not test, 'unknown' answer)."""
    if f.status is Status.ERROR or f.evidence.get("answer") in ("unknown", "na"):
        return None
    return {Status.PASS: 0, Status.INFO: 0, Status.WARN: 1, Status.FAIL: 2}[f.status]


def _state(f: Finding | None) -> str | None:
    if f is None:
        return None
    if f.evidence.get("answer") == "unknown":
        return "unknown"
    return f.status.value


def classify(old: Finding | None, new: Finding | None) -> str | None:
    a = None if old is None else _level(old)
    b = None if new is None else _level(new)
    if b is None:
        return "untested" if a else None
    if a is None:
        return "new" if b else None
    if a and not b:
        return "fixed"
    if b > a or (a == b == 2 and SEVERITY_RANK[new.severity] > SEVERITY_RANK[old.severity]):
        return "new" if a == 0 else "worse"
    if b < a:
        return "improved"
    return None


def _score(assessment: Assessment):
    from ..assessment.scoring import score
    from .members import _Profiles

    try:
        return score(assessment, _Profiles().get(assessment.organisation.kind))
    except Exception:  # scoring trouble must not hide the finding changes
        return None


def compare(old: Assessment, new: Assessment, old_label: str = "old", new_label: str = "new") -> dict[str, Any]:
    """The differences between two assessments, as plain JSON-ready data (sorted, deterministic)."""
    before = {f.key: f for f in old.findings}
    after = {f.key: f for f in new.findings}
    out: dict[str, list[dict[str, Any]]] = {c: [] for c in CATEGORIES}
    for key in sorted(set(before) | set(after)):
        o, n = before.get(key), after.get(key)
        category = classify(o, n)
        if category is None:
            continue
        ref = n or o
        out[category].append({"id": ref.id, "target": ref.target, "title": ref.title.model_dump(),
                              "severity": ref.severity.value, "old": _state(o), "new": _state(n),
                              "old_severity": o.severity.value if o else None})
    for items in out.values():
        items.sort(key=lambda r: (-SEVERITY_RANK[r["severity"]], r["id"], r["target"] or ""))
    s_old, s_new = _score(old), _score(new)
    themes = []
    if s_old and s_new:
        before_t = {ts.theme: ts for ts in s_old.themes}
        for ts in s_new.themes:
            prev = before_t.get(ts.theme)
            a, b = (prev.score if prev else None), ts.score
            if a != b:
                themes.append({"theme": ts.theme, "title": ts.title.model_dump(), "old": a, "new": b,
                               "delta": None if a is None or b is None else round(b - a, 1)})

    def side(label: str, a: Assessment, s) -> dict[str, Any]:
        return {"label": label, "generated_at": a.generated_at.isoformat() if a.generated_at else None,
                "organisation": a.organisation.name, "siren": a.organisation.siren,
                "score": getattr(s, "score", None), "grade": getattr(s, "grade", None)}

    o_side, n_side = side(old_label, old, s_old), side(new_label, new, s_new)
    delta = None
    if o_side["score"] is not None and n_side["score"] is not None:
        delta = round(n_side["score"] - o_side["score"], 1)
    return {"schema": SCHEMA, "before": o_side, "after": n_side, "score_delta": delta,
            "grade_changed": o_side["grade"] != n_side["grade"], "themes": themes, **out,
            "counts": {c: len(out[c]) for c in CATEGORIES}}


def regressions_at_or_above(diff: dict[str, Any], floor: str) -> list[dict[str, Any]]:
    from ..model import Severity

    rank = SEVERITY_RANK[Severity(floor)]
    return [r for c in ("new", "worse") for r in diff[c] if SEVERITY_RANK[Severity(r["severity"])] >= rank]
