"""The shipped content: banks, frameworks and profiles are complete, exact and consistent."""

from __future__ import annotations

import pytest

from cyberaudit.content.lint import lint_probe_refs
from cyberaudit.content.loader import lint, load_content
from cyberaudit.content.locate import profile_ids
from cyberaudit.content.model import THEME_PREFIX
from cyberaudit.interview.engine import selected

# Official titles of the ANSSI Guide d'hygiène informatique v2 (2017), pinned (references.md §2.1).
ANSSI_TITLES = {
    1: "Former les équipes opérationnelles à la sécurité des systèmes d'information",
    3: "Maîtriser les risques de l'infogérance",
    5: "Disposer d'un inventaire exhaustif des comptes privilégiés et le maintenir à jour",
    8: "Identifier nommément chaque personne accédant au système et distinguer les rôles utilisateur/administrateur",
    13: "Privilégier lorsque c'est possible une authentification forte",
    19: "Segmenter le réseau et mettre en place un cloisonnement entre ces zones",
    24: "Protéger sa messagerie professionnelle",
    29: "Limiter au strict besoin opérationnel les droits d'administration sur les postes de travail",
    32: "Sécuriser la connexion réseau des postes utilisés en situation de nomadisme",
    34: "Définir une politique de mise à jour des composants du système d'information",
    37: "Définir et appliquer une politique de sauvegarde des composants critiques",
    39: "Désigner un référent en sécurité des systèmes d'information et le faire connaître auprès du personnel",
    40: "Définir une procédure de gestion des incidents de sécurité",
    41: "Mener une analyse de risques formelle",
    42: "Privilégier l'usage de produits et de services qualifiés par l'ANSSI",
}
R_ONLY = {38, 41, 42}
S_PLUS_R = {2, 6, 7, 8, 12, 13, 14, 15, 17, 22, 24, 25, 27, 28, 30, 32, 33, 36, 37}
CNIL_FICHES = {1: "Piloter la sécurité des données", 17: "Sauvegarder", 22: "Cloud",
               23: "Applications mobiles : conception et développement",
               24: "Intelligence artificielle : conception et apprentissage",
               25: "API : interfaces de programmation applicative"}
BANKS = ["rgpd", "anssi-hygiene", "acces-mfa", "continuite", "cnil-securite", "formation", "sobriete"]


@pytest.fixture(scope="module")
def content():
    return load_content()


def test_shipped_content_lints_clean():
    content, problems = lint()
    assert [str(p) for p in problems] == []
    assert [str(p) for p in lint_probe_refs(content.frameworks, content)] == []


def test_banks_and_size(content):
    assert sorted(content.banks) == sorted(BANKS)
    assert 150 <= len(content.questions) <= 200  # 122 before compound questions were split (issue 19)
    for bank in BANKS:
        assert len(content.banks[bank].questions) >= 7, bank


def test_anssi_framework_numbers_titles_levels(content):
    fw = content.frameworks["anssi-hygiene"]
    assert [i.id for i in fw.items] == [str(n) for n in range(1, 43)]
    titles = {int(i.id): i.title.fr for i in fw.items}
    for n, title in ANSSI_TITLES.items():
        assert titles[n] == title
    levels = {int(i.id): i.level for i in fw.items}
    assert {n for n, lv in levels.items() if lv == "R"} == R_ONLY
    assert {n for n, lv in levels.items() if lv == "S+R"} == S_PLUS_R
    assert sum(1 for lv in levels.values() if lv == "S") == 20


def test_every_anssi_measure_has_a_question_in_its_bank(content):
    covered = {r.split(":")[1] for q in content.banks["anssi-hygiene"].questions for r in q.refs
               if r.startswith("anssi-hygiene:")}
    assert covered >= {str(n) for n in range(1, 43)}


def test_anssi_questions_state_measure_and_level_in_help(content):
    levels = {i.id: i.level for i in content.frameworks["anssi-hygiene"].items}
    for q in content.banks["anssi-hygiene"].questions:
        first = next((r.split(":")[1] for r in q.refs if r.startswith("anssi-hygiene:")), None)
        if first is None or not q.help.fr.startswith("Mesure"):
            continue
        assert f"Mesure {first} (niveau {levels[first]}" in q.help.fr, q.id


