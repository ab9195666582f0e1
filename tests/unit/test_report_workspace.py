"""evaluate() on a real workspace (shipped checklists), assessment history, write_reports and `cyberaudit report`."""

from __future__ import annotations

import datetime as dt
import json
import sys

import pytest

from cyberaudit.assessment.evaluate import evaluate, previous_assessment, save_assessment
from cyberaudit.disk.fileio import write_json
from cyberaudit.disk.workspace import ASSESSMENT, HISTORY_DIR, LATEST_SCAN, Workspace, create
from cyberaudit.errors import InputError
from cyberaudit.model import ScanResult, TargetResult
from cyberaudit.report import write_reports
from tests.unit.test_report_samples import T, organisation

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def scan(status="fail") -> ScanResult:
    from cyberaudit.model import Finding

    fs = [Finding(id="ports.rdp.exposed", status=status, severity="critical", title=T("RDP exposé"),
                  target="webmail.test-sur-loire.example", theme="exposure", references=["anssi-hygiene:23"]),
          Finding(id="mail.dmarc.policy", status="warn", severity="high", title=T("DMARC"),
                  target="test-sur-loire.example", theme="mail")]
    return ScanResult(tool_version="0.1.0", started_at=NOW, checks=["dns", "mail", "ports"],
                      results=[TargetResult(target=f.target, findings=[f]) for f in fs])


@pytest.fixture
def ws(tmp_path) -> Workspace:
    w = create(tmp_path / "ws", organisation())
    write_json(w.path(LATEST_SCAN), scan())
    w.path("answers.yaml").write_text(
        "schema: cyberaudit/answers/v1\nrevision: 2\nanswers:\n"
        "  gov.dpo.designated: {value: 'yes', note: '<b>délibération</b>'}\n"
        "  bcp.backup.offline: 'no'\n"
        "  gov.security.referent: unknown\n", encoding="utf-8")
    return w


def test_evaluate_assembles_every_source(ws):
    a = evaluate(ws, now=NOW)
    ids = {(f.id, f.source) for f in a.findings}
    assert ("ports.rdp.exposed", "probe") in ids and ("bcp.backup.offline", "interview") in ids
    assert a.generated_at == NOW and a.organisation.name == "Commune de Test-sur-Loire"
    unknown = next(f for f in a.findings if f.id == "gov.security.referent")
    assert unknown.evidence["answer"] == "unknown"
    cov = a.meta["coverage"]
    assert "gov.dpo.designated" not in cov["unanswered"] and len(cov["unanswered"]) > 20
    assert cov["not_scanned"] == ["tls", "web", "mfa", "privacy"]
    assert [s["name"] for s in a.meta["scope"]] == ["test-sur-loire.example", "webmail.test-sur-loire.example"]
    assert a.findings == sorted(a.findings, key=lambda f: (f.id, f.target or ""))
    assert evaluate(ws, now=NOW) == a  # deterministic


def test_save_keeps_history_only_when_something_changed(ws):
    first = evaluate(ws, now=NOW)
    save_assessment(ws, first)
    raw = ws.path(ASSESSMENT).read_bytes()
    save_assessment(ws, evaluate(ws, now=LATER))  # same findings, new date: nothing rewritten
    assert ws.path(ASSESSMENT).read_bytes() == raw
    assert not list(ws.path(HISTORY_DIR).glob("*.json"))
    write_json(ws.path(LATEST_SCAN), scan(status="pass"))  # the RDP port got closed
    second = evaluate(ws, now=LATER)
    save_assessment(ws, second)
    kept = ws.path(HISTORY_DIR) / "2026-11-20.json"
    assert kept.read_bytes() == raw
    assert previous_assessment(ws, second) == first
    assert previous_assessment(ws, first) is None


def test_write_reports_with_evolution(ws):
    save_assessment(ws, evaluate(ws, now=NOW))
    write_json(ws.path(LATEST_SCAN), scan(status="pass"))
    save_assessment(ws, evaluate(ws, now=LATER))
    paths = write_reports(ws, ["html", "md", "json"], "fr")
    assert [p.name for p in paths] == ["rapport-2026-12-01.html", "rapport-2026-12-01-elus.html",
                                       "rapport-2026-12-01.md", "rapport-2026-12-01-elus.md", "rapport-2026-12-01.json"]
    data = json.loads(paths[-1].read_text("utf-8"))
    ev = data["report"]["evolution"]
    assert (ev["previous_date"], ev["previous_iso"]) == ("20 novembre 2026", "2026-11-20") and any("RDP" in x for x in ev["fixed"])
    again = write_reports(ws, ["html", "md", "json"], "fr")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in paths]
    en = write_reports(ws, "md", "en", output_dir=ws.root / "out")
    assert en[0] == ws.root / "out" / "report-2026-12-01-en.md"
    assert "Evolution since the previous assessment" in en[0].read_text("utf-8")


