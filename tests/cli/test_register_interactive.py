"""Interactive `python -m cyberaudit register add` in a pseudo-terminal (pexpect): refused values, a kill -9
midway that keeps every answer in the draft, `register add --resume` that continues it, templates, quit, edit."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

from cyberaudit.disk.workspace import create  # noqa: E402
from cyberaudit.model import Organisation  # noqa: E402
from cyberaudit.register import store  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PROMPT = "Votre réponse : "


def spawn(ws, *args: str, command: str = "register"):
    env = dict(os.environ, TERM="dumb", NO_COLOR="1", CYBERAUDIT_LANG="fr", PYTHONPATH=str(ROOT),
               COLUMNS="250", LINES="60")
    return pexpect.spawn(sys.executable, ["-m", "cyberaudit", command, *args, "--workspace", str(ws.root)],
                         env=env, encoding="utf-8", timeout=30, dimensions=(60, 250), cwd=str(ROOT))


def answer(child, field: str, line: str) -> None:
    child.expect_exact(field)
    child.expect_exact(PROMPT)
    child.sendline(line)


def finish(child) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def accept_all(child) -> None:
    """Enter on every remaining field, then confirm the save."""
    while True:
        i = child.expect_exact([PROMPT, "Enregistrer au registre ? (o/n) : ", "… "])
        if i == 1:
            child.sendline("o")
            return
        child.sendline("")


@pytest.fixture
def ws(tmp_path):
    return create(tmp_path / "ws", Organisation(name="Commune de Test", siren="213501232", kind="commune",
                                                assessor="Marie Dupont"))


def test_kill_midway_then_resume_keeps_every_answer(ws):
    child = spawn(ws, "add")
    child.expect_exact("Registre des personnes vulnérables")  # the templates of a commune are offered
    child.expect_exact("Modèle (numéro, ou Entrée pour une fiche vide) : ")
    child.sendline("")
    answer(child, "Nom du traitement", "Portail famille")
    answer(child, "Service responsable", "Enfance")
    answer(child, "Rôle de la collectivité", "1")
    answer(child, "Finalité principale", "Inscriptions et facturation")
    answer(child, "Sous-finalités", "")
    answer(child, "Base légale", "6.1.z")
    child.expect_exact("… ")
    child.sendline("")
    child.expect_exact("base légale inconnue")
    child.expect_exact(PROMPT)
    child.sendline("6.1.e | Délibération du conseil municipal")
    child.expect_exact("… ")
    child.sendline("")
    answer(child, "Personnes concernées", "6, 7")
    child.expect_exact("Nombre de personnes concernées")
    child.expect_exact(PROMPT)
    child.kill(signal.SIGKILL)
    child.close()
    assert child.signalstatus == signal.SIGKILL

    assert store.load_all(ws) == []
    draft = store.load_draft(ws, "t-001")
    assert draft["data"]["name"] == "Portail famille"
    assert draft["data"]["legal_bases"] == [{"basis": "6.1.e", "text": "Délibération du conseil municipal"}]
    assert draft["data"]["data_subjects"] == ["minors", "families"]

    child = spawn(ws, "add", "--resume")
    child.expect_exact("Reprise du brouillon t-001")
    answer(child, "Nombre de personnes concernées", "r")  # back: the previous answer is shown again
    child.expect_exact("Personnes concernées")
    child.expect_exact("Mineurs, élèves")
    child.expect_exact(PROMPT)
    child.sendline("")
    answer(child, "Nombre de personnes concernées", "350")
    accept_all(child)
    child.expect_exact("Enregistrée : register/T-001.yaml")
    assert finish(child) == 0

    (act,) = store.load_all(ws)
    assert (act.id, act.name, act.owner_service, act.estimated_subjects) == ("T-001", "Portail famille", "Enfance", 350)
    assert act.legal_bases[0].basis == "public_task" and act.data_subjects == ["minors", "families"]
    assert act.updated_by == "Marie Dupont"
    assert store.list_drafts(ws) == []


def test_template_quit_keeps_the_draft_and_resume_saves_it(ws):
    child = spawn(ws, "add", "--from-template", "videoprotection")
    child.expect_exact("Modèle : videoprotection")
    answer(child, "Nom du traitement", "")  # keep the template's name
    answer(child, "Service responsable", "q")
    child.expect_exact("Brouillon enregistré (t-001)")
    assert finish(child) == 0
    assert store.load_draft(ws, "t-001")["data"]["video"] == {"scope": "public_places"}

    child = spawn(ws, "add", "--resume")
    while child.expect_exact([PROMPT, "… ", "AIPD : critères WP248"]) != 2:
        child.sendline("")  # keep the template's values
    child.expect_exact("D'après la fiche")  # the criteria the record already shows, and art. 35(3)
    child.expect_exact("surveillance systématique (video: public_places)")
    child.expect_exact("Art. 35(3)")
    accept_all(child)
    assert finish(child) == 0
    (act,) = store.load_all(ws)
    assert act.template == "videoprotection" and act.retention.duration == "1 mois"  # CSI L252-5 says one month
    assert act.name.startswith("Vidéoprotection")


def test_edit_changes_one_field_and_keeps_the_rest(ws):
    from cyberaudit.register.templates import get

    store.save(ws, get("bibliotheque").activity("T-004"))
    child = spawn(ws, "edit", "T-004")
    answer(child, "Nom du traitement", "Médiathèque intercommunale")
    accept_all(child)
    assert finish(child) == 0
    act = store.load(ws, "T-004")
    assert act.name == "Médiathèque intercommunale" and act.template == "bibliotheque"
    assert act.legal_bases[0].text.startswith("Code du patrimoine")


def test_required_name_and_resume_without_draft(ws):
    child = spawn(ws, "add")
    child.expect_exact("Modèle (numéro")
    child.sendline("zzz")
    child.expect_exact("Modèle inconnu")
    child.expect_exact("Modèle (numéro")
    child.sendline("")
    answer(child, "Nom du traitement", "")
    child.expect_exact("Champ obligatoire")
    child.expect_exact(PROMPT)
    child.sendeof()
    child.expect_exact("Brouillon enregistré")
    assert finish(child) == 0
    store.delete_draft(ws, "t-001")
    child = spawn(ws, "add", "--resume")
    child.expect_exact("aucun brouillon")
    assert finish(child) == 2


def test_an_id_taken_meanwhile_is_not_overwritten(ws):
    from cyberaudit.register.templates import get

    child = spawn(ws, "add", "--from-template", "bibliotheque")
    answer(child, "Nom du traitement", "q")
    assert finish(child) == 0
    store.save(ws, get("etat-civil").activity("T-001"))  # e.g. an import while the draft waited
    child = spawn(ws, "add", "--resume")
    accept_all(child)
    assert "la fiche devient T-002" in child.before  # said before the save question
    assert finish(child) == 0
    assert store.load(ws, "T-001").template == "etat-civil" and store.load(ws, "T-002").template == "bibliotheque"


def test_template_picked_by_number(ws):
    from cyberaudit.register.templates import for_profile

    first = for_profile("commune")[0]
    child = spawn(ws, "add")
    child.expect_exact("Modèle (numéro")
    child.sendline("1")
    child.expect_exact(f"Modèle : {first.id}")
    accept_all(child)
    assert finish(child) == 0
    assert store.load(ws, "T-001").template == first.id
