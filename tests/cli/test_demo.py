"""`cyberaudit demo` runs offline end to end; its workspace validates against `cyberaudit schema`."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from cyberaudit.disk.fileio import load_yaml


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    from cyberaudit.__main__ import main

    out = tmp_path_factory.mktemp("demo") / "ws"
    code = main(["demo", "--output", str(out), "--format", "html,md,json"])
    assert code == 0
    return out


def _schemas(run_cli) -> dict:
    code, out, _ = run_cli("schema")
    assert code == 0
    return json.loads(out)


def _plain(data):
    return json.loads(json.dumps(data, default=str))


def test_demo_writes_a_complete_workspace(demo_dir):
    for rel in ("organisation.yaml", "answers.yaml", "scans/latest.json", "assessment.json"):
        assert (demo_dir / rel).is_file(), rel
    reports = [p for p in (demo_dir / "reports").iterdir() if not p.name.startswith(".")]
    assert sorted(p.name.split("-", 4)[-1] for p in reports) == ["20.html", "20.json", "20.md", "elus.html", "elus.md"]
    assert list((demo_dir / "register").glob("*.yaml")), "the demo register is empty"


def test_demo_files_validate_against_exported_schemas(demo_dir, run_cli):
    schemas = _schemas(run_cli)
    org = _plain(load_yaml(demo_dir / "organisation.yaml"))
    jsonschema.validate(org, schemas["organisation"])
    jsonschema.validate(json.loads((demo_dir / "scans/latest.json").read_text()), schemas["scan"])
    jsonschema.validate(_plain(load_yaml(demo_dir / "answers.yaml")), schemas["answers"])
    assessment = json.loads((demo_dir / "assessment.json").read_text())
    jsonschema.validate(assessment, schemas["assessment"])
    for path in sorted((demo_dir / "register").glob("*.yaml")):
        jsonschema.validate(_plain(load_yaml(path)), schemas["activity"])
    report = json.loads(next((demo_dir / "reports").glob("*.json")).read_text())
    jsonschema.validate(report, schemas["report"])
    jsonschema.validate(report["score"], schemas["score"])


def test_demo_assessment_joins_every_source(demo_dir):
    assessment = json.loads((demo_dir / "assessment.json").read_text())
    sources = {(f.get("source") or assessment["catalogue"][f["id"]]["source"]) for f in assessment["findings"]}
    assert sources == {"probe", "interview", "register"}
    ids = {f["id"] for f in assessment["findings"]}
    assert "ports.rdp.exposed" in ids and "mail.dmarc.policy" in ids and "gov.dpo.designated" in ids
    # the webmail surface found by the scan was joined with the interview answer "no MFA"
    webmail = [f for f in assessment["findings"] if f["id"] == "mfa.surface.webmail"]
    assert webmail and webmail[0]["status"] == "fail"


def test_recorded_scan_uses_only_registered_checks():
    from cyberaudit.checks import load_all
    from cyberaudit.content.locate import data_file

    registry = load_all()
    data = load_yaml(data_file("demo") / "scan.yaml")
    ids = {str(row[0]) for rows in data["results"].values() for row in rows}
    assert ids <= set(registry), sorted(ids - set(registry))


def test_demo_is_deterministic(demo_dir, tmp_path):
    from cyberaudit.__main__ import main

    again = tmp_path / "again"
    assert main(["demo", "--output", str(again), "--format", "html,md,json"]) == 0
    for rel in ("scans/latest.json", "assessment.json"):
        assert (again / rel).read_bytes() == (demo_dir / rel).read_bytes(), rel
    for path in sorted((demo_dir / "reports").glob("rapport-*")):
        assert (again / "reports" / path.name).read_bytes() == path.read_bytes(), path.name


def test_demo_refuses_to_overwrite_a_foreign_folder(tmp_path, run_cli):
    precious = tmp_path / "mine"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    code, _, err = run_cli("demo", "--output", precious)
    assert code == 2
    assert (precious / "notes.txt").read_text() == "keep me"
    assert Path(precious).exists()


def test_demo_judges_recorded_observations_instead_of_written_verdicts(demo_dir, tmp_path, run_cli):
    """dns, mail and ports come from observations recorded on the lab (tools/record_demo.py), judged at run
    time: scan.yaml holds no verdict of those families, and judging the saved observations again changes
    no finding of the demo workspace."""
    import shutil

    from cyberaudit.checks import REGISTRY, emitting_family, load_all
    from cyberaudit.demo import OBSERVED, demo_source
    from cyberaudit.disk import observations

    load_all()
    _, records = observations.read(demo_source() / OBSERVED)
    observed = {family for _, _, families in records for family in families}
    assert observed == {"dns", "mail", "ports"}
    rows = load_yaml(demo_source() / "scan.yaml")["results"]
    written = sorted(str(r[0]) for rs in rows.values() for r in rs if emitting_family(REGISTRY[str(r[0])]) in observed)
    assert written == [], "hand-written verdicts for families that have recorded observations"
    ws = tmp_path / "ws"
    shutil.copytree(demo_dir, ws)
    before = json.loads((ws / "scans" / "latest.json").read_text(encoding="utf-8"))
    assert {f["id"] for r in before["results"] for f in r["findings"]} >= {"dns.dnssec.valid", "mail.mta_sts.policy",
                                                                           "ports.rdp.exposed", "tls.cert.expiry"}
    code, _, err = run_cli("scan", "--rejudge", "--workspace", ws)
    assert code == 0, err
    after = json.loads((ws / "scans" / "latest.json").read_text(encoding="utf-8"))
    assert after["results"] == before["results"]
