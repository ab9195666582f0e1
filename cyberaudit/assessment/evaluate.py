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
import importlib
from pathlib import Path
from typing import Any

from .. import __version__
from ..disk.fileio import load_json, validate, write_json
from ..disk.workspace import ASSESSMENT, HISTORY_DIR, LATEST_SCAN, Workspace
from ..errors import InputError
from ..i18n import t
from ..model import Answer, Assessment, Finding, ScanResult


def _optional(module: str):
    """Import a module of another part of cyberaudit, or None while it is not built."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name) or exc.name == module:
            return None
        raise


def load_scan(ws: Workspace) -> ScanResult | None:
    path = ws.path(LATEST_SCAN)
    data = load_json(path, missing_ok=True)
    return None if data is None else validate(ScanResult, data, str(path))


def _answers(ws: Workspace) -> dict[str, Any]:
    mod = _optional("cyberaudit.interview.answers")
    if mod is None:
        return {}
    return dict(mod.load(ws) or {})


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


def _value(a: Any) -> Any:
    return a.value if isinstance(a, Answer) else (a.get("value") if isinstance(a, dict) else a)


def _applies(q, profile, answers: dict[str, Any], population: int | None) -> bool:
    if q.applies_to and profile.id not in q.applies_to:
        return False
    import fnmatch

    if any(fnmatch.fnmatchcase(q.id, p) for p in profile.skip):
        return False
    for cond in q.when:
        if cond.q is not None:
            if _value(answers.get(cond.q)) not in cond.in_:
                return False
        else:
            try:
                value = profile.fact_value(cond.fact, population)
            except AttributeError:
                return False
            if value not in cond.in_:
                return False
    return True


def unanswered(content, profile, answers: dict[str, Any], population: int | None) -> dict[str, str]:
    """Questions that apply to this organisation and have no answer yet: question ID -> theme."""
    banks = set(profile.banks)
    out = {}
    for qid, q in content.questions.items():
        if content.bank_of.get(qid) not in banks or not _applies(q, profile, answers, population):
            continue
        if _value(answers.get(qid)) is None:
            out[qid] = q.theme
    return dict(sorted(out.items()))


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
    missing: list[str] = []

    scan = load_scan(ws)
    probe_findings = scan.findings() if scan else []
    for f in probe_findings:
        f.source = "probe"

    answers = _answers(ws)
    interview_findings: list[Finding] = []
    unanswered_q: dict[str, str] = {}
    checklist, interview = _optional("cyberaudit.content.loader"), _optional("cyberaudit.interview.engine")
    profile = None
    if content is None and checklist is not None:
        content = checklist.load_content()
    applicable_ids: set[str] | None = None
    if content is not None:
        profile = content.profile(org.kind)
    else:
        missing.append("checklist")
    if interview is not None and content is not None:
        asked = interview.applicable(content, profile, answers, org.population)
        applicable_ids = {q.id for q in asked}
        unanswered_q = {q.id: q.theme for q in asked if not interview.is_answered(q, answers)}
        interview_findings = list(interview.findings(content, profile, answers, population=org.population,
                                                     today=now.date()))
    else:
        missing.append("interview")
        if content is not None:
            unanswered_q = unanswered(content, profile, answers, org.population)

    findings = [*probe_findings, *interview_findings]
    records_meta: dict[str, Any] = {"available": False}
    records = _optional("cyberaudit.records.rules")
    if records is not None:  # breach and request logs, before the joins that confront them with the interview
        nis2 = getattr(getattr(getattr(profile, "facts", None), "nis2", None), "status", None)
        found, records_meta = records.assess(ws, org, now=now, nis2_status=nis2)
        findings.extend(found)
        records_meta["available"] = True
    joins = _optional("cyberaudit.assessment.joins")
    if joins is not None and content is not None:
        findings = list(joins.apply(findings, answers, content, applicable_ids=applicable_ids))
    else:
        missing.append("joins")

    register_meta: dict[str, Any] = {"available": False, "activities": []}
    store, rules = _optional("cyberaudit.register.store"), _optional("cyberaudit.register.rules")
    if store is not None and rules is not None:
        activities = list(store.load_all(ws))
        register_meta = {"available": True, "activities": sorted(
            ({"id": str(getattr(a, "id", "")), "name": str(getattr(a, "name", "")),
              "status": str(getattr(a, "status", "") or "")} for a in activities),
            key=lambda r: r["id"])}
        from ..checks import known_ids

        findings.extend(rules.check(activities, org, today=now.date(), probe_findings=probe_findings,
                                    evidence_findings=list(findings), known_ids=known_ids(content)))
    else:
        missing.append("register")

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
        "sources_missing": sorted(missing),
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
                return path
            _archive(ws, previous)
        write_json(path, assessment)
    return path


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
