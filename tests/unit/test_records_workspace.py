"""The logs in a real workspace: findings, the joins that confirm or contradict the interview, the report
section (counts and overdue items by ID, no personal data, hostile text inert) and the barometer indicator."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cyberaudit.assessment.evaluate import evaluate, save_assessment
from cyberaudit.disk.workspace import Workspace, create
from cyberaudit.records import store
from cyberaudit.records.model import Breach, Request
from cyberaudit.report import build_report, write_reports
from tests.unit.test_report_samples import organisation

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
HOSTILE = "Mme <b>Martin</b> \x1b[2J =1+1"


def answers(ws: Workspace, **values: str) -> None:
    lines = "".join(f"  {k.replace('__', '.')}: '{v}'\n" for k, v in values.items())
    # answers for today's question bank (a file without revision: would be read as an old one)
    ws.path("answers.yaml").write_text("answers:\n" + lines, encoding="utf-8")


@pytest.fixture
def ws(tmp_path) -> Workspace:
    return create(tmp_path / "ws", organisation())


def add_breach(ws, **extra) -> Breach:
    ctx = store.context(ws.load_organisation(), NOW)
    data = {"id": "V-2026-001", "title": HOSTILE, "occurred_at": "2026-11-01T08:00:00+01:00",
            "aware_at": "2026-11-02T09:00:00+01:00", "nature": ["confidentiality"], "description": HOSTILE,
            "cnil": {"notified": True, "notified_at": "2026-11-03T17:00:00+01:00", "reference": "CNIL-42"}, **extra}
    return store.save(ws, store.BREACHES, Breach.model_validate(data, context=ctx), ctx)


def add_request(ws, rid: str, received: str, **extra) -> Request:
    ctx = store.context(ws.load_organisation(), NOW)
    data = {"id": rid, "right": "access", "received_on": received, "reference": HOSTILE, **extra}
    return store.save(ws, store.REQUESTS, Request.model_validate(data, context=ctx), ctx)


def by_id(a, fid: str, target: str | None = None):
    return next(f for f in a.findings if f.id == fid and f.target == target)


def test_a_breach_file_confirms_a_yes_and_contradicts_a_no(ws):
    add_breach(ws)
    answers(ws, priv__breach__log="yes")
    a = evaluate(ws, now=NOW)
    log = by_id(a, "rgpd.breaches.log")
    assert log.status.value == "pass" and log.source == "records"
    assert log.evidence["interview"]["agrees"] is True and log.evidence["interview"]["question"] == "priv.breach.log"
    assert by_id(a, "priv.breach.log").evidence["records"][0]["agrees"] is True
    assert by_id(a, "rgpd.breaches.cnil_deadline", "V-2026-001").status.value == "pass"  # notified within 72 h

    answers(ws, priv__breach__log="no")
    a = evaluate(ws, now=NOW)
    interview = by_id(a, "priv.breach.log")
    assert interview.evidence["records"][0]["agrees"] is False
    assert "contredite par les registres du DPO : rgpd.breaches.log" in interview.detail.fr
    assert by_id(a, "rgpd.breaches.log").status.value == "pass"  # an answer never undoes a file


def test_without_breach_files_the_answer_alone_speaks(ws):
    answers(ws, priv__breach__log="no")
    a = evaluate(ws, now=NOW)
    assert not [f for f in a.findings if f.id == "rgpd.breaches.log"]
    assert "records" not in by_id(a, "priv.breach.log").evidence


def test_a_request_answered_late_is_a_finding_that_contradicts_the_interview(ws):
    add_request(ws, "D-2026-001", "2026-01-31", answered_on="2026-03-02", outcome="granted")  # due 28 February
    add_request(ws, "D-2026-002", "2026-11-05")  # open, due 5 December
    answers(ws, priv__rights__procedure="yes")
    a = evaluate(ws, now=NOW)
    late, running = by_id(a, "rgpd.requests.deadline", "D-2026-001"), by_id(a, "rgpd.requests.deadline", "D-2026-002")
    assert late.status.value == "fail" and late.evidence["due"] == "2026-02-28"
    assert late.evidence["interview"]["agrees"] is False and "contredite par ce fichier" in late.detail.fr
    assert running.status.value == "info" and "agrees" not in running.evidence["interview"]  # a clock running: neither
    hits = by_id(a, "priv.rights.procedure").evidence["records"]
    assert [(h["target"], h["agrees"]) for h in hits] == [("D-2026-001", False), ("D-2026-002", None)]
    answers(ws, priv__rights__procedure="no")  # "we cannot": the late answer agrees with it
    assert by_id(evaluate(ws, now=NOW), "rgpd.requests.deadline", "D-2026-001").evidence["interview"]["agrees"] is True


def test_overdue_cnil_notification_and_undecided_high_risk(ws):
    add_breach(ws, cnil={}, risk="high", data_categories=["health"])
    a = evaluate(ws, now=NOW)
    assert by_id(a, "rgpd.breaches.cnil_deadline", "V-2026-001").status.value == "fail"
    assert by_id(a, "rgpd.breaches.people_informed", "V-2026-001").status.value == "fail"
    documented = by_id(a, "rgpd.breaches.documented", "V-2026-001")
    assert documented.status.value == "warn" and documented.evidence["missing"] == ["consequences", "measures_taken"]
    overdue = a.meta["records"]["overdue"]
    assert [(i["kind"], i["id"]) for i in overdue] == [("breach", "V-2026-001")]


def test_report_section_counts_and_overdue_items_without_personal_data(ws, tmp_path):
    add_breach(ws)
    add_request(ws, "D-2026-001", "2026-09-01")  # overdue since 1 October
    add_request(ws, "D-2026-002", "2026-11-05")
    a = evaluate(ws, now=NOW)
    save_assessment(ws, a)
    report, _ = build_report(a, "fr")
    v = report.records
    assert v.available and "1 violation(s) consignée(s)" in v.breach_text and "2 demande(s)" in v.request_text
    assert [(r.id, r.state, r.due) for r in v.overdue] == [("D-2026-001", "overdue", "2026-10-01")]
    assert [r.id for r in v.due] == ["D-2026-002"]
    out = tmp_path / "out"
    paths = write_reports(ws, ["html", "md", "json"], "fr", out)
    html = next(p for p in paths if p.suffix == ".html").read_text("utf-8")
    section = html[html.index('id="records"'):html.index('<section id="regulatory"')]
    assert "D-2026-001" in section and "En retard" in section and "2026-10-01" in section
    for text in (html, next(p for p in paths if p.suffix == ".md").read_text("utf-8")):
        assert "Martin" not in text and "\x1b" not in text  # titles, references: never in the report
    md = next(p for p in paths if p.suffix == ".md").read_text("utf-8")
    assert "### Registres des violations et des demandes" in md and "| Demande | D-2026-001 |" in md
    data = json.loads(next(p for p in paths if p.suffix == ".json").read_text("utf-8"))
    assert data["report"]["records"]["overdue"][0]["id"] == "D-2026-001"
    en, _ = build_report(a, "en")
    assert en.records.overdue[0].state_label == "overdue" and "1 breach(es) recorded" in en.records.breach_text


def test_report_section_says_when_the_logs_are_empty(ws):
    report, _ = build_report(evaluate(ws, now=NOW), "fr")
    assert report.records.available and "Aucune violation consignée" in report.records.breach_text
    assert report.records.overdue == [] and report.records.labels["none"] == "Aucune échéance dépassée."


def test_barometer_counts_members_keeping_a_breach_log():
    from cyberaudit.territory.indicators import load_indicators
    from cyberaudit.territory.judging import Facts, judge

    ind = next(i for i in load_indicators() if i.id == "breach_log_kept")
    files = Facts(findings={"rgpd.breaches.log": [{"id": "rgpd.breaches.log", "status": "pass"}]}, answers={},
                  organisation={})
    assert judge(ind, files).bucket == "yes"
    assert judge(ind, Facts(findings={}, answers={"priv.breach.log": "no"}, organisation={})).bucket == "no"
    assert judge(ind, Facts(findings={}, answers={}, organisation={})).bucket == "unknown"
