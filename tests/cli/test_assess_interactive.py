"""The real interactive interview in a pseudo-terminal (pexpect): `python -m cyberaudit assess ...`.

Covers organisation creation, help, notes, back, quit, a kill -9 in the middle and the resume that
keeps every answer, the review mode, one theme, and a probe finding shown beside its question.
"""

from __future__ import annotations

import os
import re
import signal
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

from cyberaudit.content.loader import load_content  # noqa: E402
from cyberaudit.disk.workspace import create  # noqa: E402
from cyberaudit.interview.answers import load, save_many  # noqa: E402
from cyberaudit.interview.engine import applicable, next_unanswered  # noqa: E402
from cyberaudit.model import Answer, Organisation  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
QID = re.compile(r"\[([a-z]+\.[a-z0-9_]+\.[a-z0-9_]+)\]")
PROMPT = "Votre réponse : "


def spawn(ws: Path, *args: str, lang: str = "fr", no_scan: bool = True):
    # TERM=dumb: no colours or cursor codes; COLUMNS/LINES: wide enough that Rich wraps no line
    env = dict(os.environ, TERM="dumb", NO_COLOR="1", CYBERAUDIT_LANG=lang, PYTHONPATH=str(ROOT),
               COLUMNS="250", LINES="60")
    flags = ["--no-scan"] if no_scan else []
    return pexpect.spawn(sys.executable, ["-m", "cyberaudit", "assess", "--workspace", str(ws), *flags, *args],
                         env=env, encoding="utf-8", timeout=30, dimensions=(60, 250), cwd=str(ROOT))


def question(child, prompt: str = PROMPT) -> str:
    child.expect(QID)
    qid = child.match.group(1)
    child.expect_exact(prompt)
    return qid


def say(child, expected: str, line: str) -> None:
    child.expect_exact(expected)
    child.sendline(line)


def reply_for(qid: str) -> str:
    q = load_content().questions[qid]
    if q.answer == "date":
        return "2026-01-15"
    if q.answer == "number":
        return "3"
    return "1" if sum(map(ord, qid)) % 2 else "3"  # a mix of first and third options


def finish(child) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


@pytest.fixture
def ws(tmp_path):
    org = Organisation(name="Commune de Test", siren="213501232", kind="commune", population=5000,
                       assessor="Marie Dupont")
    return create(tmp_path / "ws", org)


def test_create_organisation_then_answer_with_help_note_and_back(tmp_path):
    root = tmp_path / "new"
    child = spawn(root)
    say(child, "Nom de la collectivité", "Commune de Test")
    say(child, "SIREN", "123456789")
    say(child, "SIREN invalide", "213501232")
    say(child, "Type (numéro)", "2")  # the second profile in the list
    say(child, "Population", "1 200")
    say(child, "Nom du DPO", "Marie Dupont")
    say(child, "Courriel du DPO", "dpo@mairie-test.example")
    say(child, "3. mutualisé", "3")
    say(child, "Prestataire", "")
    say(child, "Domaines", "Mairie-Test.example, ;id")
    child.expect_exact("Domaines")  # asked again: ';id' is not a domain name
    assert ";id" in child.before
    child.sendline("mairie-test.example")
    child.expect_exact("organisation.yaml créé")
    assert question(child) == "gov.dpo.designated"
    child.sendline("?")
    child.expect_exact("Toute autorité publique doit désigner un DPO")
    child.expect_exact(PROMPT)
    child.sendline("n")
    say(child, "Note", "délibération du 3 mars 2024")
    say(child, PROMPT, "1")
    child.expect_exact("✓ Réponse enregistrée")
    assert question(child) == "gov.dpo.declared"
    child.sendline("r")  # back to the previous question, which shows its saved answer
    assert question(child) == "gov.dpo.designated"
    assert "Réponse actuelle : Oui" in child.before
    child.sendline("non")
    child.expect_exact("✓ Réponse enregistrée")
    nxt = question(child)
    assert nxt == "gov.cyber.measures"  # the DPO follow-ups are no longer asked
    child.sendline("peut-être")
    child.expect_exact("Réponse non reconnue")
    child.expect_exact(PROMPT)
    child.sendline("q")
    child.expect_exact("Reprise : cyberaudit assess --workspace")
    assert finish(child) == 0

    from cyberaudit.disk.workspace import Workspace

    org = Workspace(root).load_organisation()
    assert (org.name, org.siren, org.kind, org.population) == ("Commune de Test", "213501232", "commune", 1200)
    assert [d.name for d in org.inventory.domains] == ["mairie-test.example"]
    assert (org.dpo.name, org.dpo.email, org.dpo.type) == ("Marie Dupont", "dpo@mairie-test.example", "shared")
    answers = load(Workspace(root))
    assert list(answers) == ["gov.dpo.designated"]
    a = answers["gov.dpo.designated"]
    assert a.value == "no" and a.note == "délibération du 3 mars 2024" and a.by == "Marie Dupont" and a.at


