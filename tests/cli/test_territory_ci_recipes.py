"""The CI recipes written by `init --territory`, run as the runners would run them, against a real knot.

A bare repository stands for the forge. Every job runs in its own fresh clone, with the pipeline's
commit checked out and the depth the recipe asks for; artifacts pass exactly as the recipe declares
them; the install setting (CYBERAUDIT_PIP) points at a wheel built from this checkout. The four shards
run in matrix order, then in reverse order; someone pushes to the branch while the pipeline runs.
Every member's fresh result must land in the remote, with its history and the month's barometer.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.cli import ci_harness as ci
from tests.conftest import ROOT

pytestmark = [pytest.mark.lab, pytest.mark.slow]
MEMBERS = 8
RECIPES = {"gitlab": ".gitlab-ci.yml", "github": ".github/workflows/cyberaudit.yml"}


def _knot(tmp: Path, name: str, policy):
    from tests.lab.conftest import free_dns_address
    from tests.lab.knot import KnotLab, add_member_zones

    return add_member_zones(KnotLab(tmp / name, free_dns_address("territory")), MEMBERS, policy).start()


def _commit(repo: Path, message: str, day: dt.date) -> None:
    stamp = f"{day.isoformat()}T10:00:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_NAME": "coord",
           "GIT_AUTHOR_EMAIL": "coord@example.org", "GIT_COMMITTER_NAME": "coord", "GIT_COMMITTER_EMAIL": "coord@example.org"}
    ci.git(repo, "add", "-A", env=env)
    ci.git(repo, "commit", "-q", "-m", message, env=env)


def _month(months_back: int) -> dt.date:
    today = dt.date.today().replace(day=10)
    y, m = divmod(today.year * 12 + today.month - 1 - months_back, 12)
    return dt.date(y, m + 1, 10)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """Two knot servers: last month's answers (p=none everywhere) and this month's (enforced policies)."""
    tmp = tmp_path_factory.mktemp("knot")
    old = _knot(tmp, "old", lambda i: "none")
    new = _knot(tmp, "new", lambda i: "reject")
    yield old, new
    old.stop()
    new.stop()


@pytest.fixture(scope="module")
def installer(tmp_path_factory):
    """A venv (with the machine's packages) and a wheel of this checkout: what CYBERAUDIT_PIP names."""
    tmp = tmp_path_factory.mktemp("install")
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                          str(tmp / "wheels"), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    (wheel,) = (tmp / "wheels").glob("cyberaudit-*.whl")
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(tmp / "venv")], check=True, timeout=120)
    return tmp / "venv" / "bin", wheel


@pytest.fixture(scope="module")
def forge(tmp_path_factory, lab):
    """A bare repository: a territory created by `init --territory`, three months of history, stale scans."""
    from cyberaudit.__main__ import main
    from cyberaudit.disk.workspace import Workspace, save_organisation
    from cyberaudit.model import DomainAsset
    from cyberaudit.territory import synthetic
    from cyberaudit.territory.create import create_territory

    old, _ = lab
    tmp = tmp_path_factory.mktemp("forge")
    members = [{"siren": synthetic.siren(4100 + i), "name": f"Commune {i}", "kind": "commune"} for i in range(MEMBERS)]
    root = create_territory(tmp / "territoire", "Pays des Recettes", members)
    ci.git(root, "symbolic-ref", "HEAD", "refs/heads/main")
    for i, m in enumerate(members):
        ws = Workspace(root / "membres" / m["siren"])
        org = ws.load_organisation()
        org.inventory.domains = [DomainAsset(name=f"commune{i}.lab", scope=["dns"])]
        save_organisation(ws, org)
    _commit(root, "territoire", _month(3))
    code = main(["scan", "--territory", str(root), "--nameserver", old.nameserver, "--checks", "dns,mail",
                 "--timeout", "2", "--format", "json"])
    assert code == 0
    _commit(root, "analyses du mois", _month(2))
    (root / "LISEZMOI.md").write_text((root / "LISEZMOI.md").read_text() + "\nContact : coordination.\n")
    _commit(root, "contact", _month(1))
    bare = tmp / "forge.git"
    ci.git(tmp, "clone", "-q", "--bare", str(root), str(bare))
    return bare, members


