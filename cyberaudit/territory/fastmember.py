"""A member's committed assessment.json checked and read without building its pydantic model.

    read = fast_assessment(body)   # (lite data, Scored) or None: then the model decides (members._assessment)

The barometer scores a thousand 290 KB assessments; validating each one with the `Assessment`
model (300 findings, each with its texts) cost more than everything else. Here msgspec checks, in
C, that the file has the usual shape (assessment v2 with its catalogue) with types *at least as
strict* as the model's, field by field (model.Finding, model.Text, the catalogue's hydration of
catalogue.hydrate); the parts with validators of their own (organisation, answers, generation
date) go through the model's own pydantic types. Anything else (an unknown key, a null where the
model needs a value, a value of another type, a file msgspec cannot read) returns None, and the
full model decides, with its error naming file and line: a file accepted here is one the model
accepts, and the score is computed by the same `scoring.score` on the same values
(tests/unit/test_fast_member.py compares both on every kind of file).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any, Literal

import msgspec
from msgspec import UNSET, UnsetType

from ..model import FINDING_ID, REF, Severity, Status

Statuses = Literal["pass", "fail", "warn", "info", "error"]
Severities = Literal["critical", "high", "medium", "low", "info"]
Sources = Literal["probe", "interview", "register", "records"]
Efforts = Literal["low", "medium", "high"]
Owners = Literal["dpo", "it_provider", "elected", "agent"]


class _Text(msgspec.Struct, forbid_unknown_fields=True):
    fr: str
    en: str


class _Entry(msgspec.Struct, forbid_unknown_fields=True):  # catalogue.CATALOGUE_FIELDS
    title: _Text | None | UnsetType = UNSET
    explanation: _Text | None | UnsetType = UNSET
    remediation: _Text | None | UnsetType = UNSET
    references: list[str] | None | UnsetType = UNSET
    effort: Efforts | None | UnsetType = UNSET
    owner: Owners | None | UnsetType = UNSET
    theme: str | None | UnsetType = UNSET
    source: Sources | None | UnsetType = UNSET
    severity: Severities | None | UnsetType = UNSET


class _Finding(msgspec.Struct, forbid_unknown_fields=True):  # model.Finding, each field possibly left out
    id: str | None | UnsetType = UNSET
    status: Statuses | None | UnsetType = UNSET
    severity: Severities | None | UnsetType = UNSET
    title: _Text | None | UnsetType = UNSET
    explanation: _Text | None | UnsetType = UNSET
    detail: _Text | None | UnsetType = UNSET
    remediation: _Text | None | UnsetType = UNSET
    effort: Efforts | None | UnsetType = UNSET
    owner: Owners | None | UnsetType = UNSET
    evidence: dict[str, Any] | None | UnsetType = UNSET
    references: list[str] | None | UnsetType = UNSET
    target: str | None | UnsetType = UNSET
    source: Sources | None | UnsetType = UNSET
    theme: str | None | UnsetType = UNSET


class _Doc(msgspec.Struct, forbid_unknown_fields=True):  # model.Assessment as written (v2: with a catalogue)
    tool_version: str
    organisation: Any
    catalogue: dict[str, msgspec.Raw]  # each entry decoded as an _Entry (_catalogue)
    schema: Any = UNSET  # catalogue.opened relabels any document with a catalogue as v2
    generated_at: Any = None
    findings: list[_Finding] = []
    answers: Any = UNSET
    meta: dict[str, Any] = {}


_DOC = msgspec.json.Decoder(_Doc)
_ENTRY = msgspec.json.Decoder(_Entry)
_ENTRIES: dict[bytes, _Entry] = {}  # raw entry -> decoded: members assessed by one version share most entries
MAX_ENTRIES = 8192


def _catalogue(raw: dict[str, msgspec.Raw]) -> dict[str, _Entry]:
    """The catalogue's entries, each decoded once per process (the same bytes decode to the same entry;
    entries are never modified)."""
    if len(_ENTRIES) > MAX_ENTRIES:
        _ENTRIES.clear()
    out = {}
    for key, value in raw.items():
        body = bytes(value)
        entry = _ENTRIES.get(body)
        if entry is None:
            entry = _ENTRIES[body] = _ENTRY.decode(body)
        out[key] = entry
    return out


ABSENT = object()  # a key the hydrated finding does not have


class Scored:
    """What scoring.score and members read of an Assessment, with the model's values."""

    __slots__ = ("organisation", "findings", "answers", "meta", "generated_at")

    def __init__(self, organisation, findings, answers, meta, generated_at) -> None:
        self.organisation, self.findings, self.answers = organisation, findings, answers
        self.meta, self.generated_at = meta, generated_at


