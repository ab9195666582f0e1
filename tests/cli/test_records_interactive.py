"""Interactive `python -m cyberaudit incident add` in a pseudo-terminal (pexpect): refused times (daylight-saving
gap, awareness before the event, the future), a kill -9 midway that keeps every answer in the draft, and
`incident add --resume` that continues it and writes breaches/V-YYYY-001.yaml."""

from __future__ import annotations

import datetime as dt
import signal

import pytest

pexpect = pytest.importorskip("pexpect")

from cyberaudit.disk.workspace import create  # noqa: E402
from cyberaudit.model import Organisation  # noqa: E402
from cyberaudit.records import store  # noqa: E402
from tests.cli.test_register_interactive import PROMPT, answer  # noqa: E402
from tests.cli.test_register_interactive import spawn as spawn_cli  # noqa: E402


def spawn(ws, *args: str):
    return spawn_cli(ws, *args, command="incident")


def refused(child, why: str, line: str) -> None:
    child.expect_exact(why)
    child.expect_exact(PROMPT)
    child.sendline(line)


@pytest.fixture
def ws(tmp_path):
    return create(tmp_path / "ws", Organisation(name="Commune de Test", siren="213501232", kind="commune",
                                                dpo={"name": "Marie Dupont"}))


def test_kill_midway_then_resume_keeps_every_answer(ws):
    year = dt.datetime.now(dt.UTC).year
    target = f"V-{year}-001"
    child = spawn(ws, "add")
    answer(child, "Résumé en une ligne", "Clé USB perdue \x1b[31m")
    answer(child, "Début de la violation", "2026-03-29 02:30")  # skipped by the spring change in Paris
    refused(child, "n'existe pas", "2026-03-28 18:00")
    answer(child, "Prise de connaissance", "2026-03-28 17:00")
    refused(child, "précède la violation", "2099-01-01 10:00")
    refused(child, "dans le futur", "2026-03-29 09:00")
    answer(child, "Origine", "1")
    answer(child, "Nature", "1, 3")
    child.expect_exact("Circonstances")
    child.expect_exact(PROMPT)
    child.kill(signal.SIGKILL)
    child.close()

    draft = store.load_draft(ws, store.BREACHES, target.lower())
    assert draft["target"] == target
    assert draft["data"] == {"title": "Clé USB perdue", "occurred_at": "2026-03-28T18:00:00+01:00",
                             "aware_at": "2026-03-29T09:00:00+02:00", "origin": "lost_device",
                             "nature": ["confidentiality", "availability"]}
    assert not store.exists(ws, store.BREACHES, target)

    child = spawn(ws, "add", "--resume")
    child.expect_exact(f"Reprise du brouillon {target.lower()}.")
    answer(child, "Circonstances", "Oubliée dans le train")
    answer(child, "Catégories de données", "1, 15")
    answer(child, "Catégories de personnes", "1")
    answer(child, "Nombre approximatif de personnes", "environ 40")
    refused(child, "nombre entier attendu", "40")
    screening = ""
    while True:  # Enter on every other field; the DPO's risk assessment: 2 ("Risque")
        i = child.expect_exact([PROMPT, "Enregistrer au registre des violations ? (o/n) : "])
        if i == 1:
            break
        if "Appréciation du risque par le DPO" in child.before:
            screening = child.before
            child.sendline("2")
        else:
            child.sendline("")
    # the screening is shown before the DPO's own assessment, with its reasons, and decides nothing
    assert "Pré-analyse (indicative, la décision revient au DPO)" in screening
    assert "Notification CNIL : probablement requise" in screening and "Données concernant la santé" in screening
    child.sendline("o")
    child.expect_exact(f"Enregistrée : breaches/{target}.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    saved = store.load(ws, store.BREACHES, target)
    assert saved.title == "Clé USB perdue" and saved.description == "Oubliée dans le train"
    assert saved.data_categories == ["identity", "health"] and saved.people_count == 40 and saved.risk == "risk"
    assert saved.aware_at == dt.datetime(2026, 3, 29, 7, 0, tzinfo=dt.UTC)
    assert store.list_drafts(ws, store.BREACHES) == []
    assert (ws.path("breaches") / ".gitignore").read_text() == "drafts/\n"


def test_quit_keeps_the_draft_and_resume_without_draft_is_an_error(ws):
    child = spawn(ws, "add", "--resume")
    child.expect_exact("aucun brouillon à reprendre")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    child = spawn(ws, "add")
    answer(child, "Résumé en une ligne", "Courriel au mauvais destinataire")
    answer(child, "Début de la violation", "q")
    child.expect_exact("Brouillon enregistré")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and len(store.list_drafts(ws, store.BREACHES)) == 1
