"""`scan --territory` orchestration with fake probe families (no network): budget, failures, shards, stable files.

The real probes against the knot lab are exercised in tests/cli/test_territory_scan.py.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import types

import pytest

from cyberaudit.disk.workspace import Workspace, save_organisation
from cyberaudit.model import DomainAsset, Status
from cyberaudit.probes.net import Net
from cyberaudit.territory import synthetic
from cyberaudit.territory.create import create_territory
from cyberaudit.territory.scan import scan_territory

NOW = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)
# seconds per member: the fake probe answers at once, "lent" sleeps 30 s; room for a loaded machine
BUDGET = 5.0


@pytest.fixture
def fake_probes(monkeypatch):
    """A `dns` family whose probe passes at once, sleeps for names containing 'lent', crashes for 'boum'."""
    from cyberaudit.checks import REGISTRY, check
    from cyberaudit.model import Text
    from cyberaudit.probes import pipeline as scanning

    info = REGISTRY.get("dns.fake.check") or check(
        "dns.fake.check", severity="high", title=Text(fr="Faux contrôle", en="Fake check"),
        explanation=Text(fr="x", en="x"), remediation=Text(fr="x", en="x"))
    calls: list[str] = []

    async def observe(target, net):
        calls.append(target.name)
        if "lent" in target.name:
            await asyncio.sleep(30)
        if "boum" in target.name:
            raise RuntimeError("probe bug")
        return {"target": target.name, "weak": "faible" in target.name}

    real_judge = scanning.judge_observation

    def judge(family, obs, target):
        if "probe_error" in obs:
            return real_judge(family, obs, target)
        return [info.finding(Status.FAIL if obs["weak"] else Status.PASS, target=obs["target"])]

    fake = types.SimpleNamespace(observe=observe)
    monkeypatch.setattr(scanning, "family_module", lambda family: fake)  # the runs ask for dns only
    monkeypatch.setattr(scanning, "judge_observation", judge)
    return calls


def members(n):
    return [{"siren": synthetic.siren(500 + i), "name": f"Commune {i}", "kind": "commune"} for i in range(n)]


def set_domains(root, siren, *domains):
    ws = Workspace(root / "membres" / siren)
    org = ws.load_organisation()
    org.inventory.domains = [DomainAsset(name=d) for d in domains]
    save_organisation(ws, org)


@pytest.fixture
def territory(tmp_path):
    ms = members(5)
    root = create_territory(tmp_path / "t", "Pays", ms)
    sirens = [m["siren"] for m in ms]
    set_domains(root, sirens[0], "a.example")
    set_domains(root, sirens[1], "b.example", "faible.example")
    set_domains(root, sirens[2], "lent.example")
    (root / "membres" / sirens[3] / "organisation.yaml").write_text("name: [cassé\n")
    # sirens[4]: empty inventory
    return root, sorted(sirens)


def run(root, **kw):
    return {r.siren: r for r in scan_territory(root, shard=kw.pop("shard", None), families=["dns"],
                                               net=Net(concurrency=8), now=NOW, **kw)}


def latest(root, siren):
    return root / "membres" / siren / "scans" / "latest.json"


def test_one_member_failing_never_loses_the_others(territory, fake_probes):
    root, _ = territory
    s0, s1, s2, s3, s4 = [m["siren"] for m in members(5)]
    runs = run(root, member_budget=BUDGET)
    assert sorted(runs) == sorted([s0, s1, s2, s3, s4])
    assert runs[s0].status == "ok" and runs[s1].status == "ok"
    assert runs[s2].status == "timeout" and f"{BUDGET:g} s" in runs[s2].reason
    assert runs[s3].status == "failed" and "organisation.yaml" in runs[s3].reason
    assert runs[s4].status == "skipped"
    saved = json.loads(latest(root, s1).read_text())
    assert sorted(r["target"] for r in saved["results"]) == ["b.example", "faible.example"]
    assert runs[s1].counts == {"fail": 1, "pass": 1}
    assert not latest(root, s2).exists() and not latest(root, s3).exists()
    # the evaluator refreshed assessment.json for the members scanned
    assessed = json.loads((root / "membres" / s0 / "assessment.json").read_text())
    assert any(f["id"] == "dns.fake.check" for f in assessed["findings"])


def test_a_run_that_finds_nothing_new_changes_nothing(territory, fake_probes):
    root, _ = territory
    s0 = members(1)[0]["siren"]
    run(root, member_budget=BUDGET)
    before = {p: p.read_bytes() for p in (root / "membres").rglob("*.json")}
    runs = run(root, member_budget=BUDGET)
    assert runs[s0].changed is False
    after = {p: p.read_bytes() for p in (root / "membres").rglob("*.json")}
    assert after == before


def test_timeout_keeps_previous_results(territory, fake_probes):
    root, _ = territory
    s2 = members(3)[2]["siren"]
    latest(root, s2).write_text('{"previous": true}\n')
    runs = run(root, member_budget=0.5)
    assert runs[s2].status == "timeout"
    assert latest(root, s2).read_text() == '{"previous": true}\n'


def test_shard_scans_only_its_members(territory, fake_probes):
    root, sirens = territory
    runs = run(root, shard=(2, 2), member_budget=BUDGET)
    assert sorted(runs) == sirens[1::2]
    scanned = set()
    for index in (1, 2):
        scanned |= set(run(root, shard=(index, 2), member_budget=BUDGET))
    assert scanned == set(sirens)


def test_cli_summary_and_exit_code(territory, fake_probes, run_cli):
    root, _ = territory
    code, out, err = run_cli("scan", "--territory", root, "--checks", "dns", "--format", "json",
                             "--member-budget", f"{BUDGET:g}")
    assert code == 2  # one member could not be read: usage/input error, after saving the others
    summary = json.loads(out)
    statuses = {m["siren"]: m["status"] for m in summary["members"]}
    assert sorted(statuses.values()) == ["failed", "ok", "ok", "skipped", "timeout"]
    assert "membre(s) non analysé(s)" in err
    code, _, err = run_cli("scan", "--territory", root, "--shard", "9/2")
    assert code == 2 and "--shard" in err


def test_progress_display_runs(territory, fake_probes):
    from cyberaudit.cli.territory_scan import _Display

    root, _ = territory
    made = []

    def display(total):
        made.append(_Display(total, True))
        return made[-1]

    runs = scan_territory(root, shard=None, families=["dns"], net=Net(concurrency=8), now=NOW, member_budget=BUDGET,
                          display=display)
    assert sorted(r.status for r in runs) == ["failed", "ok", "ok", "skipped", "timeout"]
    assert made and made[0].progress is not None and made[0].progress.finished


def test_member_folder_linking_out_of_the_repository_is_refused(territory, fake_probes, tmp_path):
    import shutil

    root, _ = territory
    s0 = members(1)[0]["siren"]
    outside = tmp_path / "ailleurs"
    shutil.move(root / "membres" / s0, outside)
    (root / "membres" / s0).symlink_to(outside)
    runs = run(root, member_budget=BUDGET)
    assert runs[s0].status == "failed" and "lien" in runs[s0].reason
    assert not (outside / "scans" / "latest.json").exists()
