"""`cyberaudit register` commands in-process: list, show, remove, check, export, import, templates; bad input."""

from __future__ import annotations

import csv
import io
import json

import pytest

from cyberaudit.disk.workspace import create
from cyberaudit.model import Dpo, Organisation
from cyberaudit.register import export, store
from cyberaudit.register.model import Activity
from cyberaudit.register.templates import get


@pytest.fixture
def ws(tmp_path):
    org = Organisation(name="Commune de Test", siren="213501232", kind="commune",
                       dpo=Dpo(name="Marie Dupont", email="dpo@exemple.fr"))
    return create(tmp_path / "ws", org)


def fill(ws) -> None:
    store.save(ws, get("videoprotection").activity("T-001"))
    store.save(ws, get("listes-electorales").activity("T-002").model_copy(update={"assets": ["famille.exemple.fr"]}))


def snapshot(ws) -> dict[str, bytes]:
    return {str(p.relative_to(ws.root)): p.read_bytes() for p in sorted(ws.root.rglob("*")) if p.is_file()
            and not p.name.startswith(".cyberaudit.lock")}


def test_templates_list(run_cli, ws):
    code, out, _ = run_cli("register", "templates", "-w", ws.root)
    assert code == 0
    for tid in ("etat-civil", "videoprotection", "inclusion-numerique", "redevance-incitative"):
        assert tid in out


def test_list_empty_then_filled(run_cli, ws):
    code, out, _ = run_cli("register", "list", "-w", ws.root)
    assert code == 0 and "Registre vide" in out
    fill(ws)
    code, out, _ = run_cli("register", "list", "-w", ws.root)
    assert code == 0 and "T-001" in out and "T-002" in out and "6.1.c" in out


def test_show_and_unknown_id(run_cli, ws):
    fill(ws)
    code, out, _ = run_cli("register", "show", "T-001", "-w", ws.root)
    assert code == 0 and "Vidéoprotection" in out and "rgpd.dpia.required" in out
    code, _, err = run_cli("register", "show", "T-099", "-w", ws.root)
    assert code == 2 and "T-099" in err and "Traceback" not in err
    code, _, err = run_cli("register", "show", "../../etc/passwd", "-w", ws.root)
    assert code == 2 and "invalide" in err


def test_remove_asks_and_yes_removes(run_cli, ws):
    fill(ws)
    code, out, _ = run_cli("register", "remove", "T-001", "-w", ws.root)  # no terminal: treated as no
    assert code == 0 and "Rien n'a été supprimé" in out and store.exists(ws, "T-001")
    code, out, _ = run_cli("register", "remove", "T-001", "--yes", "-w", ws.root)
    assert code == 0 and not store.exists(ws, "T-001") and store.exists(ws, "T-002")