def test_pdf_without_weasyprint_is_a_clear_error_and_writes_nothing(ws, monkeypatch):
    save_assessment(ws, evaluate(ws, now=NOW))
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import now fails as if not installed
    with pytest.raises(InputError, match="WeasyPrint"):
        write_reports(ws, ["html", "pdf"], "fr")
    assert not list(ws.path("reports").glob("rapport-*"))


def test_cli_report_writes_files_and_applies_thresholds(ws, run_cli):
    code, out, err = run_cli("report", "--workspace", ws.root, "--format", "html,json")
    assert code == 0, err
    assert "Note" in out and "rapport-" in out
    files = sorted(p.suffix for p in ws.path("reports").glob("rapport-*"))
    assert files == [".html", ".html", ".json"]  # the complete report and the elected officials' one
    assert ws.path(ASSESSMENT).exists()
    code, _, err = run_cli("report", "--workspace", ws.root, "--format", "json", "--fail-under", "99")
    assert code == 1 and "99" in err
    code, _, err = run_cli("report", "--workspace", ws.root, "--format", "json", "--fail-on", "critical")
    assert code == 1
    code, _, _ = run_cli("report", "--workspace", ws.root, "--format", "json", "--fail-on", "critical",
                         "--fail-under", "1")
    assert code == 1


def test_cli_report_bad_input(tmp_path, ws, run_cli):
    code, _, err = run_cli("report", "--workspace", tmp_path / "nowhere")
    assert code == 2 and "organisation.yaml" in err
    code, _, err = run_cli("report", "--workspace", ws.root, "--format", "docx")
    assert code == 2 and "docx" in err
    code, _, err = run_cli("report", "--workspace", ws.root, "--fail-on", "terrible")
    assert code == 2
    assert not list(ws.path("reports").glob("rapport-*"))


def test_cli_report_in_english(ws, run_cli):
    code, out, _ = run_cli("report", "--workspace", ws.root, "--format", "md", "--lang", "en")
    assert code == 0 and "Grade" in out
    md = ws.path("reports").joinpath("report-2026-12-02-en.md")
    md = next(p for p in ws.path("reports").glob("report-*-en.md") if "elected" not in p.name).read_text("utf-8")
    assert "Prioritised action plan" in md and "&lt;b&gt;délibération&lt;/b&gt;" in md


def test_unreadable_previous_assessment_is_kept_aside(ws):
    ws.path(ASSESSMENT).write_text("{not json", encoding="utf-8")
    save_assessment(ws, evaluate(ws, now=NOW))
    assert (ws.path(HISTORY_DIR) / "unreadable-1.json").read_text("utf-8") == "{not json"
    assert json.loads(ws.path(ASSESSMENT).read_text("utf-8"))["schema"] == "cyberaudit/assessment/v2"


def test_bad_scan_file_names_the_file(ws, run_cli):
    ws.path(LATEST_SCAN).write_text('{"schema": "cyberaudit/scan/v1", "results": 3}', encoding="utf-8")
    code, _, err = run_cli("report", "--workspace", ws.root, "--format", "json")
    assert code == 2 and "latest.json" in err and "Traceback" not in err


def test_register_findings_are_joined_through_the_contract(ws, monkeypatch):
    """evaluate() calls register.store.load_all(ws) and register.rules.check(...) (stand-ins here)."""
    import types

    from cyberaudit.model import Finding

    seen = {}

    def load_all(w):
        seen["ws"] = w.root
        return [types.SimpleNamespace(id="T-002", name="Cantine", status="draft"),
                types.SimpleNamespace(id="T-001", name="État civil", status="validated")]

    def check(activities, org, *, today, probe_findings, evidence_findings=None, known_ids=None):
        seen.update(today=today, probes=sorted(f.id for f in probe_findings), org=org.name)
        return [Finding(id="rgpd.activity.dpia_missing", status="fail", severity="high", title=T("AIPD manquante"),
                        source="register", target="T-002")]

    monkeypatch.setattr("cyberaudit.register.store.load_all", load_all)
    monkeypatch.setattr("cyberaudit.register.rules.check", check)
    a = evaluate(ws, now=NOW)
    assert seen == {"ws": ws.root, "today": NOW.date(), "probes": ["mail.dmarc.policy", "ports.rdp.exposed"],
                    "org": "Commune de Test-sur-Loire"}
    reg = next(f for f in a.findings if f.source == "register")
    assert reg.theme == "rgpd" and reg.target == "T-002"
    assert a.meta["register"] == {"available": True, "activities": [
        {"id": "T-001", "name": "État civil", "status": "validated"},
        {"id": "T-002", "name": "Cantine", "status": "draft"}]}
    from cyberaudit.report import build_report
    from tests.unit.test_report_samples import Profile

    report, _ = build_report(a, "fr", profile=Profile())
    assert "2 activité(s)" in report.rgpd.register_text and "1 sans erreur" in report.rgpd.register_text
    assert [f.target for f in report.rgpd.dpias] == ["T-002"]
    rows = {r.id: r for r in report.rgpd.activities}
    assert rows["T-002"].failed == 1 and rows["T-002"].issues == "AIPD manquante" and rows["T-002"].status == "brouillon"
    assert rows["T-001"].failed == 0 and rows["T-001"].issues == ""


