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


def test_recorded_scan_uses_only_registered_checks(demo_dir):
    from cyberaudit.checks import load_all

    registry = load_all()
    scan = json.loads((demo_dir / "scans" / "latest.json").read_text(encoding="utf-8"))
    ids = {f["id"] for r in scan["results"] for f in r["findings"]}
    assert ids and ids <= set(registry), sorted(ids - set(registry))


def test_recorded_certificates_are_valid_on_the_demo_date():
    """The lab certificates were issued around the demo date, so expiry verdicts read as of that date
    and no certificate is untrusted for being out of its validity period."""
    import datetime as dt
    import re

    from cryptography import x509

    from cyberaudit.demo import OBSERVED, demo_source
    from cyberaudit.disk import observations

    head, records = observations.read(demo_source() / OBSERVED)
    when = dt.datetime.fromisoformat(head["started_at"])
    pems = {pem for _, _, families in records for pem in ((families.get("tls") or {}).get("certificates") or {}).values()}
    assert len(pems) >= 4, "the web, family-portal, webmail and MX certificates were recorded"
    for pem in pems:
        cert = x509.load_pem_x509_certificate(pem.encode())
        assert cert.not_valid_before_utc <= when <= cert.not_valid_after_utc, cert.subject.rfc4514_string()
    text = (demo_source() / OBSERVED).read_text(encoding="utf-8")
    stamps = set(re.findall(r'"observed_at": ?"([^"]+)"', text))
    assert stamps == {head["started_at"]}


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
    """Every family of the demo comes from observations recorded on the lab (tools/record_demo.py), judged
    at run time: no hand-written verdict is shipped, every finding of the demo scan is emitted by a family
    observed on its target, and judging the saved observations again changes no finding."""
    import shutil

    from cyberaudit.checks import REGISTRY, emitting_family, load_all
    from cyberaudit.demo import OBSERVED, demo_source
    from cyberaudit.disk import observations

    load_all()
    head, records = observations.read(demo_source() / OBSERVED)
    records = list(records)
    observed = {target: set(families) for _, target, families in records}
    assert set().union(*observed.values()) == {"dns", "mail", "tls", "web", "ports", "mfa"} == set(head["checks"])
    assert sorted(p.name for p in demo_source().iterdir() if p.suffix in (".yaml", ".jsonl", ".json")) == [
        "answers.yaml", "observations.jsonl", "organisation.yaml"], "a hand-written scan file is back"
    ws = tmp_path / "ws"
    shutil.copytree(demo_dir, ws)
    before = json.loads((ws / "scans" / "latest.json").read_text(encoding="utf-8"))
    written = sorted((r["target"], f["id"]) for r in before["results"] for f in r["findings"]
                     if emitting_family(REGISTRY[f["id"]]) not in observed.get(r["target"], set()))
    assert written == [], "findings of the demo scan that no recorded observation gives"
    assert {f["id"] for r in before["results"] for f in r["findings"]} >= {
        "dns.dnssec.valid", "mail.mta_sts.policy", "ports.rdp.exposed", "tls.cert.expiry", "tls.protocol.legacy",
        "web.headers.security", "mfa.surface.webmail", "mail.starttls.supported"}
    code, _, err = run_cli("scan", "--rejudge", "--workspace", ws)
    assert code == 0, err
    after = json.loads((ws / "scans" / "latest.json").read_text(encoding="utf-8"))
    assert after["results"] == before["results"]
    code, out, err = run_cli("scan", "--rejudge", "--workspace", ws, "--only", "tls.cert", "--all", "--format", "csv")
    assert code == 0, err
    import csv
    import io

    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff")), delimiter=";"))[1:]
    assert rows and all(row[5].startswith("tls.cert.") for row in rows)
    assert len(rows) == sum(1 for r in after["results"] for f in r["findings"] if f["id"].startswith("tls.cert."))
