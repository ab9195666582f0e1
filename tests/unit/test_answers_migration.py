"""Old answers.yaml files keep their meaning after compound questions were split (revision 2 of the bank)."""

from __future__ import annotations

import pytest

from cyberaudit.content import migrations
from cyberaudit.content.loader import load_content
from cyberaudit.disk.fileio import loads_yaml
from cyberaudit.disk.workspace import Workspace
from cyberaudit.interview.answers import load, load_file, save_answer
from cyberaudit.interview.engine import applicable
from cyberaudit.model import Answer

OLD = """# written by cyberaudit before revision 2
schema: cyberaudit/answers/v1
answers:
  gov.dpo.designated:
    value: "yes"
  priv.video.compliant:
    value: "yes"
    note: arrêté préfectoral du 3 mai 2024
    by: Mme Martin
    at: '2026-01-10T09:00:00+00:00'
  iam.provider.access:
    value: "partial"
  gov.audit.regular:
    value: "yes"
  sys.eol.plan:
    value: "yes"
  iam.admin.no_internet:
    value: "no"
  net.partner.links:
    value: "na"
  bcp.backup.offline:
    value: "no"
"""


@pytest.fixture
def ws(tmp_path):
    (tmp_path / "answers.yaml").write_text(OLD)
    return Workspace(tmp_path)


def test_a_yes_to_a_compound_question_holds_for_every_part(ws):
    got = load(ws)
    for part in ("priv.video.compliant", "priv.video.signs", "priv.video.retention", "priv.video.access"):
        assert got[part].value == "yes"
        assert got[part].by == "Mme Martin" and "priv.video.compliant" in got[part].note
    assert got["priv.video.compliant"].note.startswith("arrêté préfectoral du 3 mai 2024")


def test_a_partial_answer_says_nothing_about_the_parts_so_they_are_asked_again(ws):
    got = load(ws)
    for part in ("iam.provider.access", "iam.provider.mfa", "iam.provider.on_demand", "iam.provider.logged"):
        assert part not in got
    content = load_content()
    asked = {q.id for q in applicable(content, content.profile("commune"), got)}
    assert {"iam.provider.access", "iam.provider.mfa"} <= asked


def test_changes_of_meaning_carry_only_what_stays_true(ws):
    got = load(ws)
    # every two years is not yearly: the frequency is asked again; the follow-up half still holds
    assert "gov.audit.regular" not in got and got["gov.audit.followup"].value == "yes"
    # negative form: « oui » was ambiguous, so nothing carries
    assert "sys.eol.plan" not in got
    # admin accounts that browse: the admin workstation has Internet access, « non » still holds
    assert got["iam.admin.no_internet"].value == "no"
    # not applicable (no partner link) holds for both parts
    assert got["net.partner.links"].value == "na" and got["net.partner.filtered"].value == "na"
    # unchanged questions are untouched
    assert got["bcp.backup.offline"].value == "no" and got["gov.dpo.designated"].note is None


def test_the_next_write_persists_the_migration_and_loses_nothing(ws):
    before = load(ws)
    save_answer(ws, "iam.provider.mfa", Answer(value="yes", by="B"))
    data = loads_yaml((ws.root / "answers.yaml").read_text())
    assert data["revision"] == migrations.load_table().revision
    assert data["superseded"]["iam.provider.access@1"]["value"] == "partial"
    assert data["superseded"]["sys.eol.plan@1"]["value"] == "yes"
    assert "iam.provider.access" not in data["answers"]
    after = load(ws)
    assert after["iam.provider.mfa"].value == "yes"
    assert {k: v for k, v in after.items() if k != "iam.provider.mfa"} == before  # same meaning, read again


def test_a_file_written_for_the_current_revision_is_not_migrated_again(ws):
    save_answer(ws, "gov.audit.regular", Answer(value="no", by="B"))  # the new, yearly question
    assert load(ws)["gov.audit.regular"].value == "no"
    save_answer(ws, "iam.provider.access", Answer(value="no", by="B"))
    assert load(ws)["iam.provider.access"].value == "no"


def test_a_part_already_answered_is_never_overwritten():
    table = migrations.load_table()
    res = migrations.migrate_entries({"gov.is.map": "yes", "gov.is.diagram": "no"}, 1, table)
    assert res.entries == {"gov.is.diagram": "no", "gov.is.map": {"value": "yes", "note": res.entries["gov.is.map"]["note"]}}
    assert res.superseded == {"gov.is.map@1": "yes"}


def test_import_of_an_old_file_migrates_and_keeps_lines(tmp_path):
    path = tmp_path / "old.yaml"
    path.write_text(OLD)
    answers, lines = load_file(path)
    assert answers["priv.video.signs"].value == "yes"
    assert lines["priv.video.signs"] == lines["priv.video.compliant"] == 6


@pytest.mark.parametrize("text", ['gov.audit.regular: "yes"\niam.provider.access: "no"\n',
                                  'answers:\n  gov.audit.regular: "yes"\n  iam.provider.access: "no"\n'])
def test_a_hand_written_file_without_schema_is_taken_as_current(tmp_path, text):
    path = tmp_path / "hand.yaml"
    path.write_text(text)
    answers, _ = load_file(path)
    assert answers["gov.audit.regular"].value == "yes" and answers["iam.provider.access"].value == "no"


def test_a_schema_without_revision_is_an_old_file(tmp_path):
    path = tmp_path / "old.yaml"
    path.write_text('schema: cyberaudit/answers/v1\nanswers:\n  iam.provider.access: "no"\n')
    assert load_file(path)[0] == {}  # « non » to four conditions: each part is asked again


def test_the_table_fits_the_bank():
    content = load_content()
    table = migrations.load_table()
    assert migrations.check_table(table, content.questions) == []
    splits = [c for c in table.changes if c.kind == "split"]
    assert len(splits) >= 45 and all(c.parts[0] in content.questions for c in splits)
    broken = table.model_copy(update={"changes": [splits[0].model_copy(update={"parts": ["gov.nope.nope"]})]})
    assert migrations.check_table(broken, content.questions)
