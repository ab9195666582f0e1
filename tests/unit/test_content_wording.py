"""One question asks one thing: the wording lint finds compound and negative questions, reviews bind to a text."""

from __future__ import annotations

import pytest

from cyberaudit.content.loader import load_content
from cyberaudit.content.review import lint_review
from cyberaudit.content.wording import Review, Reviewed, lint_wording, signs, text_sha


@pytest.mark.parametrize("text, rule", [
    ("Les analyses d'impact ont-elles été réalisées et validées ?", "compound"),
    ("La désignation a-t-elle été déclarée à la CNIL, et ses coordonnées sont-elles publiées ?", "compound"),
    ("Le prestataire forme-t-il ses techniciens ainsi que vos agents ?", "compound"),
    ("Les journaux sont-ils activés, conservés plusieurs mois, consultés en cas d'alerte ?", "compound"),
    ("Si vous avez des caméras : autorisation préfectorale, panneaux, durée ?", "compound"),
    ("Aucun système n'est-il utilisé après la fin de son support ?", "negative"),
    ("Le DPO n'occupe-t-il pas un poste qui le met en conflit d'intérêts ?", "negative"),
    ("Les agents ne partagent-ils jamais leur mot de passe ?", "negative"),
])
def test_signs_are_found(text, rule):
    assert rule in signs(text)


@pytest.mark.parametrize("text", [
    "La collectivité tient-elle un registre des activités de traitement (état civil, listes électorales, paie) ?",
    "Chaque personne utilise-t-elle son propre compte nominatif, sans compte partagé ?",
    "Le Wi-Fi public est-il séparé du réseau des agents ? Répondez « non applicable » s'il n'y a pas de Wi-Fi.",
    "Question pour votre prestataire : les sauvegardes sont-elles chiffrées ?",
])
def test_single_positive_questions_pass(text):
    assert signs(text) == {}


def test_negative_forms_matter_for_yes_no_questions_only():
    text = "Combien de postes fonctionnent avec un système qui ne reçoit plus de mises à jour ?"
    assert "negative" in signs(text) and "negative" not in signs(text, yesno=False)


def test_no_compound_or_negative_question_is_left_unreviewed():
    content = load_content()
    assert lint_review(content) == []
    flagged = [qid for qid, q in content.questions.items() if signs(q.text.fr, q.answer == "yesno")]
    assert len(flagged) <= 3  # the reviewed list stays short: rewrite rather than review


def _question(content, qid, fr):
    q = content.questions[qid]
    return q.model_copy(update={"text": q.text.model_copy(update={"fr": fr})})


def test_a_review_is_bound_to_the_text_it_approved():
    content = load_content()
    text = "Les analyses d'impact ont-elles été réalisées et validées ?"
    q = _question(content, "priv.dpia.done", text)
    review = Review(question=q.id, rule="compound", text_sha=text_sha(text), reason="reviewed for the test")
    assert lint_wording({q.id: q}, Reviewed(reviewed=[review])) == []
    changed = _question(content, "priv.dpia.done", text.replace("validées", "signées"))
    problems = lint_wording({q.id: changed}, Reviewed(reviewed=[review]))
    assert len(problems) == 1 and "another text" in problems[0][1]


def test_a_stale_review_is_reported():
    content = load_content()
    q = content.questions["gov.dpo.declared"]
    review = Review(question=q.id, rule="compound", text_sha=text_sha(q.text.fr), reason="no longer compound")
    problems = lint_wording({q.id: q}, Reviewed(reviewed=[review]))
    assert any("no sign of a compound question any more" in m for _, m in problems)
    gone = Review(question="gov.dpo.gone", rule="negative", text_sha="0" * 12, reason="question removed")
    assert any("is not a question" in m for _, m in lint_wording({q.id: q}, Reviewed(reviewed=[gone])))


def test_provider_questions_say_who_answers():
    content = load_content()
    q = content.questions["bcp.backup.offline"]
    assert q.owner == "it_provider" and q.text.fr.startswith("Question pour votre prestataire : ")
    bare = _question(content, q.id, "Les sauvegardes sont-elles hors ligne ?")
    assert any("starts with" in m for _, m in lint_wording({q.id: bare}, Reviewed()))