def test_kill_9_in_the_middle_then_resume_keeps_every_answer(ws):
    content = load_content()
    profile = content.profile("commune")
    child = spawn(ws.root)
    given: dict[str, str] = {}
    for _ in range(6):
        qid = question(child)
        child.sendline(reply_for(qid))
        child.expect_exact("✓ Réponse enregistrée")
        given[qid] = reply_for(qid)
    question(child)
    child.send("2")  # typing, no Enter yet
    child.kill(signal.SIGKILL)
    child.close(force=True)
    saved = load(ws)
    assert list(saved) == list(given)
    stamps = {qid: (a.value, a.at) for qid, a in saved.items()}

    # resume: starts at the first unanswered question and keeps what was answered
    expected = next_unanswered(content, profile, saved, population=5000).id
    child = spawn(ws.root)
    first = question(child)
    assert first == expected and first not in given
    child.sendline(reply_for(first))
    child.expect_exact("✓ Réponse enregistrée")
    second = question(child)
    child.sendline(reply_for(second))
    child.expect_exact("✓ Réponse enregistrée")
    question(child)
    child.sendline("q")
    assert finish(child) == 0
    after = load(ws)
    assert set(after) == set(given) | {first, second}
    assert {qid: (a.value, a.at) for qid, a in after.items() if qid in given} == stamps

    # kill -9 right after an answer is sent: the file is never half-written
    child = spawn(ws.root)
    qid = question(child)
    child.sendline(reply_for(qid))
    child.kill(signal.SIGKILL)
    child.close(force=True)
    final = load(ws)
    assert set(after) <= set(final) <= set(after) | {qid}


def test_review_keeps_or_replaces_answers(ws):
    now = Answer(value="yes", by="Marie", at="2026-05-01T10:00:00+00:00")
    save_many(ws, {"gov.dpo.designated": now, "gov.dpo.declared": now, "bcp.backup.offline": now})
    child = spawn(ws.root, "--review", lang="en")
    assert question(child, "Your answer: ") == "gov.dpo.designated"
    assert "Current answer: Yes" in child.before
    child.sendline("")  # keep
    assert question(child, "Your answer: ") == "gov.dpo.declared"
    child.sendline("no")
    child.expect_exact("✓ Answer saved")
    assert question(child, "Your answer: ") == "bcp.backup.offline"
    child.sendline("q")
    assert finish(child) == 0
    got = load(ws)
    assert got["gov.dpo.designated"] == now
    assert got["gov.dpo.declared"].value == "no" and got["gov.dpo.declared"].by == "Marie Dupont"
    assert got["bcp.backup.offline"] == now


