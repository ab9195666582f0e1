"""The interview UI's input parsing and loop, driven in-process with scripted input."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from cyberaudit.cli.assess_ui import Interview
from cyberaudit.content.loader import load_content
from cyberaudit.disk.workspace import create
from cyberaudit.interview.answers import load
from cyberaudit.model import Organisation


class Scripted(Console):
    def __init__(self, lines):
        super().__init__(file=io.StringIO(), width=200, color_system=None)
        self.lines = list(lines)

    def input(self, prompt="", **kw):  # noqa: A003 - Rich's name
        self.print(prompt, end="")
        if not self.lines:
            raise EOFError
        line = self.lines.pop(0)
        self.print(line)
        return line

    @property
    def text(self) -> str:
        return self.file.getvalue()


@pytest.fixture
def ws(tmp_path):
    return create(tmp_path / "ws", Organisation(name="Test", siren="213501232", kind="commune"))


def interview(ws, lines, **kw) -> Interview:
    content = load_content()
    return Interview(ws=ws, content=content, profile=content.profile("commune"), console=Scripted(lines), **kw)


@pytest.mark.parametrize("qid, raw, value", [
    ("gov.dpo.designated", "1", "yes"), ("gov.dpo.designated", "OUI", "yes"), ("gov.dpo.designated", "2", "partial"),
    ("gov.dpo.designated", "non", "no"), ("gov.dpo.designated", "4", "unknown"), ("gov.dpo.designated", "nsp", "unknown"),
    ("sys.wifi.separation", "5", "na"), ("sys.wifi.separation", "sans objet", "na"),
    ("bcp.backup.frequency", "2", "weekly"), ("bcp.backup.frequency", "daily", "daily"),
    ("sys.eol.unsupported_count", "3", 3), ("sys.eol.unsupported_count", "nsp", "unknown"),
    ("bcp.backup.restore_tested", "2026-01-15", "2026-01-15"),
])
def test_parse_accepts_numbers_keys_and_french_words(ws, qid, raw, value):
    ui = interview(ws, [])
    got = ui.parse(load_content().questions[qid], raw)
    assert (got.isoformat() if hasattr(got, "isoformat") else got) == value


@pytest.mark.parametrize("qid, raw", [("gov.dpo.designated", "5"), ("gov.dpo.designated", "na"),
                                      ("bcp.backup.frequency", "hourly"), ("sys.eol.unsupported_count", "-2"),
                                      ("bcp.backup.restore_tested", "31/02/2026"),
                                      ("bcp.backup.restore_tested", "2026/01/15"),
                                      ("bcp.backup.restore_tested", "3")])
def test_parse_refuses(ws, qid, raw):
    with pytest.raises(ValueError):
        interview(ws, []).parse(load_content().questions[qid], raw)


def test_loop_saves_each_answer_and_handles_commands(ws):
    ui = interview(ws, ["r", "?", "xyz", "1", "p", "2", "q"], by="Marie")
    counts = ui.run()
    assert counts == {"answered": 2, "session": 2, "skipped": 1, "remaining": counts["remaining"], "quit": 1}
    saved = load(ws)
    assert list(saved) == ["gov.dpo.designated", "gov.dpo.published"]
    assert saved["gov.dpo.published"].value == "partial" and saved["gov.dpo.published"].by == "Marie"
    out = ui.console.text
    assert "première question" in out and "Toute autorité publique" in out and "Réponse non reconnue" in out
    assert out.count("✓ Réponse enregistrée") == 2


def test_hostile_note_is_stored_bounded_without_control_chars(ws):
    ui = interview(ws, ["n", "\x1b[31mrouge\x07 " + "x" * 5000, "1", "q"])
    ui.run()
    note = load(ws)["gov.dpo.designated"].note
    assert "\x1b" not in note and "\x07" not in note and len(note) <= 2000 and note.startswith("rouge ")


@pytest.mark.parametrize(("raw", "expected"), [("jamais", "never"), ("Non", "never"), ("aucun", "never"),
                                               ("15/03/2024", "2024-03-15"), ("5-1-2025", "2025-01-05"),
                                               ("2024-03-15", "2024-03-15"), ("1", "never"), ("2", "unknown")])
def test_date_questions_accept_never_and_french_dates(ws, raw, expected):
    q = load_content().questions["bcp.backup.restore_tested"]
    value = q.parse_value(interview(ws, []).parse(q, raw))
    assert str(value) == expected
    if expected == "never":
        assert q.score_of(value) == 0.0 and q.label_of(value).fr == "Jamais"  # never happened: not in place


def test_never_and_french_dates_in_an_answers_file_too():
    q = load_content().questions["bcp.backup.restore_tested"]
    assert q.parse_value("never") == "never"
    assert str(q.parse_value("15/03/2024")) == "2024-03-15"
    assert q.label_of(q.parse_value("15/03/2024")).fr == "15/03/2024"
