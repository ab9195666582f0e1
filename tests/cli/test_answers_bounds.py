"""Free text in answers.yaml is bounded on read, with a clear error naming the file and line (issue 12)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cyberaudit.disk.workspace import create
from cyberaudit.model import NOTE_MAX, Organisation
from tests.lab.pipes import ROOT, env


@pytest.fixture
def ws(tmp_path):
    return create(tmp_path / "ws", Organisation(name="Commune de Test", siren="213501232", kind="commune"))


def cli(*args):
    return subprocess.run([sys.executable, "-m", "cyberaudit", *map(str, args)], capture_output=True, text=True,
                          env=env(), cwd=ROOT, timeout=300)


def answers_text(note: str, link: str = "https://intranet.example/preuve") -> str:
    return ("schema: cyberaudit/answers/v1\nanswers:\n"
            "  gov.dpo.designated:\n    value: \"yes\"\n    by: Marie\n"
            f"  gov.it.charter:\n    value: \"no\"\n    note: \"{note}\"\n    evidence_link: \"{link}\"\n")


def test_a_huge_note_in_the_workspace_is_refused_with_file_and_line(ws):
    (ws.root / "answers.yaml").write_text(answers_text("x" * (NOTE_MAX + 1)))
    done = cli("report", "-w", ws.root, "-f", "md")
    assert done.returncode == 2, done.stderr
    assert "answers.yaml:8" in done.stderr and "trop long" in done.stderr, done.stderr
    assert "gov.it.charter.note" in done.stderr
    assert not list((ws.root / "reports").glob("rapport-*"))  # nothing was built from it


def test_a_huge_evidence_link_in_an_imported_file_is_refused(ws, tmp_path):
    src = tmp_path / "reponses.yaml"
    src.write_text(answers_text("courte", "https://x.example/" + "a" * 5000))
    done = cli("assess", "-w", ws.root, "--answers", src)
    assert done.returncode == 2, done.stderr
    assert f"{src}:9" in done.stderr and "evidence_link" in done.stderr and "Traceback" not in done.stderr
    assert not (ws.root / "answers.yaml").exists()  # nothing imported


def test_a_file_far_too_large_is_refused_before_parsing(ws):
    path = ws.root / "answers.yaml"
    with open(path, "w") as fh:
        fh.write(answers_text("y" * 100))
        fh.write("# " + "z" * (9 * 1024 * 1024) + "\n")
    done = cli("report", "-w", ws.root, "-f", "md")
    assert done.returncode == 2, done.stderr
    assert "answers.yaml" in done.stderr and "trop gros" in done.stderr


def test_notes_within_the_bound_are_kept(ws):
    (ws.root / "answers.yaml").write_text(answers_text("n" * NOTE_MAX))
    from cyberaudit.interview.answers import load

    assert len(load(ws)["gov.it.charter"].note) == NOTE_MAX