def test_cli_report_on_a_fresh_workspace_says_nothing_is_known(tmp_path, run_cli):
    # the register's findings on an empty record alone are not an assessment: still no grade
    w = create(tmp_path / "fresh", organisation())
    code, out, _ = run_cli("report", "--workspace", w.root, "--format", "md")
    assert code == 0 and "Note : non évalué" in out and "rien n'est encore connu" in out
    md = next(w.path("reports").glob("rapport-*.md")).read_text("utf-8")
    assert "cyberaudit assess" in md and "0 / 100" not in md  # unknown is never shown as zero
    code, _, err = run_cli("report", "--workspace", w.root, "--format", "md", "--fail-under", "10")
    assert code == 1


def test_unwritable_output_is_an_input_error(ws, run_cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = run_cli("report", "--workspace", ws.root, "--format", "md", "--output", blocker / "sub")
    assert code == 2 and "--output" in err and "Traceback" not in err


def test_real_register_activities_reach_the_report(ws):
    from cyberaudit.register import store, templates

    ts = templates.load_templates()
    store.save_many(ws, [ts["etat-civil"].activity("T-001"), ts["videoprotection"].activity("T-002")])
    a = evaluate(ws, now=NOW)
    reg = [f for f in a.findings if f.source == "register"]
    assert {f.target for f in reg} >= {"T-001", "T-002"}
    assert all(f.theme == "rgpd" for f in reg)
    from cyberaudit.report import build_report

    report, score = build_report(a, "fr")
    assert [r.id for r in report.rgpd.activities] == ["T-001", "T-002"]
    assert report.rgpd.register_text.startswith("2 activité(s)")
    rgpd = next(t for t in score.themes if t.theme == "rgpd")
    assert rgpd.score is not None and rgpd.counts.passed + rgpd.counts.failed + rgpd.counts.warned >= len(reg)


def test_report_command_builds_the_report_once_and_prints_the_files_numbers(ws, monkeypatch, capsys):
    """`cyberaudit report` evaluates, saves and builds once: the grade printed is the one in the files."""
    import cyberaudit.report.build as build_mod
    from cyberaudit.__main__ import main

    save_assessment(ws, evaluate(ws, now=NOW))  # an earlier run: the same content, an older date
    real, calls = build_mod.build, []
    monkeypatch.setattr(build_mod, "build", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert main(["report", "--workspace", str(ws.root), "--format", "json"]) == 0
    assert len(calls) == 1
    (path,) = ws.path("reports").glob("rapport-*.json")
    assert path.name == "rapport-2026-11-20.json"  # nothing changed but the date: the saved assessment is kept
    score = json.loads(path.read_text("utf-8"))["score"]
    shown = capsys.readouterr().out
    assert f"Note : {score['grade']} " in shown and f"score {score['score']:.1f}/100".replace(".", ",") in shown


def test_record_assessment_returns_what_is_on_disk(ws):
    from cyberaudit.assessment.evaluate import load_assessment, record_assessment

    first = record_assessment(ws, evaluate(ws, now=NOW))
    again = record_assessment(ws, evaluate(ws, now=LATER))
    assert again.generated_at == first.generated_at == NOW
    assert load_assessment(ws.path(ASSESSMENT)) == again
    write_json(ws.path(LATEST_SCAN), scan(status="pass"))
    changed = record_assessment(ws, evaluate(ws, now=LATER))
    assert changed.generated_at == LATER and load_assessment(ws.path(ASSESSMENT)).generated_at == LATER


def test_render_json_is_the_one_json_file_whatever_the_document(ws):
    from cyberaudit.report import render

    a = evaluate(ws, now=NOW)
    assert render(a, "json", "fr", document="elected") == render(a, "json", "fr")
