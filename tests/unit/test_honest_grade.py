"""The grade cannot be gamed: "I don't know" never beats "no", and nothing known means no grade at all."""

from __future__ import annotations

import datetime as dt
import re

from cyberaudit.assessment.evaluate import evaluate
from cyberaudit.assessment.scoring import GRADES
from cyberaudit.demo import write_demo_workspace
from cyberaudit.disk.workspace import Workspace
from cyberaudit.report import build_report

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def _score(ws):
    report, score = build_report(evaluate(ws, now=NOW), "fr")
    return report, score


def test_demo_swapping_every_no_for_unknown_lowers_or_keeps_score_and_grade(tmp_path):
    ws = Workspace(write_demo_workspace(tmp_path / "demo"))
    _, before = _score(ws)
    answers = ws.path("answers.yaml")
    text = answers.read_text("utf-8")
    swapped, n = re.subn(r'(\n    value: )"?no"?\n', r'\1"unknown"\n', text)
    assert n >= 20  # the demo answers "Non" many times
    answers.write_text(swapped, "utf-8")
    report, after = _score(ws)
    assert after.score <= before.score
    assert GRADES.index(after.grade) >= GRADES.index(before.grade)
    assert len(after.coverage.unknown) >= n  # every swapped answer is now unknown...
    verify = [a for a in report.actions if a.kind == "verify"]
    assert len(verify) >= n - 2  # ... and has an action naming who can answer (joined measures are merged)
    assert all(re.match(r"Vérifier avec (le|la|les|l') ", a.title) for a in verify)
    assert {u.id for u in report.unknowns} == set(after.coverage.unknown)
    assert all(u.question != u.id and " " in u.question for u in report.unknowns)  # the question text, not an ID


def test_fresh_workspace_has_no_letter_grade(tmp_path, run_cli):
    code, _, err = run_cli("init", tmp_path / "ws", "--name", "Commune de Neuve", "--siren", "123456782",
                           "--kind", "petite-commune")
    assert code == 0, err
    report, score = _score(Workspace(tmp_path / "ws"))
    assert score.grade is None and score.score is None and not score.provisional
    assert report.summary.grade_text == "non évalué"
    assert "cyberaudit assess --workspace" in report.summary.explanation
    code, out, err = run_cli("report", "--workspace", tmp_path / "ws", "--format", "html,json")
    assert code == 0, err
    assert "Note : non évalué" in out and not re.search(r"Note : [A-F]\b", out)
    html = next(p for p in (tmp_path / "ws" / "reports").glob("*-elus.html")).read_text("utf-8")
    assert "non évalué" in html and not re.search(r'id="grade"[^>]*>[A-F]<', html)
