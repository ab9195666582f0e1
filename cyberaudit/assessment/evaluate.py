"""Assemble an Assessment from a workspace, and keep its history.

    assessment = evaluate(ws, now=...)   # organisation, scan, interview, joins, register -> findings
    save_assessment(ws, assessment)      # assessment.json; the previous one goes to history/<date>.json

Every source is optional: a workspace with no scan yet, no answers or no register still
evaluates, and what is missing shows as coverage in the report (never as a zero).
`meta` carries what scoring and the report need beyond findings: unanswered questions,
probe families not run, the probe scope and authorisations, the register summary.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .. import __version__
from ..checks import known_ids
from ..content.loader import load_content
from ..disk.fileio import load_json, validate, write_json
from ..disk.workspace import ASSESSMENT, HISTORY_DIR, LATEST_SCAN, Workspace
from ..errors import InputError
from ..i18n import t
from ..interview import answers as stored_answers
from ..interview import engine as interview
from ..model import Answer, Assessment, Finding, ScanResult
from ..records import rules as records
from ..register import rules as register_rules
from ..register import store as register_store
from . import joins


def load_scan(ws: Workspace) -> ScanResult | None:
    path = ws.path(LATEST_SCAN)
    data = load_json(path, missing_ok=True)
    return None if data is None else validate(ScanResult, data, str(path))


def _answers(ws: Workspace) -> dict[str, Any]:
    return dict(stored_answers.load(ws) or {})


def _answer_models(answers: dict[str, Any]) -> dict[str, Answer]:
    out = {}
    for qid, a in sorted(answers.items()):
        if isinstance(a, Answer):
            out[qid] = a
        elif isinstance(a, dict):
            out[qid] = Answer.model_validate(a)
        else:
            out[qid] = Answer(value=a)
    return out


def _scope(org) -> list[dict[str, Any]]:
    rows = []
    for kind, assets in (("domain", org.inventory.domains), ("mail_domain", org.inventory.mail_domains),
                         ("host", org.inventory.hosts)):
        for a in assets:
            rows.append({"name": a.name, "kind": kind, "scope": list(a.scope), "authorization": a.authorization,
                         "web_names": list(a.web_names)})
    return rows


def _family_sizes(families: list[str]) -> dict[str, int]:
    """How many checks each probe family holds: a family not run leaves that many points unknown."""
    from ..checks import load_all

    sizes: dict[str, int] = {}
    for info in load_all().values():
        if info.family in families:
            sizes[info.family] = sizes.get(info.family, 0) + 1
    return {fam: sizes.get(fam, 1) for fam in families}


def _dedup(findings: list[Finding]) -> list[Finding]:
    """One finding per (ID, target): the last source wins (joins refine earlier findings)."""
    by_key: dict[tuple[str, str], Finding] = {}
    for f in findings:
        by_key[f.key] = f
    return [by_key[k] for k in sorted(by_key)]


def evaluate(ws: Workspace | str | Path, *, now: dt.datetime | None = None, content: Any = None) -> Assessment:
    """Build the Assessment of a workspace (pure apart from reading its files).

    `content` defaults to the shipped checklists (`cyberaudit.content.loader.load_content()`).
    """
    from ..probes import FAMILIES

    ws = ws if isinstance(ws, Workspace) else Workspace(ws)
    org = ws.load_organisation()
    now = now or dt.datetime.now(dt.UTC).replace(microsecond=0)

    scan = load_scan(ws)
    probe_findings = scan.findings() if scan else []
    for f in probe_findings:
        f.source = "probe"

    answers = _answers(ws)
    interview_findings: list[Finding] = []
    unanswered_q: dict[str, str] = {}
    if content is None:
        content = load_content()
    profile = content.profile(org.kind)
    asked = interview.applicable(content, profile, answers, org.population)
    applicable_ids = {q.id for q in asked}
    unanswered_q = {q.id: q.theme for q in asked if not interview.is_answered(q, answers)}
    interview_findings = list(interview.findings(content, profile, answers, population=org.population,
                                                 today=now.date()))

    findings = [*probe_findings, *interview_findings]
    # breach and request logs, before the joins that confront them with the interview
    nis2 = getattr(getattr(getattr(profile, "facts", None), "nis2", None), "status", None)
    found, records_meta = records.assess(ws, org, now=now, nis2_status=nis2)
    findings.extend(found)
    records_meta["available"] = True
    findings = list(joins.apply(findings, answers, content, applicable_ids=applicable_ids))

    activities = list(register_store.load_all(ws))
    register_meta: dict[str, Any] = {"available": True, "activities": sorted(
        ({"id": str(getattr(a, "id", "")), "name": str(getattr(a, "name", "")),
          "status": str(getattr(a, "status", "") or "")} for a in activities),
        key=lambda r: r["id"])}
    findings.extend(register_rules.check(activities, org, today=now.date(), probe_findings=probe_findings,
                                         evidence_findings=list(findings), known_ids=known_ids(content)))

    for f in findings:
        if f.theme is None:
            from .scoring import theme_of

            f.theme = theme_of(f)
    ran = set(scan.checks) if scan else set()
    not_run = [f for f in FAMILIES if f not in ran]
    meta = {
        "profile": org.kind,
        "coverage": {"unanswered": dict(sorted(unanswered_q.items())), "not_scanned": not_run,
                     "not_scanned_points": _family_sizes(not_run)},
        "scan": None if scan is None else {
            "started_at": scan.started_at.isoformat() if scan.started_at else None,
            "checks": list(scan.checks), "tool_version": scan.tool_version,
            "recorded": bool(scan.options.get("recorded")),
        },
        "scope": _scope(org),
        "register": register_meta,
        "records": records_meta,
    }
    return Assessment(tool_version=__version__, generated_at=now, organisation=org, findings=_dedup(findings),
                      answers=_answer_models(answers), meta=meta)


# --------------------------------------------------------------------------- saving and history


def load_assessment(path: Path) -> Assessment:
    return validate(Assessment, load_json(path), str(path))


def _same(a: Assessment, b: Assessment) -> bool:
    return a.model_copy(update={"generated_at": None, "tool_version": ""}) == \
        b.model_copy(update={"generated_at": None, "tool_version": ""})


def save_assessment(ws: Workspace, assessment: Assessment) -> Path:
    """Write assessment.json; if it changed, keep the previous one as history/<date>.json.

    When nothing changed but the date, the file is left as it is (same bytes, same date).
    """
    record_assessment(ws, assessment)
    return ws.path(ASSESSMENT)


def record_assessment(ws: Workspace, assessment: Assessment) -> Assessment:
    """Save as `save_assessment` does and return the assessment now on disk: the previous one
    when nothing but the date changed (so reports made from it carry the saved date)."""
    path = ws.path(ASSESSMENT)
    with ws.lock():
        previous = None
        if path.exists():
            try:
                previous = load_assessment(path)
            except InputError:  # unreadable: kept aside as it is, never silently lost
                _keep_unreadable(ws, path)
        if previous is not None:
            if _same(previous, assessment):
                return previous
            _archive(ws, previous)
        write_json(path, assessment)
    return assessment


def _keep_unreadable(ws: Workspace, path: Path) -> Path:
    from ..disk.fileio import atomic_write

    folder = ws.path(HISTORY_DIR)
    n = 1
    while (folder / f"unreadable-{n}.json").exists():
        n += 1
    target = folder / f"unreadable-{n}.json"
    atomic_write(target, path.read_bytes())
    return target


def _archive(ws: Workspace, previous: Assessment) -> Path:
    day = (previous.generated_at or dt.datetime(1970, 1, 1)).date().isoformat()
    folder = ws.path(HISTORY_DIR)
    for n in range(1, 1000):
        target = folder / (f"{day}.json" if n == 1 else f"{day}-{n}.json")
        if not target.exists():
            write_json(target, previous)
            return target
        try:
            if _same(load_assessment(target), previous):
                return target
        except InputError:
            continue
    raise InputError(t("trop d'évaluations archivées pour ce jour", "too many archived assessments for that day"),
                     file=str(folder))


def previous_assessment(ws: Workspace, current: Assessment | None = None) -> Assessment | None:
    """The most recent archived assessment older than `current` (for "evolution since last time")."""
    folder = ws.path(HISTORY_DIR)
    if not folder.is_dir():
        return None
    best = None
    for path in sorted(folder.glob("*.json")):
        try:
            a = load_assessment(path)
        except InputError:
            continue
        if current is not None and current.generated_at and a.generated_at and a.generated_at >= current.generated_at:
            continue
        if current is not None and _same(a, current):
            continue
        key = (a.generated_at or dt.datetime.min.replace(tzinfo=dt.UTC), path.name)
        if best is None or key > best[0]:
            best = (key, a)
    return best[1] if best else None
