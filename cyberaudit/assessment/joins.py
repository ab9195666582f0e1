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
listing the probe findings they were joined with.

Findings of the DPO's logs (source "records": breach log, rights requests) are facts the organisation
keeps, so an answer never changes their status; the join says whether the answer agrees with them.
`confirms`: a full-score answer agrees with a passing records finding and is contradicted by a failing
one, a zero-score answer the other way round; `refutes` reads the finding the other way. The records
finding gets `evidence["interview"]` (with `agrees`), the interview finding `evidence["records"]`, and a
contradicted answer says so in its detail. Pure: no I/O.
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
    record_hits: dict[str, list[dict]] = {}
    for f in findings:
        pairs = links.get(f.id)
        if pairs and f.source == "records":
            out.append(_join_record(f, pairs, answers, applicable_ids, record_hits))
            continue
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
    if record_hits:
        out = [_contradicted(f, record_hits[f.id]) if f.source == "interview" and f.id in record_hits else f
               for f in out]
    return out


def _agrees(q, relation: str, answer: Answer, f: Finding) -> tuple[Any, bool | None]:
    """(parsed answer, whether it agrees with the records finding; None: neither)."""
    try:
        value = q.parse_value(answer.value)
    except ValueError:
        return None, None
    if value in ("na", "unknown") or f.status not in (Status.PASS, Status.FAIL):
        return value, None
    score = q.score_of(value, answer.at.date() if answer.at else None)
    if score is None or 0.0 < score < 1.0:
        return value, None
    favourable, passed = score >= 1.0, f.status is Status.PASS
    return value, (favourable == passed) if relation == "confirms" else (favourable != passed)


def _join_record(f: Finding, pairs, answers: Mapping[str, Answer], applicable_ids, hits) -> Finding:
    for q, relation in pairs:
        answer = answers.get(q.id)
        if answer is None or (applicable_ids is not None and q.id not in applicable_ids):
            continue
        value, agrees = _agrees(q, relation, answer, f)
        if value is None or value == "na":
            continue
        hits.setdefault(q.id, []).append({"id": f.id, "target": f.target, "status": f.status.value,
                                          "relation": relation, "agrees": agrees})
        label = q.label_of(value)
        extra = Text(fr=f"Entretien : « {q.text.fr} » — {label.fr}.", en=f"Interview: “{q.text.en}” — {label.en}.")
        if agrees is False:
            extra = Text(fr=extra.fr + " Cette réponse est contredite par ce fichier.",
                         en=extra.en + " This answer is contradicted by this file.")
        detail = extra if f.detail is None else Text(fr=f"{f.detail.fr} {extra.fr}", en=f"{f.detail.en} {extra.en}")
        interview = {"question": q.id, "relation": relation, "answer": str(value), "agrees": agrees,
                     "by": answer.by, "at": answer.at.isoformat() if answer.at else None}
        return f.model_copy(update={"detail": detail, "evidence": {
            **f.evidence, "interview": {k: v for k, v in interview.items() if v is not None}}})
    return f


def _contradicted(f: Finding, hits: list[dict]) -> Finding:
    update: dict[str, Any] = {"evidence": {**f.evidence, "records": hits}}
    against = [h for h in hits if h["agrees"] is False]
    if against:
        where = ", ".join(f"{h['id']}" + (f" ({h['target']})" if h["target"] else "") for h in against)
        extra = Text(fr=f"Réponse contredite par les registres du DPO : {where}.",
                     en=f"Answer contradicted by the DPO's logs: {where}.")
        update["detail"] = extra if f.detail is None else Text(fr=f"{f.detail.fr} {extra.fr}",
                                                               en=f"{f.detail.en} {extra.en}")
    return f.model_copy(update=update)