def _run(kind: str, forge, lab, installer, tmp_path: Path, reverse: bool, caches: dict | None = None):
    bare_template, members = forge
    bare = tmp_path / "remote.git"
    shutil.copytree(bare_template, bare)
    venv_bin, wheel = installer
    # someone pushes to the branch while the pipeline runs: just before the pipeline's first push
    other = tmp_path / "other"
    ci.git(tmp_path, "clone", "-q", f"file://{bare}", str(other))
    (other / "LISEZMOI.md").write_text((other / "LISEZMOI.md").read_text() + "\nPoussé pendant l'analyse.\n")
    ci.git(other, "-c", "user.name=x", "-c", "user.email=x@example.org", "commit", "-qam", "pendant l'analyse")
    shim = tmp_path / "shim"
    shim.mkdir()
    real_git = shutil.which("git")
    (shim / "git").write_text(f"""#!/bin/bash
if [ "$1" = push ] && [ ! -e {tmp_path}/pushed ]; then touch {tmp_path}/pushed; {real_git} -C {other} push -q origin HEAD:main; fi
exec {real_git} "$@"
""")
    (shim / "git").chmod(0o755)
    _, new = lab
    settings = {"CYBERAUDIT_PIP": str(wheel),
                "CYBERAUDIT_SCAN_ARGS": f"--nameserver {new.nameserver} --checks dns,mail --timeout 2"}
    env_extra = {"PATH": f"{shim}:{venv_bin}:{os.environ['PATH']}", "HOME": str(tmp_path),
                 # GitLab's push URL (https, token) reaches the local bare repository
                 "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": f"url.file://{bare}.insteadOf",
                 "GIT_CONFIG_VALUE_0": "https://oauth2:jeton@gitlab.invalid/pays/territoire.git"}
    work = tmp_path / "jobs"
    work.mkdir()
    log: list[str] = []
    root = tmp_path / "recipes"
    ci.git(tmp_path, "clone", "-q", f"file://{bare}", str(root))
    doc = ci.load(root / RECIPES[kind])
    if kind == "gitlab":
        ci_vars = {**settings, "CI_SERVER_HOST": "gitlab.invalid", "CI_PROJECT_PATH": "pays/territoire",
                   "CYBERAUDIT_PUSH_TOKEN": "jeton"}
        codes, artifacts = ci.run_gitlab(doc, bare, work, ci_vars, reverse=reverse, env_extra=env_extra, log=log,
                                         caches=caches)
    else:
        codes, artifacts = ci.run_github(doc, bare, work, settings, reverse=reverse, env_extra=env_extra, log=log,
                                         caches=caches)
    return bare, members, codes, artifacts, "\n".join(log)


def _parts(artifacts: dict[str, dict[str, bytes]]) -> dict[str, bytes]:
    """Every file the shard jobs published, by path (a path published twice fails the test)."""
    out: dict[str, bytes] = {}
    for files in artifacts.values():
        for name, body in files.items():
            if not name.endswith(".tar"):
                continue
            with tarfile.open(fileobj=io.BytesIO(body)) as tar:
                for member in tar.getmembers():
                    if member.isfile():
                        assert member.name not in out, member.name
                        out[member.name] = tar.extractfile(member).read()
    return out