def test_cnil_fiches_all_cited(content):
    fw = content.frameworks["cnil-security"]
    assert [int(i.id) for i in fw.items] == list(range(1, 26))
    for n, title in CNIL_FICHES.items():
        assert fw.item(str(n)).title.fr == title
    cited = {r.split(":")[1].split(".")[0] for q in content.questions.values() for r in q.refs
             if r.startswith("cnil-security:")}
    assert cited == {str(n) for n in range(1, 26)}
    in_bank = {r.split(":")[1].split(".")[0] for q in content.banks["cnil-securite"].questions for r in q.refs
               if r.startswith("cnil-security:")}
    assert in_bank == cited  # the CNIL bank itself cites every fiche


def test_gdpr_articles_cover_the_issue(content):
    cited = {r.split(":")[1].split("(")[0] for q in content.banks["rgpd"].questions for r in q.refs
             if r.startswith("gdpr:")}
    assert {"37", "38", "30", "35", "33", "34", "28", "13", "14", "12", "15", "44", "5"} <= cited
    assert content.frameworks["gdpr"].item("100") is None and content.frameworks["gdpr"].item("99") is not None


def test_question_ids_and_prefixes(content):
    for qid, q in content.questions.items():
        assert qid.split(".")[0] == THEME_PREFIX[q.theme]
        assert q.title.fr.strip() and q.title.en.strip() and q.help.fr.strip() and q.remediation.en.strip()


def test_mfa_surfaces_are_confirmed_by_questions(content):
    confirmed = {fid for q in content.banks["acces-mfa"].questions for fid in q.confirms}
    assert confirmed == {f"mfa.surface.{k}" for k in
                         ("vpn", "webmail", "remote_desktop", "admin", "cloud_suite", "ssh_password")}


def test_survey_questions_exist(content):
    """The territory barometer keys on these (ANPP survey: DPO, cyber measures, sobriety charter, data location)."""
    for qid, theme in [("gov.dpo.designated", "governance"), ("gov.cyber.measures", "governance"),
                       ("eco.charter.adopted", "sobriety"), ("priv.location.known", "rgpd")]:
        assert content.questions[qid].theme == theme
        assert content.questions[qid].answer == "yesno"


def test_profiles_exact_and_facts(content):
    expected = ["commune", "departement", "epci", "grande-commune", "petite-commune", "petr", "syndicat-mixte"]
    assert sorted(content.profiles) == expected == profile_ids()
    for p in content.profiles.values():
        assert p.facts.dpo_mandatory is True
        assert "gov.dpo.designated" in p.essential
        assert p.facts.nis2.note.fr.strip() and p.facts.reen_note.fr.strip()
    assert content.profile("petite-commune").facts.population.max == 3499
    assert content.profile("commune").facts.population.min == 3500
    for pid in ("grande-commune", "epci"):
        assert content.profile(pid).facts.reen_strategy == "above_threshold"
        assert content.profile(pid).facts.reen_threshold == 50000
    for pid in ("petite-commune", "commune", "petr", "departement", "syndicat-mixte"):
        assert content.profile(pid).facts.reen_strategy == "not_required"
    assert content.profile("departement").facts.nis2.status == "essential"
    assert content.profile("syndicat-mixte").facts.nis2.status == "to_check"


@pytest.mark.parametrize("pid, population, asked", [
    ("grande-commune", 60000, True), ("grande-commune", 40000, False), ("grande-commune", None, True),
    ("epci", 50001, True), ("epci", 12000, False), ("petite-commune", 800, False), ("departement", 500000, False),
])
def test_reen_question_follows_the_population_rule(content, pid, population, asked):
    ids = {q.id for q in selected(content, content.profile(pid), population)}
    assert ("eco.reen.strategy" in ids) is asked


def test_profile_skips_take_effect(content):
    small = {q.id for q in selected(content, content.profile("petite-commune"))}
    assert "gov.risk.analysis" not in small and "iam.admin.network" not in small
    assert "gov.risk.analysis" in {q.id for q in selected(content, content.profile("departement"))}


def test_probe_cross_check_catches_a_typo(content):
    import copy

    broken = copy.copy(content)
    broken.profiles = {**content.profiles, "commune": content.profile("commune").model_copy(
        update={"essential": ["ports.rdp.exposd"]})}
    assert not [p for p in lint_probe_refs(content.frameworks, content) if "ports.rdp.exposed" in p.message]
    assert any("ports.rdp.exposd" in p.message for p in lint_probe_refs(content.frameworks, broken))