class ScoredFinding:
    __slots__ = ("id", "status", "severity", "_title", "evidence", "target", "source", "theme")

    def __init__(self, fid: str, status: Status, severity: Severity, title: _Text, evidence: dict[str, Any],
                 target: str | None, source: str, theme: str | None) -> None:
        self.id, self.status, self.severity, self._title = fid, status, severity, title
        self.evidence, self.target, self.source, self.theme = evidence, target, source, theme

    @property
    def title(self):  # read for a grade cap only
        from ..model import Text

        return Text(fr=self._title.fr, en=self._title.en)


class _Doubt(Exception):
    pass


@functools.cache
def _adapters():
    from pydantic import TypeAdapter

    from ..model import Answer

    return TypeAdapter(dict[str, Answer]), TypeAdapter(dt.datetime | None)


@functools.lru_cache(maxsize=65536)
def _id_ok(fid: str) -> bool:
    return bool(FINDING_ID.match(fid))


@functools.lru_cache(maxsize=65536)
def _ref_ok(ref: str) -> bool:
    return bool(REF.match(ref))


STATUS = {s.value: s for s in Status}
SEVERITY = {s.value: s for s in Severity}


def _hydrated(inline: Any, entry: _Entry | None, key: str) -> Any:
    """A catalogue field after catalogue.hydrate: ABSENT when the hydrated finding has no such key
    (the finding says null where its entry has the key, or neither gives a value)."""
    from_entry = UNSET if entry is None else getattr(entry, key)
    if inline is UNSET:
        return ABSENT if from_entry is UNSET or from_entry is None else from_entry
    if inline is None and from_entry is not UNSET:
        return ABSENT
    return inline


def _finding(f: _Finding, catalogue: dict[str, _Entry]) -> tuple[ScoredFinding, dict[str, Any]]:
    """The finding as model.Finding would hold it after hydration (or _Doubt), and its lite.slim row.
    The fields a null or a missing value cannot make invalid (explanation, detail, remediation, effort,
    owner: typed above) are not looked at again."""
    fid = f.id
    if type(fid) is not str or not _id_ok(fid):
        raise _Doubt("id")
    entry = catalogue.get(fid)
    status, evidence, target = f.status, f.evidence, f.target  # not catalogue fields: as written
    severity = _hydrated(f.severity, entry, "severity")
    title = _hydrated(f.title, entry, "title")
    if status is UNSET or status is None or severity is ABSENT or severity is None or title is ABSENT \
            or title is None:
        raise _Doubt("required")
    references = _hydrated(f.references, entry, "references")
    source = _hydrated(f.source, entry, "source")
    if evidence is None or references is None or source is None:
        raise _Doubt("null")
    if references is not ABSENT and not all(_ref_ok(r) for r in references):
        raise _Doubt("references")
    theme = _hydrated(f.theme, entry, "theme")
    target = None if target is UNSET else target
    scored = ScoredFinding(fid, STATUS[status], SEVERITY[severity], title, {} if evidence is UNSET else evidence,
                           target, "probe" if source is ABSENT else source, None if theme is ABSENT else theme)
    # lite.slim: the finding's own severity and source, else its entry's (None when neither says)
    lite_source = f.source
    if lite_source is UNSET or lite_source is None:
        lite_source = None if entry is None or entry.source is UNSET else entry.source
    return scored, {"id": fid, "target": target, "status": status, "severity": severity, "source": lite_source,
                    "evidence": None if evidence is UNSET else evidence}


def fast_assessment(body: bytes) -> tuple[dict[str, Any], Scored] | None:
    """(lite data, what scoring reads) of an assessment of the usual shape; None: let the model decide."""
    from ..model import Organisation

    try:
        doc = _DOC.decode(body)
        doc.catalogue = _catalogue(doc.catalogue)
        pairs = [_finding(f, doc.catalogue) for f in doc.findings]
        answers_of, when_of = _adapters()
        org = Organisation.model_validate(doc.organisation)
        answers_raw = {} if doc.answers is UNSET else doc.answers
        answers = answers_of.validate_python(answers_raw)
        generated_at = when_of.validate_python(doc.generated_at)
    except Exception:  # noqa: BLE001 - any doubt (odd shape, a value the model refuses...): the model decides
        return None
    lite = {"schema": None if doc.schema is UNSET else doc.schema,
            "answers": None if doc.answers is UNSET else doc.answers, "organisation": doc.organisation,
            "findings": [row for _, row in pairs]}
    return lite, Scored(org, [scored for scored, _ in pairs], answers, doc.meta, generated_at)
