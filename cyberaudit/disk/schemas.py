"""JSON Schemas of every file kind, versioned as `cyberaudit/<kind>/v1`."""

from __future__ import annotations

import importlib

VERSION = "v1"
# kind -> "module:Model"; later modules add their own entries here.
MODELS: dict[str, str] = {
    "organisation": "cyberaudit.model:Organisation",
    "finding": "cyberaudit.model:Finding",
    "answer": "cyberaudit.model:Answer",
    "answers": "cyberaudit.interview.answers:AnswersFile",
    "scan": "cyberaudit.model:ScanResult",
    "assessment": "cyberaudit.model:Assessment",
    "activity": "cyberaudit.register.model:Activity",
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
    schema["$id"] = f"https://cyberaudit.invalid/schemas/{kind}/{VERSION}.json"
    schema["title"] = f"cyberaudit/{kind}/{VERSION}"
    return schema


def all_schemas() -> dict[str, dict]:
    out = {}
    for kind in MODELS:
        s = schema_for(kind)
        if s is not None:
            out[kind] = s
    return out