def test_check_formats_and_empty_register(run_cli, ws):
    code, out, _ = run_cli("register", "check", "-w", ws.root, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["activities"] == 0
    assert {f["id"]: f["status"] for f in data["findings"]}["rgpd.register.missing"] == "fail"
    fill(ws)
    code, out, _ = run_cli("register", "check", "-w", ws.root, "--format", "markdown")
    assert code == 0 and "| T-001 |" in out and "`rgpd.dpia.required`" in out
    code, out, _ = run_cli("register", "check", "-w", ws.root)
    assert code == 0 and "rgpd.dpia.required" in out and "à corriger" in out
    code, _, err = run_cli("register", "check", "-w", ws.root, "--format", "xml")
    assert code == 2


def test_check_reports_probe_findings_on_an_activity_asset(run_cli, ws):
    fill(ws)
    scan = {"schema": "cyberaudit/scan/v1", "tool_version": "test", "checks": ["tls"], "results": [{
        "target": "famille.exemple.fr", "findings": [{
            "id": "tls.cert.expiry", "status": "fail", "severity": "critical", "target": "famille.exemple.fr",
            "title": {"fr": "Certificat expiré", "en": "Expired certificate"}, "source": "probe"}]}]}
    (ws.root / "scans" / "latest.json").write_text(json.dumps(scan), "utf-8")
    code, out, _ = run_cli("register", "check", "-w", ws.root, "--format", "json")
    found = [f for f in json.loads(out)["findings"] if f["id"] == "rgpd.activity.asset_security"]
    assert code == 0 and len(found) == 1
    assert found[0]["target"] == "T-002" and found[0]["evidence"]["probe_findings"] == ["tls.cert.expiry@famille.exemple.fr"]


def test_bad_activity_file_exits_2_with_file_and_line(run_cli, ws):
    fill(ws)
    path = store.activity_path(ws, "T-002")
    path.write_text(path.read_text("utf-8").replace("basis: legal_obligation", "basis: obligation-morale"), "utf-8")
    for cmd in (["check"], ["list"], ["export", "--format", "csv"]):
        code, _, err = run_cli("register", *cmd, "-w", ws.root)
        assert code == 2 and "T-002.yaml:" in err and "base légale inconnue" in err and "Traceback" not in err


def test_export_csv_stdout_xlsx_default_path_and_output(run_cli, ws, tmp_path):
    fill(ws)
    code, out, _ = run_cli("register", "export", "--format", "csv", "-w", ws.root)
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff")), delimiter=";"))
    assert code == 0 and rows[0][0] == "N° / Réf." and [r[0] for r in rows[1:]] == ["T-001", "T-002"]
    code, _, err = run_cli("register", "export", "--format", "xlsx", "-w", ws.root)
    assert code == 0 and (ws.root / "reports" / "registre.xlsx").is_file()
    target = tmp_path / "out" / "registre.ods"
    code, _, _ = run_cli("register", "export", "--format", "ods", "-o", target, "-w", ws.root)
    assert code == 0 and target.read_bytes()[:2] == b"PK"
    code, _, err = run_cli("register", "export", "--format", "pdf", "-w", ws.root)
    assert code == 2 and "csv" in err


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_import_export_import_through_the_cli(run_cli, ws, tmp_path, fmt):
    fill(ws)
    first = tmp_path / f"a.{fmt}"
    assert run_cli("register", "export", "--format", fmt, "-o", first, "-w", ws.root)[0] == 0
    before = [a.model_dump() for a in store.load_all(ws)]
    for p in store.register_dir(ws).glob("T-*.yaml"):
        p.unlink()
    code, out, _ = run_cli("register", "import", first, "-w", ws.root)
    assert code == 0 and "2 activité(s) importée(s)" in out
    assert [a.model_dump() for a in store.load_all(ws)] == before


def test_bad_import_changes_nothing(run_cli, ws, tmp_path):
    fill(ws)
    before = snapshot(ws)
    good = export.rows([Activity(id="T-010", name="Bon")])[0]
    bad = list(good)
    bad[0], bad[1] = "T-011", ""
    path = tmp_path / "in.csv"
    buf = io.StringIO()
    csv.writer(buf).writerows([export.HEADERS, good, bad])
    path.write_text(buf.getvalue(), "utf-8")
    code, _, err = run_cli("register", "import", path, "-w", ws.root)
    assert code == 2 and "ligne 3" in err and "Nom du traitement" in err and "rien n'a été importé" in err
    assert snapshot(ws) == before
    code, out, err = run_cli("register", "import", path, "--partial", "-w", ws.root)
    assert code == 0 and "1 activité(s) importée(s)" in out and "ligne 3" in err
    assert store.exists(ws, "T-010") and not store.exists(ws, "T-011")


def test_import_of_a_broken_encoding_and_extra_column_changes_nothing(run_cli, ws, tmp_path):
    fill(ws)
    before = snapshot(ws)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("N° / Réf.,Nom du traitement\nT-009,État civil\n".encode("latin-1"))
    code, _, err = run_cli("register", "import", latin, "-w", ws.root)
    assert code == 2 and "UTF-8" in err and "latin.csv:1" in err
    extra = tmp_path / "extra.csv"
    extra.write_text("N° / Réf.,Nom du traitement,Commentaire libre\nT-009,Paie,x\n", "utf-8")
    code, _, err = run_cli("register", "import", extra, "-w", ws.root)
    assert code == 2 and "Commentaire libre" in err
    assert snapshot(ws) == before


def test_english_output(run_cli, ws):
    code, out, _ = run_cli("--lang", "en", "register", "list", "-w", ws.root)
    assert code == 0 and "Empty record" in out


def test_no_workspace(run_cli, tmp_path):
    code, _, err = run_cli("register", "list", "-w", tmp_path / "nothing")
    assert code == 2 and "cyberaudit init" in err


def test_discard_drafts(run_cli, ws):
    state = {"kind": "add", "target": "T-001", "template": None, "step": 2, "data": {"name": "Cantine"}}
    store.save_draft(ws, "t-001", state)
    store.save_draft(ws, "t-002", {**state, "target": "T-002"})
    code, out, _ = run_cli("register", "list", "--workspace", ws.root)
    assert f"cyberaudit register discard --workspace {ws.root}" in " ".join(out.split())
    code, out, _ = run_cli("register", "discard", "--workspace", ws.root)  # no terminal to confirm: kept
    assert code == 0 and "Rien n'a été supprimé" in out and store.list_drafts(ws) == ["t-001", "t-002"]
    code, _, err = run_cli("register", "discard", "nope", "--workspace", ws.root, "--yes")
    assert code == 2 and "t-001" in err
    code, out, _ = run_cli("register", "discard", "t-001", "--workspace", ws.root, "--yes")
    assert code == 0 and store.list_drafts(ws) == ["t-002"]
    code, out, _ = run_cli("register", "discard", "--all", "--workspace", ws.root, "--yes")
    assert code == 0 and store.list_drafts(ws) == []
    code, _, err = run_cli("register", "discard", "--workspace", ws.root, "--yes")
    assert code == 2 and "aucun brouillon" in err
