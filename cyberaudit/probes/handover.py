"""How a scan worker's results travel to the parent process: packed, a few targets per message.

    batch = Batch(send)          # in the worker: send(rows) puts one message on the queue
    batch.add(target_result)     # the pipeline's on_result; flushed every BATCH targets or BATCH_DELAY s
    batch.flush()                # at the end of the worker
    for tr in unpack(rows): ...  # in the parent: TargetResult objects again

A packed finding is its field dict with plain values: the check's own texts (title, explanation,
remediation, from REGISTRY) travel as a marker instead of a copy per finding, other texts as (fr, en),
enums as their values. The parent rebuilds the models without validation (the worker built and
validated them), sharing what every target repeats: the check's texts, identical details and one field
set. Pickling the pydantic models themselves was a tenth of a big scan's CPU, and a message per target
gave the parent its own copy of every repeated string (several targets per message share them, through
pickle's memo, without interning each one).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable

from ..checks import REGISTRY
from ..model import Finding, Severity, Status, TargetResult, Text

BATCH = 32  # targets per message at most
BATCH_DELAY = 0.2  # s: a result never waits longer than this for its message (progress stays live)
SHARED = 0  # in a packed finding: "this text is the check's own (REGISTRY), not a copy"
TEXTS = ("title", "explanation", "detail", "remediation")
ALL_FIELDS = set(Finding.model_fields)  # shared by the rebuilt findings that set every field (pydantic
# only ever adds a field name to this set, and every name is already in it)
_TEXT_FIELDS = {"fr", "en"}
_STATUS = {s.value: s for s in Status}  # a dict lookup instead of calling the Enum
_SEVERITY = {s.value: s for s in Severity}
_MAX_SHARED_TEXTS = 10_000


class Batch:
    """A worker's packed results, handed to `send` a few targets at a time."""

    def __init__(self, send: Callable[[list], None]) -> None:
        self.send = send
        self.rows: list = []
        self.timer: asyncio.TimerHandle | None = None

    def add(self, tr: TargetResult) -> None:
        self.rows.append(pack(tr))
        if len(self.rows) >= BATCH:
            self.flush()
        elif self.timer is None:
            self.timer = asyncio.get_running_loop().call_later(BATCH_DELAY, self.flush)

    def flush(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.rows:
            rows, self.rows = self.rows, []
            self.send(rows)


def pack(tr: TargetResult) -> tuple:
    """(target, [(finding fields, field set or None when every field is set)])."""
    rows = []
    for f in tr.findings:
        d = dict(f.__dict__)
        info = REGISTRY.get(d["id"])
        for name in TEXTS:
            text = d[name]
            if text is None:
                continue
            d[name] = SHARED if info is not None and text is getattr(info, name, None) else (text.fr, text.en)
        d["status"], d["severity"] = d["status"].value, d["severity"].value
        fields = None if f.__pydantic_fields_set__ == ALL_FIELDS else tuple(f.__pydantic_fields_set__)
        rows.append((d, fields))
    return tr.target, rows


def unpack(packed: list) -> list[TargetResult]:
    """The TargetResults of one message."""
    return [_target(target, rows) for target, rows in packed]


def _target(target: str, rows: list) -> TargetResult:
    intern = sys.intern
    findings = []
    for d, fields in rows:
        info = REGISTRY.get(d["id"])  # complete: pipeline.scan loads every check before forking the workers
        for name in TEXTS:
            text = d[name]
            if text is None:
                continue
            d[name] = getattr(info, name) if text == SHARED and info is not None else _text(text, target)
        d["status"], d["severity"] = _STATUS[d["status"]], _SEVERITY[d["severity"]]
        for key in ("id", "target", "theme", "owner", "effort", "source"):
            if type(d.get(key)) is str:
                d[key] = intern(d[key])
        findings.append(_model(Finding, d, ALL_FIELDS if fields is None else set(fields)))
    return _model(TargetResult, {"target": intern(target), "findings": findings}, {"target", "findings"})


def _model(cls, values: dict, fields: set):
    """An instance of a pydantic model from already validated values (what unpickling does)."""
    obj = cls.__new__(cls)
    obj.__setstate__({"__dict__": values, "__pydantic_fields_set__": fields, "__pydantic_extra__": None,
                      "__pydantic_private__": None})
    return obj


_shared_texts: dict[tuple[str, str], Text] = {}


def _text(pair, target: str) -> Text:
    """A Text; one object per distinct (fr, en) among the parent's findings when it does not name the
    target (those repeat from one target to the next: "transfert refusé par les serveurs joints")."""
    pair = tuple(pair)
    shared = target not in pair[0]
    text = _shared_texts.get(pair) if shared else None
    if text is None:
        text = _model(Text, {"fr": pair[0], "en": pair[1]}, _TEXT_FIELDS)
        if shared and len(_shared_texts) < _MAX_SHARED_TEXTS:
            _shared_texts[pair] = text
    return text