def test_theme_only_and_probe_finding_shown_beside_its_question(ws):
    from cyberaudit.assessment.joins import apply
    from cyberaudit.disk.fileio import write_json
    from cyberaudit.model import Finding, ScanResult, Severity, Status, TargetResult, Text

    vpn = Finding(id="mfa.surface.vpn", status=Status.WARN, severity=Severity.HIGH, source="probe",
                  title=Text(fr="Portail VPN exposé : MFA à confirmer", en="Exposed VPN portal: MFA to be confirmed"),
                  target="vpn.mairie-test.example", evidence={"product": "Fortinet SSL-VPN"})
    write_json(ws.path("scans/latest.json"),
               ScanResult(tool_version="test", results=[TargetResult(target=vpn.target, findings=[vpn])]))
    content = load_content()
    profile = content.profile("commune")
    answers = {"iam.remote.vpn": Answer(value="yes")}
    for q in applicable(content, profile, answers, 5000):
        if q.theme == "identity" and q.id not in answers and q.id != "iam.mfa.vpn":
            answers[q.id] = Answer(value="unknown")
    save_many(ws, answers)
    child = spawn(ws.root, "--theme", "identity")
    assert question(child) == "iam.mfa.vpn"
    assert "L'analyse a trouvé : Portail VPN exposé : MFA à confirmer — vpn.mairie-test.example Fortinet SSL-VPN" \
        in child.before
    child.sendline("oui")
    child.expect_exact("✓ Réponse enregistrée")
    child.expect_exact("0 question(s) sans réponse")
    assert finish(child) == 0
    saved = load(ws)
    (joined,) = apply([vpn], saved, content)
    assert joined.status is Status.PASS and joined.evidence["interview"]["question"] == "iam.mfa.vpn"


def test_skip_link_and_end_of_input(ws):
    child = spawn(ws.root)
    assert question(child) == "gov.dpo.designated"
    child.sendline("p")  # skip: asked again next time
    assert question(child) == "gov.cyber.measures"
    child.sendline("l")
    say(child, "Lien vers une preuve", "https://intranet.example/plan-cyber.pdf")
    child.expect_exact(PROMPT)
    child.sendline("2")
    child.expect_exact("✓ Réponse enregistrée")
    question(child)
    child.sendeof()  # Ctrl-D: save and quit
    child.expect_exact("Reprise : cyberaudit assess --workspace")
    assert finish(child) == 0
    saved = load(ws)
    assert list(saved) == ["gov.cyber.measures"]
    assert saved["gov.cyber.measures"].value == "partial"
    assert saved["gov.cyber.measures"].evidence_link == "https://intranet.example/plan-cyber.pdf"
    child = spawn(ws.root)
    assert question(child) == "gov.dpo.designated"  # the skipped question is the first unanswered one
    child.sendline("q")
    assert finish(child) == 0


def _answer_all_but_one(ws, content, profile, population: int) -> str:
    """Save an answer to every applicable question except the last one; return that one's ID."""
    answers: dict[str, Answer] = {}
    for _ in range(10):  # conditions reveal follow-up questions; stop when stable
        qs = applicable(content, profile, answers, population)
        new = {q.id: Answer(value=reply_value(q)) for q in qs if q.id not in answers}
        if not new:
            break
        answers.update(new)
    last = list(answers)[-1]
    del answers[last]
    save_many(ws, answers)
    return last


def reply_value(q) -> str:
    if q.answer == "date":
        return "2026-01-15"
    if q.answer == "choice":
        return q.choices[0].key
    if q.answer == "number":
        return "0"
    return "yes"


def test_whole_flow_scan_offer_declined_then_register_and_report(tmp_path):
    org = Organisation(name="Commune de Test", siren="213501232", kind="petite-commune", population=800,
                       inventory={"domains": [{"name": "mairie-test.example"}]})
    ws = create(tmp_path / "ws", org)
    content = load_content()
    last = _answer_all_but_one(ws, content, content.profile("petite-commune"), 800)
    child = spawn(ws.root, no_scan=False)
    say(child, "Analyser maintenant les 1 actifs déclarés", "n")  # no packet leaves: the scan is declined
    child.expect_exact("Analyse passée")
    assert question(child) == last
    child.sendline("1")
    child.expect_exact("✓ Réponse enregistrée")
    child.expect_exact("Étape 4")
    child.expect_exact("Étape 5")
    child.expect(r"Note : ([A-F]( \(provisoire\))?|non évalué)")  # the grade, or provisional
    child.expect_exact("Couverture ")
    child.expect(r"Les \d premières actions :|Pour écrire")  # every answer was the best one: maybe none
    child.expect_exact(f"Pour écrire les rapports : cyberaudit report --workspace {ws.root}")
    say(child, "Écrire les rapports maintenant", "o")
    child.expect_exact("✓ écrit")
    assert finish(child) == 0
    assert not (ws.root / "scans" / "latest.json").exists()
    assert len(load(ws)) >= 100
    assert sorted(p.suffix for p in (ws.root / "reports").glob("rapport-*")) == [".html", ".html", ".json", ".md", ".md"]


