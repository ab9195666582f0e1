"""`cyberaudit request`, `incident` (non-interactive parts) and `deadlines` in-process: clocks shown, clear
errors that leave every file as it was (future dates, a closed request reopened, a breach closed without
its decisions), exports, and hostile text inert on the terminal."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from cyberaudit.disk.fileio import write_json
from cyberaudit.disk.workspace import LATEST_SCAN, create
from cyberaudit.model import Finding, Organisation, ScanResult, TargetResult, Text
from cyberaudit.records import store
from cyberaudit.records.model import Breach
from cyberaudit.register import store as register_store
from cyberaudit.register.model import Activity

HOSTILE = "GED \x1b]0;titre\x07\x1b[31m=SOMME(A1)"
TODAY = dt.datetime.now(dt.UTC).date()


@pytest.fixture
def ws(tmp_path):
    return create(tmp_path / "ws", Organisation(name="Commune de Test", siren="213501232", kind="grande-commune",
                                                population=45000, dpo={"name": "Marie Dupont"}))


def snapshot(ws) -> dict[str, bytes]:
    return {str(p.relative_to(ws.root)): p.read_bytes() for p in sorted(ws.root.rglob("*")) if p.is_file()
            and not p.name.startswith(".cyberaudit.lock")}


def test_request_lifecycle_and_a_closed_request_is_never_reopened(run_cli, ws):
    code, out, _ = run_cli("request", "add", "-w", ws.root, "--right", "access", "--received", "2026-01-31",
                           "--reference", "Courrier 2026-014", "--identity-checked")
    assert code == 0 and "D-2026-001" in out and "2026-02-28" in out
    code, out, _ = run_cli("request", "extend", "D-2026-001", "-w", ws.root, "--decided", "2026-02-20",
                           "--told", "2026-02-28", "--reason", "Demande complexe")
    assert code == 0 and "2026-04-30" in out
    code, out, _ = run_cli("request", "close", "D-2026-001", "-w", ws.root, "--answered", "2026-04-29",
                           "--outcome", "granted")
    assert code == 0 and "fait dans le délai" in out
    before = snapshot(ws)
    for args in (("close", "D-2026-001", "--answered", "2026-05-02", "--outcome", "partial"),
                 ("extend", "D-2026-001", "--decided", "2026-04-01", "--told", "2026-04-01")):
        code, _, err = run_cli("request", *args, "-w", ws.root)
        assert code == 2 and "ne se rouvre pas" in err and "Traceback" not in err
    assert snapshot(ws) == before


def test_request_bad_input_is_refused_and_nothing_is_written(run_cli, ws):
    before = snapshot(ws)
    future = (TODAY + dt.timedelta(days=3)).isoformat()
    cases = [(("--right", "access", "--received", future), "dans le futur"),
             (("--right", "oubli", "--received", "2026-01-31"), "droit inconnu"),
             (("--right", "access", "--received", "31/01/2026"), "AAAA-MM-JJ")]
    for args, message in cases:
        code, _, err = run_cli("request", "add", "-w", ws.root, *args, "--reference", "x")
        assert code == 2 and message in err, err
    assert snapshot(ws) == before


def test_extension_told_after_the_first_month_is_flagged_and_does_not_count(run_cli, ws):
    run_cli("request", "add", "-w", ws.root, "--right", "erasure", "--received", "2026-02-01", "--reference", "r")
    code, _, err = run_cli("request", "extend", "D-2026-001", "-w", ws.root, "--decided", "2026-02-20",
                           "--told", "2026-03-04")  # day 31 after 1 February: the first month ended on 1 March
    assert code == 0 and "ne compte pas" in err and "2026-03-01" in err


def test_lists_keep_hostile_text_inert(run_cli, ws):
    run_cli("request", "add", "-w", ws.root, "--right", "access", "--received", "2026-03-02", "--reference", HOSTILE)
    code, out, _ = run_cli("request", "list", "-w", ws.root)
    assert code == 0 and "\x1b" not in out and "\x07" not in out and "=SOMME" in out
    code, out, _ = run_cli("request", "export", "-w", ws.root, "-f", "csv")
    row = list(csv.reader(io.StringIO(out.lstrip("\ufeff")), delimiter=";"))[1]
    assert row[4] == "GED =SOMME(A1)"  # control sequences gone; not a formula (it does not start with =)
    assert "\x1b" not in out
    code, _, err = run_cli("request", "export", "-w", ws.root, "-f", "ods")
    assert code == 0 and (ws.path("reports") / "requests.ods").is_file()


def breach(ws, **extra) -> Breach:
    ctx = store.context(ws.load_organisation())
    aware = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=30)
    data = {"id": "V-2026-001", "title": "Rançongiciel \x1b[2J", "occurred_at": (aware - dt.timedelta(hours=2)).isoformat(),
            "aware_at": aware.isoformat(), "nature": ["availability", "confidentiality"], **extra}
    return store.save(ws, store.BREACHES, Breach.model_validate(data, context=ctx), ctx)


def test_incident_show_notice_and_close(run_cli, ws):
    breach(ws)
    code, out, _ = run_cli("incident", "show", "V-2026-001", "-w", ws.root)
    assert code == 0 and "\x1b" not in out
    assert "Notification à la CNIL (72 h, art. 33(1))" in out and "à faire" in out
    assert "NIS 2 : alerte précoce" in out and "au titre du projet de loi" in out  # grande-commune: essential
    assert "en retard" in out  # the 24 h NIS2 early warning has passed (aware 30 h ago)
    assert "Pré-analyse du risque" in out and "la décision revient au DPO" in out
    code, out, _ = run_cli("incident", "notice", "V-2026-001", "-w", ws.root)
    assert code == 0 and "NOTIFICATION DE VIOLATION" in out and "Marie Dupont" in out and "[à compléter]" in out
    before = snapshot(ws)
    code, _, err = run_cli("incident", "close", "V-2026-001", "-w", ws.root)
    assert code == 2 and "décision sur la notification CNIL" in err and "mesures prises" in err
    assert snapshot(ws) == before
    breach(ws, cnil={"notified": False, "reason_not": "Sauvegarde restaurée en 2 h, aucune donnée lue"},
           people={"informed": False, "reason_not": "Risque non élevé"}, measures_taken="Restauration")
    code, out, _ = run_cli("incident", "close", "V-2026-001", "-w", ws.root)
    assert code == 0 and "close le" in out
    for args in (("close", "V-2026-001"), ("edit", "V-2026-001")):
        code, _, err = run_cli("incident", *args, "-w", ws.root)
        assert code == 2 and "close" in err


def test_a_hand_edited_breach_file_with_an_error_names_file_and_line(run_cli, ws):
    breach(ws)
    path = ws.path("breaches") / "V-2026-001.yaml"
    path.write_text(path.read_text("utf-8").replace("availability", "disponibilite"), "utf-8")
    code, _, err = run_cli("incident", "list", "-w", ws.root)
    assert code == 2 and "V-2026-001.yaml:" in err and "nature" in err and "Traceback" not in err


def test_deadlines_across_the_workspace(run_cli, ws):
    breach(ws)
    run_cli("request", "add", "-w", ws.root, "--right", "access", "--received", "2026-01-05", "--reference", "a")
    run_cli("request", "add", "-w", ws.root, "--right", "objection", "--received", TODAY.isoformat(),
            "--reference", HOSTILE)
    register_store.save(ws, Activity(id="T-001", name="Cantine"), today=TODAY - dt.timedelta(days=400))
    register_store.save(ws, Activity(id="T-002", name="État civil"), today=TODAY)
    now = dt.datetime.now(dt.UTC)
    certs = [Finding(id="tls.cert.expiry", status="warn", severity="medium", title=Text(fr="c", en="c"), target=host,
                     evidence={"not_after": (now + dt.timedelta(days=days)).isoformat()})
             for host, days in (("mairie.test.invalid", 10), ("portail.test.invalid", 200))]
    write_json(ws.path(LATEST_SCAN), ScanResult(tool_version="t", checks=["tls"],
                                                results=[TargetResult(target=f.target, findings=[f]) for f in certs]))
    code, out, _ = run_cli("deadlines", "-w", ws.root, "--format", "json")
    assert code == 0
    data = json.loads(out)
    got = {(i["kind"], i["id"], i["state"]) for i in data["items"]}
    assert ("request", "D-2026-001", "overdue") in got
    assert ("request", f"D-{TODAY.year}-{'002' if TODAY.year == 2026 else '001'}", "due") in got
    assert ("register", "T-001", "overdue") in got and not any(i[1] == "T-002" for i in got)
    assert ("certificate", "mairie.test.invalid", "due") in got and not any(i[1] == "portail.test.invalid" for i in got)
    assert ("breach", "V-2026-001", "due") in got and ("breach", "V-2026-001", "overdue") in got  # CNIL / NIS2 24 h
    assert data["timezone"] == "Europe/Paris" and data["items"][0]["state"] == "overdue"
    assert "GED" not in out  # IDs and dates only
    assert {i["bill"] for i in data["items"] if i["kind"] == "breach" and i["what"]["fr"].startswith("NIS")} == {True}
    code, out, _ = run_cli("deadlines", "-w", ws.root)
    assert code == 0 and "3 en retard, 5 à faire." in out
