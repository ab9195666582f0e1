"""The territory commands end to end: init --territory, aggregate, diff (exit codes, formats, languages)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess

import pytest

from cyberaudit.territory import synthetic


@pytest.fixture
def territory(tmp_path):
    root = tmp_path / "t"
    synthetic.build(root, 25, seed=2)
    return root


def git(root, *args, date="2026-03-01T10:00:00+00:00"):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_init_territory(tmp_path, run_cli):
    code, out, err = run_cli("init", "--territory", tmp_path / "pays", "--name", "Pays de Test")
    assert code == 0, err
    assert (tmp_path / "pays" / "territoire.yaml").is_file()
    assert (tmp_path / "pays" / ".gitlab-ci.yml").is_file()
    code, _, err = run_cli("init", "--territory", tmp_path / "pays", "--name", "Encore")
    assert code == 2 and "territoire.yaml" in err


def test_aggregate_table_and_files(territory, tmp_path, run_cli):
    code, out, err = run_cli("aggregate", territory)
    assert code == 0, err
    assert "Mesures de" in out and "25 membre(s) comptés" in out
    code, _, err = run_cli("aggregate", territory, "--format", "html,md,json,csv", "-o", tmp_path / "out")
    assert code == 0, err
    for ext in ("html", "md", "json", "csv"):
        assert (tmp_path / "out" / f"barometre.{ext}").stat().st_size > 500
    data = json.loads((tmp_path / "out" / "barometre.json").read_text())
    assert data["schema"] == "cyberaudit/barometer/v2" and data["counted"] == 25
    code, out, _ = run_cli("aggregate", territory, "--format", "json")
    assert json.loads(out) == data
    code, out, _ = run_cli("--lang", "en", "aggregate", territory, "--format", "md")
    assert "Territory barometer" in out and "Data protection officer (DPO) designated" in out


def test_aggregate_default_output_folder_is_in_the_repository(territory, run_cli):
    code, _, err = run_cli("aggregate", territory, "--format", "html")
    assert code == 0, err
    assert (territory / "barometre" / "barometre.html").is_file()


@pytest.mark.parametrize("args, field", [
    (["--format", "docx"], "--format"), (["--format", "table,json"], "--format"), (["--as-of", "hier"], "--as-of"),
])
def test_aggregate_bad_options(territory, run_cli, args, field):
    code, _, err = run_cli("aggregate", territory, *args)
    assert code == 2 and field in err and "Traceback" not in err


def test_aggregate_without_territory(tmp_path, run_cli):
    code, _, err = run_cli("aggregate", tmp_path)
    assert code == 2 and "territoire.yaml" in err


def test_aggregate_as_of_moves_the_stale_list(territory, run_cli):
    _, out, _ = run_cli("aggregate", territory, "--format", "json", "--as-of", "2030-01-01")
    assert len(json.loads(out)["stale"]) == 25
    _, out, _ = run_cli("aggregate", territory, "--format", "json", "--as-of", dt.date(2026, 6, 30).isoformat())
    assert len(json.loads(out)["stale"]) < 25


def test_diff_between_commits_and_fail_on(territory, run_cli):
    git(territory, "init", "-q")
    git(territory, "add", "-A")
    git(territory, "commit", "-q", "-m", "one")
    specs = synthetic.build(territory, 25, seed=2)  # same seed: the same members as committed
    spec = next(s for s in specs if s["probes"]["tls.protocol.legacy"] == "pass")
    spec["probes"]["tls.protocol.legacy"] = "fail"
    folder = synthetic.write_member(territory, spec)
    git(territory, "commit", "-q", "-am", "two", date="2026-04-01T10:00:00+00:00")
    code, out, err = run_cli("diff", "HEAD~1", "HEAD", "-w", folder, "--format", "markdown")
    assert code == 0, err
    assert "tls.protocol.legacy" in out and "Nouveaux problèmes (1)" in out
    code, out, _ = run_cli("diff", "HEAD~1", "-w", folder, "--format", "json")  # NEW = working tree
    d = json.loads(out)
    assert d["before"]["label"] == "HEAD~1:assessment.json"
    assert [(r["id"], r["old"], r["new"]) for r in d["new"]] == [("tls.protocol.legacy", "pass", "fail")]
    assert d["counts"]["fixed"] == 0
    code, _, err = run_cli("diff", "HEAD~1", "-w", folder, "--fail-on", "high")
    assert code == 1 and "high" in err
    code, _, err = run_cli("diff", "HEAD~1", "-w", folder, "--fail-on", "critical")
    assert code == 0, err
    code, out, err = run_cli("diff", "HEAD", "-w", folder)  # nothing changed since HEAD
    assert code == 0 and "Aucun changement de constat" in out and "0 corrigé(s), 0 nouveau(x)" in out


def test_diff_errors(tmp_path, run_cli):
    code, _, err = run_cli("diff", "--output=/tmp/evil", "-w", tmp_path)
    assert code == 2
    code, _, err = run_cli("diff", "HEAD~1", "-w", tmp_path)
    assert code == 2 and "git" in err
    code, _, err = run_cli("diff", "-w", tmp_path, "--format", "yaml")
    assert code == 2 and "--format" in err


def test_aggregate_anonymised_edition(territory, run_cli):
    code, out, err = run_cli("aggregate", territory, "--format", "json", "--anonymise")
    assert code == 0, err
    anon = json.loads(out)
    assert anon["anonymised"] is True and anon["members"] == []
    from cyberaudit.territory.manifest import load_territory

    members = load_territory(territory).members
    assert members and not any(m.name in out or m.siren in out for m in members)
    code, _, err = run_cli("aggregate", territory, "--anonymise", "--with-evidence", "--format", "json")
    assert code == 2 and "--anonymise" in err