@pytest.mark.parametrize("reverse", [False, True], ids=["matrix-order", "reverse-order"])
@pytest.mark.parametrize("kind", ["gitlab", "github"])
def test_recipe_lands_every_fresh_result(kind, reverse, forge, lab, installer, tmp_path):
    caches: dict[str, dict[str, bytes]] = {}
    bare, members, codes, artifacts, log = _run(kind, forge, lab, installer, tmp_path, reverse, caches)
    assert set(codes.values()) == {0}, log
    scans = [n for n in codes if n.startswith("scan")]
    assert len(scans) == 4, codes
    published = _parts(artifacts)
    check = tmp_path / "check"
    ci.git(tmp_path, "clone", "-q", f"file://{bare}", str(check))
    landed = 0
    for m in members:
        folder = f"membres/{m['siren']}"
        latest = f"{folder}/scans/latest.json"
        # each member was published by exactly one shard, and its fresh files are the ones in the remote
        assert latest in published, f"{latest} published by no shard\n{log}"
        assert (check / latest).read_bytes() == published[latest]
        assert (check / folder / "assessment.json").read_bytes() == published[f"{folder}/assessment.json"]
        status = {f["id"]: f["status"] for r in json.loads(published[latest])["results"] for f in r["findings"]}
        assert status["mail.dmarc.policy"] == "pass"  # this month's enforced policy, not last month's p=none
        history = sorted((check / folder / "history").glob("*.json"))
        assert history, f"{folder}/history not committed"  # last month's assessment, kept for next month
        assert all(f"{folder}/history/{p.name}" in published for p in history)
        landed += 1
    assert landed == MEMBERS
    # only what a shard produced: no member's stale checkout copy rides along
    assert all(p.startswith("membres/") for p in published)
    assert "Poussé pendant l'analyse." in (check / "LISEZMOI.md").read_text()  # the concurrent push is kept
    assert "nouvel essai" in log  # the first push was refused, the results were replayed
    barometer = json.loads((check / "barometre" / "barometre.json").read_text())
    assert barometer["counted"] == MEMBERS
    # the whole history was fetched: three months before this one
    assert [r["month"] for r in barometer["trend"]][-4:-1] == [_month(k).strftime("%Y-%m") for k in (3, 2, 1)]
    dmarc = next(i for i in barometer["indicators"] if i["id"] == "dmarc_reject")
    assert dmarc["counts"]["yes"] == MEMBERS
    # the commit job's barometer cache went where the recipe's cache keeps it, for next month's run
    (saved,) = caches.values()
    kept = [json.loads(body) for rel, body in saved.items() if rel.endswith(".json")]
    assert kept and all(k["format"].startswith("cyberaudit/barometer-cache/") for k in kept)
    assert sum(len(k["members"]) for k in kept) >= MEMBERS


@pytest.mark.parametrize("kind", ["gitlab", "github"])
def test_recipe_passes_the_public_schema(kind, tmp_path):
    from cyberaudit.territory.create import create_territory

    root = create_territory(tmp_path / "t", "Pays « schéma »", [])
    schema = {"gitlab": "vendor.gitlab-ci", "github": "vendor.github-workflows"}[kind]
    # the schemas are vendored in check-jsonschema: no network needed (the suite runs offline)
    out = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(root / RECIPES[kind])],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    broken = tmp_path / "broken.yml"
    broken.write_text((root / RECIPES[kind]).read_text().replace("script:", "scripts:").replace("runs-on:", "run-on:"))
    out = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(broken)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode != 0  # the check can fail: a mistyped key is refused


def test_schedule_comment_and_cron_agree_monthly(tmp_path):
    from cyberaudit.territory.create import create_territory

    root = create_territory(tmp_path / "t", "Pays", [])
    github = ci.load(root / RECIPES["github"])
    (cron,) = [s["cron"] for s in github["on"]["schedule"]]
    minute, hour, dom, month, dow = cron.split()
    assert dom.isdigit() and 1 <= int(dom) <= 28 and month == "*" and dow == "*"  # once a month
    for rel in RECIPES.values():
        text = (root / rel).read_text()
        assert cron in text and "chaque mois" in text and "lundi" not in text
    pip_line = [line for line in (root / RECIPES["gitlab"]).read_text().splitlines() if "CYBERAUDIT_PIP:" in line]
    assert pip_line and "==" not in pip_line[0] and "cyberaudit-" in pip_line[0]  # a pinned wheel, not a bare name
    assert "CYBERAUDIT_PIP" in (root / "LISEZMOI.md").read_text()
