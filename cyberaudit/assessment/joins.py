"""Joins between probe findings and interview answers (the evidence a scanner alone cannot see).

A question declares the probe finding IDs it speaks about:

    confirms: [mfa.surface.vpn]   # "MFA enforced on the VPN?"
    refutes:  [...]               # a question whose claim the probe finding contradicts

`apply(findings, answers, content)` then changes matching probe findings whose status is `warn`
(or `fail` with evidence `"confirmable": true`, a probe's "fail unless the interview confirms"):

- confirms: a full-score answer turns it into `pass`, a zero-score answer into `fail`;
  partial or unknown leaves it as it is;
- refutes: any definite answer (not unknown / not applicable) turns it into `fail`.
"Not applicable" answers are ignored; "unknown" ones are recorded as evidence without changing the status.

Both pieces of evidence are kept: the probe's evidence stays, and `evidence["interview"]` records the
question, the answer, who and when. Interview findings of those questions get `evidence["probe"]`
listing the probe findings they were joined with. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import Answer, Finding, Status, Text


def index(content) -> dict[str, list[tuple[Any, str]]]:
    """probe finding ID -> [(question, "confirms" | "refutes")], in interview order."""
    out: dict[str, list[tuple[Any, str]]] = {}
    for q in content.questions.values():
        for fid in q.confirms:
            out.setdefault(fid, []).append((q, "confirms"))
        for fid in q.refutes:
            out.setdefault(fid, []).append((q, "refutes"))
    return out


def _verdict(q, relation: str, answer: Answer) -> tuple[Status | None, Any]:
    try:
        value = q.parse_value(answer.value)
    except ValueError:
        return None, None
    if value == "na":
        return None, None
    if value == "unknown":
        return None, value
    if relation == "refutes":
        return Status.FAIL, value
    score = q.score_of(value, answer.at.date() if answer.at else None)
    if score is not None and score >= 1.0:
        return Status.PASS, value
    if score is not None and score <= 0.0:
        return Status.FAIL, value
    return None, value


def _joinable(f: Finding) -> bool:
    if f.source != "probe":
        return False
    return f.status is Status.WARN or (f.status is Status.FAIL and f.evidence.get("confirmable") is True)


def apply(findings: list[Finding], answers: Mapping[str, Answer], content, *,
          applicable_ids: set[str] | None = None) -> list[Finding]:
    """Probe findings adjusted by the interview answers that confirm or refute them.

    `applicable_ids`, when given, limits the answers used to questions that currently apply.
    """
    links = index(content)
    probe_hits: dict[str, list[dict]] = {}
    out: list[Finding] = []
    for f in findings:
        pairs = links.get(f.id)
        if not pairs or not _joinable(f):
            out.append(f)
            continue
        verdicts = []
        used = []
        for q, relation in pairs:
            answer = answers.get(q.id)
            if answer is None or (applicable_ids is not None and q.id not in applicable_ids):
                continue
            status, value = _verdict(q, relation, answer)
            if value is None:
                continue
            used.append((q, relation, answer, value, status))
            if status is not None:
                verdicts.append(status)
            probe_hits.setdefault(q.id, []).append(
                {"id": f.id, "target": f.target, "status": f.status.value, "relation": relation})
        if not used:
            out.append(f)
            continue
        new_status = f.status
        if Status.FAIL in verdicts:
            new_status = Status.FAIL
        elif verdicts and all(v is Status.PASS for v in verdicts):
            new_status = Status.PASS
        q, relation, answer, value, _ = used[0]
        evidence = dict(f.evidence)
        evidence["interview"] = {
            k: v for k, v in {
                "question": q.id, "relation": relation, "answer": str(value), "note": answer.note,
                "by": answer.by, "at": answer.at.isoformat() if answer.at else None,
                "probe_status": f.status.value,
            }.items() if v is not None
        }
        label = q.label_of(value)
        extra = Text(fr=f"Entretien : « {q.text.fr} » — {label.fr}.",
                     en=f"Interview: “{q.text.en}” — {label.en}.")
        detail = extra if f.detail is None else Text(fr=f"{f.detail.fr} {extra.fr}", en=f"{f.detail.en} {extra.en}")
        out.append(f.model_copy(update={"status": new_status, "evidence": evidence, "detail": detail}))
    if probe_hits:
        out = [
            f.model_copy(update={"evidence": {**f.evidence, "probe": probe_hits[f.id]}})
            if f.source == "interview" and f.id in probe_hits else f
            for f in out
        ]
    return out