def test_a_note_is_saved_when_confirmed_before_the_answer_and_survives_kill_9(ws):
    child = spawn(ws.root)
    first = question(child)
    child.sendline("n")
    say(child, "Note", "clé du local chez la secrétaire")
    child.expect_exact("✓ Enregistré ; la réponse que vous allez donner l'accompagnera.")
    child.expect_exact(PROMPT)
    child.kill(signal.SIGKILL)
    child.close()
    draft = load(ws)[first]
    assert draft.note == "clé du local chez la secrétaire" and draft.value is None  # kept, still unanswered
    child = spawn(ws.root)
    assert question(child) == first  # the question is asked again...
    child.sendline("1")
    child.expect_exact("✓ Réponse enregistrée")
    question(child)
    child.sendline("q")
    assert finish(child) == 0
    saved = load(ws)[first]
    assert saved.value is not None and saved.note == "clé du local chez la secrétaire"  # ... and the note went with it


def test_review_note_while_keeping_the_answer_is_saved(ws):
    save_many(ws, {"gov.dpo.designated": Answer(value="yes", by="Marie Dupont")})
    child = spawn(ws.root, "--review")
    assert question(child) == "gov.dpo.designated"
    child.sendline("n")
    say(child, "Note", "délibération du 14 mars 2023")
    child.expect_exact("✓ Enregistré avec la réponse actuelle.")
    child.expect_exact(PROMPT)
    child.sendline("")  # keep the answer
    assert finish(child) == 0
    a = load(ws)["gov.dpo.designated"]
    assert a.value == "yes" and a.note == "délibération du 14 mars 2023" and a.by == "Marie Dupont"


def test_quit_counts_every_answer_and_ctrl_c_says_what_happened(ws):
    save_many(ws, {"gov.dpo.designated": Answer(value="yes")})
    child = spawn(ws.root)
    question(child)
    child.sendline("3")
    child.expect_exact("✓ Réponse enregistrée")
    question(child)
    child.sendline("q")
    child.expect(r"1 réponse\(s\) donnée\(s\) pendant cette séance ; 2 sur \d+ en tout")
    assert finish(child) == 0
    child = spawn(ws.root)
    question(child)
    child.sendintr()
    child.expect_exact("Interrompu (Ctrl-C) : tout ce qui a été répondu est enregistré.")
    child.expect_exact(f"cyberaudit assess --workspace {ws.root}")
    assert finish(child) == 130


def test_scan_step_runs_the_declared_scan_on_loopback_and_saves_it(tmp_path):
    """A real scan of the declared inventory: one loopback host, TLS only, nothing listening."""
    import json

    from tests.lab.util import lab_address

    host = lab_address("tls")
    org = Organisation(name="Commune de Test", siren="213501232", kind="commune",
                       inventory={"hosts": [{"name": host, "scope": ["tls"]}]})
    ws = create(tmp_path / "ws", org)
    child = spawn(ws.root, no_scan=False)
    say(child, "Analyser maintenant les 1 actifs déclarés", "")  # Enter = yes
    child.expect_exact("✓ Analyse enregistrée")
    assert question(child) == "gov.dpo.designated"  # the interview starts once the scan is saved
    child.sendline("q")
    assert finish(child) == 0
    saved = json.loads((ws.root / "scans" / "latest.json").read_text())
    assert saved["schema"] == "cyberaudit/scan/v2"
    assert [r["target"] for r in saved["results"]] == [host]
    assert saved["results"][0]["findings"]
    assert {f["id"].split(".")[0] for f in saved["results"][0]["findings"]} <= {"tls", "web"}
    # asked again later, the default is now "no": the existing scan is kept
    child = spawn(ws.root, no_scan=False)
    say(child, "Une analyse existe déjà. La relancer ?", "")
    child.expect_exact("Analyse passée")
    question(child)
    child.sendline("q")
    assert finish(child) == 0
