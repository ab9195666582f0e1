"""JSON format (schema cyberaudit/report/v2): every score and finding, for other tools."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..assessment.scoring import Score, rules
from ..disk.fileio import dumps_json
from ..model import Assessment, Finding, Organisation
from .view import Report

SCHEMA = "cyberaudit/report/v2"


class ReportDocument(BaseModel):
    """Shape of the JSON report; `cyberaudit schema report` exports its JSON Schema."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: Literal["cyberaudit/report/v2"] = Field(default=SCHEMA, alias="schema")
    lang: str
    tool_version: str
    generated_at: str | None = None
    organisation: Organisation
    score: Score
    scoring_rules: Any
    findings: list[Finding]
    catalogue: dict[str, Any] = Field(default_factory=dict)  # check metadata once per ID (catalogue.py)
    report: Report


def render(report: Report, assessment: Assessment, result: Score) -> bytes:
    """The view-model (worded in the report's language) plus the raw, bilingual score and findings."""
    data = {
        "schema": SCHEMA,
        "lang": report.lang,
        "tool_version": assessment.tool_version,
        "generated_at": assessment.generated_at.isoformat() if assessment.generated_at else None,
        "organisation": assessment.organisation.model_dump(mode="json", by_alias=True, exclude_none=True),
        "score": result.model_dump(mode="json", by_alias=True),
        "scoring_rules": rules(),
        **_findings(assessment),
        "report": report.model_dump(mode="json", by_alias=True),
    }
    return dumps_json(data).encode("utf-8")


def _findings(assessment: Assessment) -> dict:
    """Raw findings, their check metadata once in `catalogue` (as in scan and assessment files)."""
    from .. import catalogue

    found, cat = catalogue.compacted([f.model_dump(mode="json", exclude_none=True) for f in
                                      sorted(assessment.findings, key=lambda f: (f.id, f.target or "", f.source))])
    return {"findings": found, "catalogue": cat}
