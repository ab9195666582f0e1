"""Only what the barometer reads of an assessment.json, decoded fast (msgspec).

    data = lite_assessment(body)   # {"schema", "answers", "organisation", "findings": [{id, status, ...}]} or None

A real assessment.json weighs 150-220 KB, mostly texts (titles, explanations, remediations) the
indicators never read. msgspec skips them in C; a file of another shape goes through the standard
json module (the careful path, same result). Hostile or odd content is data: a value of an unexpected type stays as it is, and
the judges treat it as unknown.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec

FINDING_KEYS = ("id", "target", "status", "severity", "source", "evidence")
FROM_CATALOGUE = ("severity", "source")  # what the judges read that a v2 finding may leave to its catalogue entry


def _hydrated(finding: dict[str, Any], catalogue: Any) -> dict[str, Any]:
    entry = catalogue.get(finding["id"]) if isinstance(catalogue, dict) and isinstance(finding["id"], str) else None
    if isinstance(entry, dict):
        for key in FROM_CATALOGUE:
            if finding[key] is None:
                finding[key] = entry.get(key)
    elif entry is not None and not isinstance(entry, (list, str, int, float, bool)):  # a decoded _Entry
        for key in FROM_CATALOGUE:
            if finding[key] is None:
                finding[key] = getattr(entry, key)
    return finding


class _Finding(msgspec.Struct):
    id: Any = None
    target: Any = None
    status: Any = None
    severity: Any = None
    source: Any = None
    evidence: Any = None


class _Entry(msgspec.Struct):  # of a catalogue entry, only what the judges read (texts skipped in C)
    severity: Any = None
    source: Any = None


class _Lite(msgspec.Struct):
    schema: Any = None
    answers: Any = None
    organisation: Any = None
    findings: list[_Finding] = []
    catalogue: dict[str, _Entry] | None = None  # assessment v2: each check's metadata once (catalogue.py)


_DECODER: Any = msgspec.json.Decoder(_Lite)


def slim(data: dict[str, Any]) -> dict[str, Any]:
    """The same parts, from an assessment already loaded as plain data."""
    raw, catalogue = data.get("findings"), data.get("catalogue")
    findings = [_hydrated({k: f.get(k) for k in FINDING_KEYS}, catalogue) for f in (raw if isinstance(raw, list) else [])
                if isinstance(f, dict)]
    return {"schema": data.get("schema"), "answers": data.get("answers"), "organisation": data.get("organisation"),
            "findings": findings}


def _slow(body: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return slim(data) if isinstance(data, dict) else None


def lite_assessment(body: bytes) -> dict[str, Any] | None:
    """The parts of an assessment the indicators read, as plain data; None when it is not JSON."""
    try:
        lite = _DECODER.decode(body)
    except (msgspec.DecodeError, RecursionError):
        return _slow(body)  # not the expected shape (or not JSON): the careful path decides
    findings = [_hydrated({k: getattr(f, k) for k in FINDING_KEYS}, lite.catalogue) for f in lite.findings]
    return {"schema": lite.schema, "answers": lite.answers, "organisation": lite.organisation, "findings": findings}
