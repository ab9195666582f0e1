"""answers.yaml: one entry per question, atomic saves with who/when, comments kept, structure errors located."""

from __future__ import annotations

import datetime as dt

import pytest

from cyberaudit.disk.fileio import loads_yaml
from cyberaudit.disk.workspace import Workspace
from cyberaudit.errors import InputError
from cyberaudit.interview.answers import load, load_file, remove_answer, save_answer, save_many, stamp
from cyberaudit.model import Answer


@pytest.fixture
def ws(tmp_path):
    return Workspace(tmp_path)


def test_missing_file_means_no_answers(ws):
    assert load(ws) == {}


def test_save_one_answer_at_a_time_and_reload(ws):
    at = dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC)
    save_answer(ws, "gov.dpo.designated", Answer(value="yes", note="CDG", by="Marie", at=at))
    save_answer(ws, "bcp.backup.restore_tested", Answer(value=dt.date(2026, 2, 1), by="Marie", at=at))
    got = load(ws)
    assert list(got) == ["gov.dpo.designated", "bcp.backup.restore_tested"]
    assert got["gov.dpo.designated"] == Answer(value="yes", note="CDG", by="Marie", at=at)
    assert got["bcp.backup.restore_tested"].value == "2026-02-01"
    data = loads_yaml((ws.root / "answers.yaml").read_text())
    assert data["schema"] == "cyberaudit/answers/v1"
    assert not list(ws.root.glob(".answers.yaml.*"))  # no temporary file left behind


def test_rewrites_keep_comments_and_replace_entries(ws):
    save_answer(ws, "gov.dpo.designated", Answer(value="no", by="A"))
    path = ws.root / "answers.yaml"
    text = path.read_text().replace("  gov.dpo.designated:\n", "  # à revoir après le conseil de mars\n"
                                                               "  gov.dpo.designated:\n")
    path.write_text(text)
    save_answer(ws, "gov.dpo.designated", Answer(value="yes", by="B"))
    save_answer(ws, "gov.cyber.measures", Answer(value="partial", by="B"))
    text = path.read_text()
    assert "# à revoir après le conseil de mars" in text
    assert text.count("gov.dpo.designated:") == 1
    assert load(ws)["gov.dpo.designated"].value == "yes"
    remove_answer(ws, "gov.cyber.measures")
    assert list(load(ws)) == ["gov.dpo.designated"]
    assert "# à revoir après le conseil de mars" in path.read_text()


def test_values_are_quoted_for_yaml_1_1_readers(ws):
    save_many(ws, {"gov.dpo.designated": Answer(value="no"), "bcp.backup.frequency": Answer(value="daily")})
    text = (ws.root / "answers.yaml").read_text()
    assert 'value: "no"' in text and 'value: "daily"' in text


def test_stamp_fills_only_missing_fields():
    now = dt.datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=dt.UTC)
    a = stamp(Answer(value="yes"), by="Marie", now=now)
    assert a.by == "Marie" and a.at == now.replace(microsecond=0)
    keep = Answer(value="yes", by="Paul", at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    assert stamp(keep, by="Marie", now=now) == keep


def test_short_form_and_structure_errors(tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text('gov.dpo.designated: "yes"\nbcp.backup.frequency:\n  value: weekly\n  note: NAS\n')
    answers, lines = load_file(f)
    assert answers["gov.dpo.designated"].value == "yes" and answers["bcp.backup.frequency"].note == "NAS"
    assert lines == {"gov.dpo.designated": 1, "bcp.backup.frequency": 2}
    f.write_text("answers:\n  gov.dpo.designated:\n    value: yes\n    when: today\n")
    with pytest.raises(InputError) as exc:
        load_file(f)
    assert exc.value.line == 4 and exc.value.field.startswith("gov.dpo.designated")  # the unknown field's own line
    f.write_text("schema: cyberaudit/other/v9\nanswers: {}\n")
    with pytest.raises(InputError) as exc:
        load_file(f)
    assert exc.value.line == 1 and "schéma inconnu" in str(exc.value)
    f.write_text("- a\n- b\n")
    with pytest.raises(InputError):
        load_file(f)
