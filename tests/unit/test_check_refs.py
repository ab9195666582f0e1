"""Every reference the product cites resolves, part by part, in checklists/frameworks/; made-up ones fail."""

from __future__ import annotations

import pytest

from cyberaudit.content.lint import check_ref
from cyberaudit.content.loader import load_content
from cyberaudit.content.refs import check_all, cited, prose_refs


@pytest.fixture(scope="module")
def content():
    return load_content()


def test_every_framework_lists_its_items(content):
    assert len(content.frameworks) >= 39
    assert all(fw.items for fw in content.frameworks.values())


@pytest.mark.parametrize("ref", [
    "gdpr:30(9)(z)", "gdpr:30(1)(h)", "gdpr:100", "gdpr:10(1)",  # art. 10 has no numbered paragraph
    "recyf:8.9", "recyf:21", "recyf:11.A.8", "recyf:15.5",
    "anssi-hygiene:43", "anssi-hygiene:0", "anssi-tls:R40", "anssi-tls:R3-",
    "anssi-pa-066:R48", "anssi-pa-066:R46", "anssi-pa-066:R52",  # only R46+ and R48+ exist
    "anssi-pa-009:R1", "cnil-security:26", "cnil-aipd:15", "wp248:10", "csi:L252-9", "nowhere:1", "gdpr",
])
def test_made_up_references_are_refused(content, ref):
    assert check_ref(ref, content.frameworks) is not None


@pytest.mark.parametrize("ref", [
    "gdpr:30(1)(f)", "gdpr:30", "gdpr:35(3)(c)", "gdpr:9(2)(j)", "recyf:8.3", "recyf:11.A.6", "recyf:15",
    "anssi-hygiene:42", "anssi-tls:R7-", "anssi-pa-066:R42+", "anssi-pa-066:R40-", "csi:L252-5",
    "rfc:7208-4.6.4", "anssi-pa-009:headers", "cnil-aipd-exemptions:suppliers",
])
def test_real_references_resolve(content, ref):
    assert check_ref(ref, content.frameworks) is None


def test_reasons_name_the_missing_part(content):
    assert "30(9)(z)" in check_ref("gdpr:30(9)(z)", content.frameworks)
    assert "8.1, 8.2, 8.3, 8.4, 8.5" in check_ref("recyf:8.9", content.frameworks)


def test_everything_cited_anywhere_resolves(content):
    refs = cited(content)
    origins = {o.split(" ")[0] for o, _ in refs}
    # questions, their texts, checks, register rules, DPIA codes, templates, package sources and data
    assert {"check", "register", "template"} <= origins
    assert any(o.endswith("(texte)") for o, _ in refs) and any(o.startswith("cyberaudit/") for o, _ in refs)
    assert len({r for _, r in refs}) > 250
    assert check_all(content) == []


def test_a_made_up_reference_in_a_help_text_is_caught(content):
    q = content.questions["priv.dpia.screening"]
    broken = q.model_copy(update={"help": q.help.model_copy(update={"fr": q.help.fr + " Voir l'art. 35(12) et la fiche 26."})})
    shadow = type(content)(**{**content.__dict__, "questions": {**content.questions, q.id: broken}})
    problems = check_all(shadow)
    assert any("35(12)" in p for p in problems) and any("cnil-security:26" in p for p in problems)


@pytest.mark.parametrize("text, expected", [
    ("la surveillance à grande échelle (art. 35(3)(c))", ["gdpr:35(3)(c)"]),
    ("Fiches 14, 21 et 22 de la CNIL", ["cnil-security:14", "cnil-security:21", "cnil-security:22"]),
    ("Mesures 8 et 29 de l'ANSSI", ["anssi-hygiene:8", "anssi-hygiene:29"]),
    ("ReCyF en fait une exigence (mesure 8.3)", ["recyf:8.3"]),
    ("PA-066 R40 et R40-", ["anssi-pa-066:R40", "anssi-pa-066:R40-"]),
    ("conservation d'un mois au plus (L252-5)", ["csi:L252-5"]),
    ("la loi REEN (n° 2021-1485, art. 35)", []),  # another law's article: not read as the GDPR's
])
def test_prose_citations_are_read(text, expected):
    assert prose_refs(text) == expected


def test_topic_frameworks_are_presented_as_topics(content):
    for key in ("anssi-pa-009", "anssi-bp-038", "anssi-pg-078"):
        fw = content.frameworks[key]
        assert fw.numbering == "topics"
        assert all(i.title.fr.startswith("Thème") for i in fw.items)
