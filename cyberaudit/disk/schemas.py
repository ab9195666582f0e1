"""JSON Schemas of every file kind, versioned as `cyberaudit/<kind>/vN` (scan and assessment: v2)."""

from __future__ import annotations

import importlib

VERSION = "v1"
# kinds whose file format moved on (v2: findings share a check catalogue, see catalogue.py)
VERSIONS: dict[str, str] = {"scan": "v2", "assessment": "v2", "report": "v2"}
# kind -> "module:Model"; later modules add their own entries here.
MODELS: dict[str, str] = {
    "organisation": "cyberaudit.model:Organisation",
    "finding": "cyberaudit.model:Finding",
    "answer": "cyberaudit.model:Answer",
    "answers": "cyberaudit.interview.answers:AnswersFile",
    "scan": "cyberaudit.model:ScanResult",
    "assessment": "cyberaudit.model:Assessment",
    "activity": "cyberaudit.register.model:Activity",
    "breach": "cyberaudit.records.model:Breach",
    "request": "cyberaudit.records.model:Request",
    "report": "cyberaudit.report.json_out:ReportDocument",
    "score": "cyberaudit.assessment.scoring:Score",
}


def schema_for(kind: str) -> dict | None:
    module, _, attr = MODELS[kind].partition(":")
    try:
        model = getattr(importlib.import_module(module), attr)
    except (ModuleNotFoundError, AttributeError):
        return None
    schema = model.model_json_schema(by_alias=True)
    version = version_of(kind)
    if kind in VERSIONS:
        _with_catalogue(schema)
    schema["$id"] = f"https://cyberaudit.invalid/schemas/{kind}/{version}.json"
    schema["title"] = f"cyberaudit/{kind}/{version}"
    return schema


def version_of(kind: str) -> str:
    return VERSIONS.get(kind, VERSION)


def _with_catalogue(schema: dict) -> None:
    """The file form: findings may leave their check metadata to the document's `catalogue`."""
    from ..catalogue import CATALOGUE_FIELDS

    finding = schema["$defs"]["Finding"]
    finding["required"] = [r for r in finding.get("required", []) if r not in CATALOGUE_FIELDS]
    entry = {"type": "object", "additionalProperties": False,
             "properties": {k: v for k, v in finding["properties"].items() if k in CATALOGUE_FIELDS}}
    schema["properties"]["catalogue"] = {"type": "object", "additionalProperties": entry}


def all_schemas() -> dict[str, dict]:
    out = {}
    for kind in MODELS:
        s = schema_for(kind)
        if s is not None:
            out[kind] = s
    return out
