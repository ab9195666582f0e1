"""The JSON text of a scan result (`scans/latest.json`, `scan --format json`), one target at a time.

Workers may render a target's JSON in parallel (`prerender`); `json_chunks` then reuses that text,
so the whole document is never held twice in memory and the bytes equal `fileio.dumps_json`.
"""

from __future__ import annotations

from ..model import ScanResult

_RENDERED: dict[int, tuple[object, str]] = {}  # id(TargetResult) -> (that object, its JSON text)


def target_json(tr) -> str:
    """JSON text of one TargetResult, as `json_chunks` embeds it (before indentation)."""
    import json

    return json.dumps(tr.model_dump(mode="json", by_alias=True, exclude_none=True), sort_keys=True, indent=2,
                      ensure_ascii=False)


def prerender(tr, text: str) -> None:
    """Remember the JSON text of `tr` rendered elsewhere (a scan worker), for json_chunks."""
    _RENDERED[id(tr)] = (tr, text)


def json_chunks(result: ScanResult):
    """The exact text of `fileio.dumps_json(result)`, produced one target at a time (bounded memory)."""
    import json

    sentinel = "\x00results\x00"
    head = result.model_copy(update={"results": []}).model_dump(mode="json", by_alias=True, exclude_none=True)
    head["results"] = sentinel
    text = json.dumps(head, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    before, _, after = text.partition(json.dumps(sentinel))
    if not result.results:
        yield before + "[]" + after
        return
    yield before + "[\n"
    for i, tr in enumerate(result.results):
        pre = _RENDERED.pop(id(tr), None)
        body = pre[1] if pre is not None and pre[0] is tr else target_json(tr)
        yield ("    " if i == 0 else ",\n    ") + body.replace("\n", "\n    ")
    yield "\n  ]" + after
