"""Saved observations (scans/observations.jsonl) and `cyberaudit scan --rejudge`: offline, today's judges."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from cyberaudit.checks import REGISTRY, load_all
from cyberaudit.disk import observations
from cyberaudit.disk.fileio import write_json
from cyberaudit.disk.workspace import LATEST_SCAN, OBSERVATIONS, Workspace, create
from cyberaudit.errors import InputError
from cyberaudit.model import ScanResult, TargetResult
from tests.unit.test_report_samples import organisation

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
NOW = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


def scenario(family: str, name: str) -> dict:
    return json.loads((SCENARIOS / family / f"{name}.json").read_text(encoding="utf-8"))["observation"]


def result(*results: TargetResult, checks=("dns", "mail", "tls")) -> ScanResult:
    return ScanResult(tool_version="0.0.1", started_at=NOW, checks=list(checks), results=list(results))


def saved(ws: Workspace, families_by_target: dict[str, dict], previous: ScanResult) -> None:
    with observations.ObservationLog() as log:
        for target in reversed(sorted(families_by_target)):  # added out of order: written sorted
            log.add(target, families_by_target[target])
        observations.save_scan(ws, previous, log)


@pytest.fixture
def ws(tmp_path) -> Workspace:
    return create(tmp_path / "ws", organisation())


def test_log_is_sorted_deterministic_and_one_target_per_line(ws):
    dns = scenario("dns", "dns.caa.present.warn")
    saved(ws, {"b.example": {"dns": dns}, "a.example": {"dns": dns, "mail": {"probe_error": "deadline"}}}, result())
    lines = ws.path(OBSERVATIONS).read_text(encoding="utf-8").splitlines()
    assert [json.loads(x).get("target") for x in lines] == [None, "a.example", "b.example"]
    assert json.loads(lines[0])["schema"] == "cyberaudit/observations/v1"
    first = ws.path(OBSERVATIONS).read_bytes()
    saved(ws, {"a.example": {"mail": {"probe_error": "deadline"}, "dns": dns}, "b.example": {"dns": dns}}, result())
    assert ws.path(OBSERVATIONS).read_bytes() == first


def test_same_target_twice_keeps_both_families():
    with observations.ObservationLog() as log:
        log.add("a.example", {"dns": {"x": 1}})
        log.add("a.example", {"mail": {"y": 2}})
        body = b"".join(log.chunks(result())).decode().splitlines()[1:]
    assert len(body) == 1 and set(json.loads(body[0])["families"]) == {"dns", "mail"}


def test_rejudge_uses_todays_judges_and_keeps_what_was_not_observed(ws, run_cli):
    load_all()
    target = "val-d-exemple.example"
    # last month's judge (say) passed CAA; the observation says there is no CAA record at all
    old_caa = REGISTRY["dns.caa.present"].finding("pass", target=target)
    old_tls = REGISTRY["tls.cert.expiry"].finding("warn", target=target, evidence={"days_left": 22})
    old_starttls = REGISTRY["mail.starttls.supported"].finding("pass", target=target)  # emitted by tls
    saved(ws, {target: {"dns": scenario("dns", "dns.caa.present.warn")}},
          result(TargetResult(target=target, findings=[old_caa, old_tls, old_starttls])))
    code, out, err = run_cli("scan", "--rejudge", "--workspace", ws.root, "--format", "json")
    assert code == 0, err
    data = json.loads(ws.path(LATEST_SCAN).read_text(encoding="utf-8"))
    (res,) = data["results"]
    status = {f["id"]: f["status"] for f in res["findings"]}
    assert status["dns.caa.present"] == "warn"  # today's verdict on the observation
    assert status["tls.cert.expiry"] == "warn" and status["mail.starttls.supported"] == "pass"  # kept
    assert status["dns.zone.resolves"] == "pass" and "dns.ns.redundancy" in status
    assert data["started_at"].startswith("2026-11-20") and data["options"]["rejudged"] is True
    assert json.loads(out)["results"] == data["results"]
    again = ws.path(LATEST_SCAN).read_bytes()
    assert run_cli("scan", "--rejudge", "--workspace", ws.root)[0] == 0
    assert ws.path(LATEST_SCAN).read_bytes() == again  # deterministic


def test_recorded_probe_error_stays_an_error(ws, run_cli):
    saved(ws, {"a.example": {"dns": {"probe_error": "deadline"}}}, result(checks=["dns"]))
    code, _, err = run_cli("scan", "--rejudge", "--workspace", ws.root)
    assert code == 3, err  # every check untested, as the scan itself said
    (res,) = json.loads(ws.path(LATEST_SCAN).read_text(encoding="utf-8"))["results"]
    assert [(f["id"], f["status"]) for f in res["findings"]] == [("dns.probe.error", "error")]


@pytest.mark.parametrize(("content", "where", "what"), [
    (None, "observations.jsonl", "lancez d'abord"),
    ('{"schema": "cyberaudit/observations/v9"}\n', "observations.jsonl:1", "schéma inconnu"),
    ("pas du json\n", "observations.jsonl:1", "JSON invalide"),
    ("", "observations.jsonl:1", "schéma inconnu"),
    ('{"schema": "cyberaudit/observations/v1"}\n{"target": "a.example", "families": {}}\n{"target": "b.ex',
     "observations.jsonl:3", "JSON invalide"),
    ('{"schema": "cyberaudit/observations/v1"}\n{"target": "a.example", "families": {"dnz": {}}}\n',
     "observations.jsonl:2", "dnz"),
    ('{"schema": "cyberaudit/observations/v1"}\n["a.example"]\n', "observations.jsonl:2", "attendu"),
])
def test_bad_observation_file_is_a_clear_error_and_writes_nothing(ws, run_cli, content, where, what):
    write_json(ws.path(LATEST_SCAN), result())
    before = ws.path(LATEST_SCAN).read_bytes()
    if content is not None:
        ws.path(OBSERVATIONS).write_text(content, encoding="utf-8")
    code, out, err = run_cli("scan", "--rejudge", "--workspace", ws.root)
    assert code == 2
    assert where in err and what in err and "Traceback" not in err
    assert ws.path(LATEST_SCAN).read_bytes() == before


def test_rejudge_needs_a_workspace_and_no_target(ws, run_cli):
    code, _, err = run_cli("scan", "--rejudge")
    assert code == 2 and "--workspace" in err
    code, _, err = run_cli("scan", "--rejudge", "--workspace", ws.root, "exemple.fr")
    assert code == 2 and "cible" in err


def test_reader_reports_the_line_of_a_bad_record(tmp_path):
    path = tmp_path / "o.jsonl"
    path.write_text('{"schema": "cyberaudit/observations/v1"}\n\n{"target": 3, "families": {}}\n', encoding="utf-8")
    head, records = observations.read(path)
    assert head["schema"] == observations.SCHEMA
    with pytest.raises(InputError) as exc:
        list(records)
    assert exc.value.line == 3 and exc.value.file == str(path)


def test_a_judge_that_raises_gives_the_family_probe_error():
    """A judge bug (or an observation it cannot read) loses nothing else: <family>.probe.error, reason said."""
    from cyberaudit.checks import judge_observation

    (f,) = judge_observation("dns", {"target": "a.example", "soa": "ok"}, "a.example")  # no ns, dnssec ...
    assert f.id == "dns.probe.error" and f.status.value == "error"
    assert f.evidence["reason"].startswith("judge: KeyError")
    (g,) = judge_observation("mail", {"probe_error": "deadline"}, "a.example")
    assert (g.id, g.evidence["reason"]) == ("mail.probe.error", "deadline")
