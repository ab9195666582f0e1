"""The JSON text of a scan result (`scans/latest.json`, `scan --format json`), one target at a time.

The bytes equal `fileio.dumps_json(result)` (schema v2: findings share the document's check
catalogue), but only one target's JSON is held in memory at a time.
"""

from __future__ import annotations

import json

from .. import catalogue
from ..catalogue import CATALOGUE_FIELDS
from ..model import ScanResult
from .fileio import dumps_plain

SHARED_TEXTS = ("title", "explanation", "remediation")


def json_chunks(result: ScanResult):
    """The exact text of `fileio.dumps_json(result)`, produced one target at a time (bounded memory)."""
    firsts: dict[str, object] = {}  # the first finding of each ID gives its catalogue entry: dump only those
    for f in result.findings():
        firsts.setdefault(f.id, f)
    cat = catalogue.build(f.model_dump(mode="json", by_alias=True, exclude_none=True, include={"id", *CATALOGUE_FIELDS})
                          for f in firsts.values())
    sentinel = "\x00results\x00"
    head = result.model_copy(update={"results": []}).model_dump(mode="json", by_alias=True, exclude_none=True)
    head["catalogue"] = cat
    head["results"] = sentinel
    text = dumps_plain(head) + "\n"
    before, _, after = text.partition(json.dumps(sentinel))
    if not result.results:
        yield before + "[]" + after
        return
    yield before + "[\n"
    for i, tr in enumerate(result.results):
        # a check's texts are shared objects: where a finding holds the very object its catalogue entry
        # was dumped from, it is not dumped again only to be compared and dropped (half the time per target)
        same: dict[int, set[str]] = {}
        for j, f in enumerate(tr.findings):
            first = firsts[f.id]
            if first is not f:
                known = {n for n in SHARED_TEXTS if (v := getattr(f, n)) is not None and v is getattr(first, n)}
                if known:
                    same[j] = known
        data = tr.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"findings": same} if same else None)
        data = catalogue.compact_target(data, cat, same)
        yield ("    " if i == 0 else ",\n    ") + dumps_plain(data).replace("\n", "\n    ")
    yield "\n  ]" + after
