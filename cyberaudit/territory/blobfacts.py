"""The facts of one past assessment blob for the trend, decoding only what the indicators read.

    facts = blob_facts(body, ids)   # judging.Facts, or None (not a readable, assessed assessment)

The trend judges every version of every member's assessment.json (1,000 members over 24 months:
some 4,500 blobs of 290 KB). Most of a blob is texts and findings the indicators never read, so
the answers and each finding's evidence are kept as raw JSON (msgspec.Raw: located, not decoded)
and only those the indicators read are decoded. The result is exactly that of the full path
(history._facts_full: lite_assessment, known, Facts.from_assessment): the same decoder for every
value read, the same rules; on anything unusual (a value msgspec refuses, an odd shape) the full
path decides.
"""

from __future__ import annotations

from typing import Any

import msgspec

from .judging import Facts, _wanted
from .lite import _Entry

NOT_KNOWN = (None, "", "unknown", "na")
STATUSES = ("pass", "warn", "fail")


class _Finding(msgspec.Struct):
    id: Any = None
    target: Any = None
    status: Any = None
    severity: Any = None
    source: Any = None
    evidence: msgspec.Raw = msgspec.Raw(b"null")


class _Blob(msgspec.Struct):
    schema: Any = None
    answers: dict[str, msgspec.Raw] | None = None  # not an object (rare, odd): the full path decides
    organisation: Any = None
    findings: list[_Finding] = []
    catalogue: dict[str, _Entry] | None = None


_BLOB = msgspec.json.Decoder(_Blob)
_ANY = msgspec.json.Decoder()


class Unusual(Exception):
    """The fast path cannot vouch for the result: the full path decides."""


def blob_facts(body: bytes, ids: frozenset[str], schemas: tuple[str, ...]) -> Facts | None:
    """Facts of an assessment blob; raises Unusual when the full path must decide."""
    try:
        return _facts(body, ids, schemas)
    except (msgspec.DecodeError, RecursionError, TypeError, ValueError) as exc:
        raise Unusual(str(exc)) from None


def _facts(body: bytes, ids: frozenset[str], schemas: tuple[str, ...]) -> Facts | None:
    blob = _BLOB.decode(body)
    raw_answers = blob.answers or {}
    if blob.schema not in schemas:
        return None
    catalogue = blob.catalogue
    answers: dict[str, Any] = {}
    known = False
    for qid, raw in raw_answers.items():
        if _wanted(qid, ids):
            a = _ANY.decode(raw)
            value = a.get("value") if isinstance(a, dict) else a
            answers[qid] = value
            known = known or value not in NOT_KNOWN
    if not known:  # as judging.known reads it: every answer in order, until one is known
        for raw in raw_answers.values():
            a = _ANY.decode(raw)
            if (a.get("value") if isinstance(a, dict) else a) not in NOT_KNOWN:
                known = True
                break
    org = blob.organisation
    dpo = org.get("dpo") if isinstance(org, dict) else None
    if not known and isinstance(dpo, dict) and any(dpo.get(k) for k in ("name", "email", "cnil_designation")):
        known = True
    findings: dict[str, list[dict[str, Any]]] = {}
    if not known:
        known = _known_findings(blob.findings, catalogue)
    if not known:
        return None
    for f in blob.findings:
        fid = f.id
        if type(fid) is str and _wanted(fid, ids):
            findings.setdefault(fid, []).append(_full(f, catalogue))
    return Facts(findings=findings, answers=answers,
                 organisation={"dpo": org.get("dpo") if isinstance(org, dict) else None})


def _hydrated(f: _Finding, catalogue: dict[str, _Entry] | None, key: str) -> Any:
    value = getattr(f, key)
    if value is None and catalogue is not None and type(f.id) is str:
        entry = catalogue.get(f.id)
        if entry is not None:
            return getattr(entry, key)
    return value


def _full(f: _Finding, catalogue: dict[str, _Entry] | None) -> dict[str, Any]:
    return {"id": f.id, "target": f.target, "status": f.status, "severity": _hydrated(f, catalogue, "severity"),
            "source": _hydrated(f, catalogue, "source"), "evidence": _ANY.decode(f.evidence)}


def _known_findings(found: list[_Finding], catalogue: dict[str, _Entry] | None) -> bool:
    """judging.known's findings part: a probe result, or a register result when the register exists."""
    no_register = any(f.id == "rgpd.register.missing" for f in found)
    for f in found:
        if f.status not in STATUSES:
            continue
        source = _hydrated(f, catalogue, "source")
        if source == "probe" or (source == "register" and not no_register):
            return True
    return False
