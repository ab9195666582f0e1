"""JSON Schemas of every file kind, versioned as `cyberaudit/<kind>/v1`."""

from __future__ import annotations

import importlib
from pathlib import Path

from ..errors import InputError
from ..i18n import t

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


def export_schemas(kind: str | None, output: Path | None) -> None:
    from ..cli import ui
    from .fileio import dumps_json, write_json

    if kind is not None and kind not in MODELS:
        raise InputError(t(f"schéma inconnu {kind!r} ; possibles : {', '.join(MODELS)}",
                           f"unknown schema {kind!r}; known: {', '.join(MODELS)}"))
    schemas = all_schemas()
    if kind is not None:
        if kind not in schemas:
            ui.not_built(f"schema {kind}")
        schemas = {kind: schemas[kind]}
    if output:
        for k, s in schemas.items():
            write_json(Path(output) / f"{k}.{VERSION}.schema.json", s)
        ui.err().print(t(f"{len(schemas)} schéma(s) écrit(s) dans {ui.safe(output)}",
                         f"{len(schemas)} schema(s) written to {ui.safe(output)}"))
    else:
        ui.out().file.write(dumps_json(schemas[kind] if kind else schemas))
