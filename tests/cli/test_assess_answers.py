"""`cyberaudit assess --answers FILE` (non-interactive) and `cyberaudit checklists`."""

from __future__ import annotations

import pytest

from cyberaudit.disk.workspace import create
from cyberaudit.model import Organisation


@pytest.fixture
def ws(tmp_path):
    org = Organisation(name="Commune de Test", siren="213501232", kind="commune", population=5000)
    return create(tmp_path / "ws", org)


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def test_import_valid_answers_file(ws, tmp_path, run_cli):
    from cyberaudit.interview.answers import load

    f = write(tmp_path / "a.yaml", """\
schema: cyberaudit/answers/v1
revision: 2
answers:
  gov.dpo.designated:
    value: "yes"
    note: mutualisé avec le centre de gestion
  gov.dpo.declared: "no"
  bcp.backup.frequency: weekly
  bcp.backup.restore_tested: 2026-01-15
  sys.wifi.separation: na
""")
    code, out, err = run_cli("assess", "--workspace", ws.root, "--answers", f, "--by", "Marie Dupont")
    assert code == 0, err
    assert "5 réponse(s) importée(s)" in out
    got = load(ws)
    assert got["gov.dpo.designated"].value == "yes" and got["gov.dpo.designated"].note.startswith("mutualisé")
    assert got["gov.dpo.declared"].by == "Marie Dupont" and got["gov.dpo.declared"].at is not None
    assert got["bcp.backup.restore_tested"].value == "2026-01-15"
    text = (ws.root / "answers.yaml").read_text()
    assert 'value: "yes"' in text and 'value: "no"' in text  # quoted for YAML 1.1 readers


def test_saved_file_reimports_and_keeps_comments(ws, tmp_path, run_cli):
    f = write(tmp_path / "a.yaml", 'gov.dpo.designated: "yes"\n')
    assert run_cli("assess", "-w", ws.root, "--answers", f)[0] == 0
    path = ws.root / "answers.yaml"
    path.write_text(path.read_text().replace("answers:\n", "answers:\n  # revu avec le maire le 3 mars\n"))
    f2 = write(tmp_path / "b.yaml", 'answers:\n  gov.cyber.measures: "partial"\n')
    assert run_cli("assess", "-w", ws.root, "--answers", f2)[0] == 0
    text = path.read_text()
    assert "# revu avec le maire le 3 mars" in text and "gov.cyber.measures" in text and "gov.dpo.designated" in text
    # the saved file itself is a valid --answers input
    copy = write(tmp_path / "c.yaml", text)
    assert run_cli("assess", "-w", ws.root, "--answers", copy)[0] == 0


@pytest.mark.parametrize("body, line, words", [
    ('gov.dpo.designated: "yes"\ngov.zzz.unknown: "yes"\n', 2, "question inconnue 'gov.zzz.unknown'"),
    ('gov.dpo.designated: "yes"\nbcp.backup.frequency: "hourly"\n', 2, "'hourly' n'est pas une réponse possible"),
    ('bcp.backup.offline: "na"\n', 1, "non applicable"),
    ('bcp.backup.restore_tested: "2999-01-01"\n', 1, "dans le futur"),
    ('gov.dpo.designated: "no"\ngov.dpo.declared: "yes"\n', 2, "ne s'applique pas"),
    ('eco.reen.strategy: "yes"\n', 1, "ne s'applique pas"),
    ('answers:\n  gov.dpo.designated:\n    value: "yes"\n    colour: blue\n', 4, "gov.dpo.designated"),
    ('answers:\n  gov.dpo.designated: [unclosed\n', 3, "YAML"),
])
def test_bad_answers_file_is_exit_2_with_line_and_writes_nothing(ws, tmp_path, run_cli, body, line, words):
    f = write(tmp_path / "bad.yaml", body)
    code, out, err = run_cli("assess", "--workspace", ws.root, "--answers", f)
    assert code == 2
    assert f"{f}:{line}" in err, err
    assert words in err, err
    assert "Traceback" not in err
    assert not (ws.root / "answers.yaml").exists()


def test_inapplicable_for_profile(tmp_path, run_cli):
    small = create(tmp_path / "small", Organisation(name="Hameau", siren="213501232", kind="petite-commune"))
    f = write(tmp_path / "a.yaml", 'gov.risk.analysis: "no"\n')
    code, _, err = run_cli("assess", "-w", small.root, "--answers", f)
    assert code == 2 and "petite-commune" in err


def test_missing_workspace_and_bad_theme(tmp_path, run_cli):
    f = write(tmp_path / "a.yaml", 'gov.dpo.designated: "yes"\n')
    code, _, err = run_cli("assess", "-w", tmp_path / "none", "--answers", f)
    assert code == 2 and "organisation.yaml" in err
    code, _, err = run_cli("assess", "-w", tmp_path / "none", "--theme", "cooking")
    assert code == 2 and "thème inconnu 'cooking'" in err


def test_checklists_commands(run_cli):
    code, out, err = run_cli("checklists", "lint")
    assert code == 0, err
    assert "Contenu valide : 7 banques" in out
    code, out, _ = run_cli("checklists", "list")
    assert code == 0 and "anssi-hygiene" in out and "petite-commune" in out
    code, out, _ = run_cli("checklists", "show", "gov.dpo.designated")
    assert code == 0 and "gdpr:37(1)(a)" in out
    code, out, _ = run_cli("checklists", "show", "anssi-hygiene")
    assert code == 0 and "gov.outsourcing.requirements" in out
    code, out, _ = run_cli("checklists", "coverage", "anssi-hygiene")
    assert code == 0 and "42 élément(s) sur 42 couverts" in out
    code, _, err = run_cli("checklists", "show", "nope.nope.nope")
    assert code == 2
    code, _, err = run_cli("checklists", "coverage", "nowhere")
    assert code == 2 and "référentiel inconnu" in err


def test_checklists_lint_reports_problems(tmp_path, run_cli, monkeypatch):
    import shutil

    from cyberaudit.content import loader as checklist
    from cyberaudit.content import locate as content

    root = tmp_path / "content"
    shutil.copytree(content.content_dir("checklists"), root / "checklists")
    shutil.copytree(content.content_dir("profiles"), root / "profiles")
    bank = root / "checklists" / "formation.yaml"
    bank.write_text(bank.read_text().replace("id: trn.elected.trained", "id: trn.agents.yearly"))
    monkeypatch.setattr(checklist, "default_dirs", lambda: (root / "checklists", root / "profiles"))
    code, out, err = run_cli("checklists", "lint")
    assert code == 2
    assert f"{bank}:" in err and "duplicate question ID 'trn.agents.yearly'" in err
