"""JSON format (schema cyberaudit/report/v1): every score and finding, for other tools."""

from __future__ import annotations

from ..fileio import dumps_json
from ..model import Assessment
from ..scoring import Score, rules
from .view import Report

SCHEMA = "cyberaudit/report/v1"


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
        "findings": [f.model_dump(mode="json", exclude_none=True)
                     for f in sorted(assessment.findings, key=lambda f: (f.id, f.target or "", f.source))],
        "report": report.model_dump(mode="json", by_alias=True),
    }
    return dumps_json(data).encode("utf-8")
