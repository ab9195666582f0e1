"""Malformed content files give clear errors naming file and line (cyberaudit.content.loader)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cyberaudit.content.loader import lint, load_from
from cyberaudit.errors import InputError

ROOT = Path(__file__).resolve().parents[2]

PROFILE = """\
id: commune
title: {fr: "Commune", en: "Commune"}
description: {fr: "Profil de test", en: "Test profile"}
banks: [test]
theme_weights: {governance: 1, rgpd: 1, identity: 1, mail: 1, web: 1, exposure: 1, systems: 1,
                continuity: 1, awareness: 1, sobriety: 1}
essential: [gov.a.one]
facts:
  dpo_mandatory: true
  population: {min: 0, max: 100}
  reen_strategy: not_required
  nis2: {status: not_covered, note: {fr: "non", en: "no"}}
"""


def question(qid: str, when: str = "", fr: str = '"Question ?"') -> str:
    return f"""\
  - id: {qid}
    theme: governance
    title: {{fr: "Titre", en: "Title"}}
    text: {{fr: {fr}, en: "Question?"}}
    help: {{fr: "Aide", en: "Help"}}
    severity: low
    refs: ["anssi-hygiene:39"]
    remediation: {{fr: "Faire", en: "Do"}}
    effort: low
    owner: dpo
{when}"""


def bank(*questions: str) -> str:
    return ('id: test\norder: 1\ntitle: {fr: "T", en: "T"}\ndescription: {fr: "D", en: "D"}\nquestions:\n'
            + "".join(questions))


@pytest.fixture
def dirs(tmp_path):
    checklists = tmp_path / "checklists"
    shutil.copytree(ROOT / "checklists" / "frameworks", checklists / "frameworks")
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "commune.yaml").write_text(PROFILE)
    return checklists, profiles


def write_bank(checklists: Path, text: str) -> Path:
    path = checklists / "test.yaml"
    path.write_text(text)
    return path


def test_valid_minimal_bank_loads(dirs):
    write_bank(dirs[0], bank(question("gov.a.one"), question("gov.a.two")))
    content = load_from(*dirs)
    assert list(content.questions) == ["gov.a.one", "gov.a.two"]
    assert content.profile("commune").essential == ["gov.a.one"]


def test_duplicate_id_names_file_and_both_lines(dirs):
    path = write_bank(dirs[0], bank(question("gov.a.one"), question("gov.a.one")))
    with pytest.raises(InputError) as exc:
        load_from(*dirs)
    assert exc.value.file == str(path)
    assert exc.value.line == 16  # the second "- id:" line
    assert "duplicate question ID 'gov.a.one'" in str(exc.value)
    assert f"{path}:6" in str(exc.value)  # where the first one is


def test_missing_french_text_names_line_and_field(dirs):
    broken = question("gov.a.one").replace('text: {fr: "Question ?", en: "Question?"}', 'text: {en: "Question?"}')
    path = write_bank(dirs[0], bank(broken))
    with pytest.raises(InputError) as exc:
        load_from(*dirs)
    assert exc.value.file == str(path)
    assert exc.value.line == 9
    assert "questions.0.text.fr" in str(exc.value)


def test_empty_french_text_is_a_lint_problem(dirs):
    write_bank(dirs[0], bank(question("gov.a.one", fr='"  "')))
    _, problems = lint(*dirs)
    assert any("empty fr text in text" in p.message for p in problems)


def test_condition_cycle_is_reported(dirs):
    a = question("gov.a.one", when='    when: [{q: gov.a.two, in: ["yes"]}]\n')
    b = question("gov.a.two", when='    when: [{q: gov.a.one, in: ["yes"]}]\n')
    write_bank(dirs[0], bank(a, b))
    _, problems = lint(*dirs)
    cycles = [p for p in problems if "condition cycle" in p.message]
    assert cycles and "gov.a.one -> gov.a.two -> gov.a.one" in cycles[0].message
    assert cycles[0].line == 6
    with pytest.raises(InputError):
        load_from(*dirs)


def test_condition_on_unknown_question_and_bad_value(dirs):
    a = question("gov.a.one")
    b = question("gov.a.two", when='    when: [{q: gov.a.one, in: ["maybe"]}]\n')
    c = question("gov.a.three", when='    when: [{q: gov.zz.none, in: ["yes"]}]\n')
    write_bank(dirs[0], bank(a, b, c))
    messages = [p.message for p in lint(*dirs)[1]]
    assert any("['maybe'] are not answers of gov.a.one" in m for m in messages)
    assert any("unknown question 'gov.zz.none'" in m for m in messages)


def test_yaml_syntax_error_names_line(dirs):
    path = write_bank(dirs[0], bank(question("gov.a.one")) + "  - id: [unclosed\n    theme: x\n")
    with pytest.raises(InputError) as exc:
        load_from(*dirs)
    assert exc.value.file == str(path)
    assert exc.value.line is not None and exc.value.line >= 16
    assert "erreur de syntaxe YAML" in str(exc.value)  # French by default, like every message


@pytest.mark.parametrize("ref, reason", [
    ("anssi-hygiene:43", "anssi-hygiene has no item '43'"),
    ("gdpr:100", "gdpr has no item '100'"),
    ("nowhere:1", "unknown framework 'nowhere'"),
])
def test_bad_references(dirs, ref, reason):
    write_bank(dirs[0], bank(question("gov.a.one").replace('"anssi-hygiene:39"', f'"{ref}"')))
    messages = [p.message for p in lint(*dirs)[1]]
    assert any(reason in m for m in messages), messages


def test_reference_sub_items_resolve_to_listed_items(dirs):
    refs = '"gdpr:37(1)(a)", "cnil-security:4.2", "rfc:7208", "anssi-hygiene:2"'
    write_bank(dirs[0], bank(question("gov.a.one").replace('"anssi-hygiene:39"', refs)))
    assert lint(*dirs)[1] == []


def test_theme_prefix_and_probe_ids(dirs):
    wrong_prefix = question("sys.a.one")
    bad_confirm = question("gov.a.two") + "    confirms: [nosuch.surface.vpn]\n"
    write_bank(dirs[0], bank(wrong_prefix, bad_confirm))
    with pytest.raises(InputError) as exc:
        load_from(*dirs)
    assert "must start with 'gov.'" in str(exc.value)
    write_bank(dirs[0], bank(question("gov.a.one"), bad_confirm))
    messages = [p.message for p in lint(*dirs)[1]]
    assert any("'nosuch.surface.vpn' is not a probe finding ID" in m for m in messages)


def test_profile_errors(dirs):
    write_bank(dirs[0], bank(question("gov.a.one")))
    text = PROFILE.replace("banks: [test]", "banks: [test, nosuch]").replace("essential: [gov.a.one]",
                                                                          "essential: [gov.zz.unknown]")
    (dirs[1] / "commune.yaml").write_text(text)
    messages = [p.message for p in lint(*dirs)[1]]
    assert any("unknown bank 'nosuch'" in m for m in messages)
    assert any("neither a question nor a probe check ID" in m for m in messages)


def test_profile_extends_one_level_only(dirs):
    write_bank(dirs[0], bank(question("gov.a.one")))
    (dirs[1] / "petite-commune.yaml").write_text(
        'id: petite-commune\nextends: commune\ntitle: {fr: "P", en: "S"}\nfacts:\n  population: {min: 0, max: 9}\n')
    (dirs[1] / "epci.yaml").write_text('id: epci\nextends: petite-commune\ntitle: {fr: "E", en: "E"}\n')
    content, problems = lint(*dirs)
    small = content.profile("petite-commune")
    assert small.facts.population.max == 9 and small.facts.dpo_mandatory is True  # facts merged key by key
    assert small.banks == ["test"]
    assert any("one level only" in p.message for p in problems)
