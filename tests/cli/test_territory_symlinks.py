"""Symbolic links committed in a territory repository never redirect a read or a write (issue 12).

`membres/A/scans -> /elsewhere` must not make the scan write outside the repository, and
`membres/B/scans -> ../C/scans` must not let B's results overwrite C's. A violation is a per-member
error; the other members are scanned and saved all the same.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cyberaudit.disk.workspace import Workspace, save_organisation
from cyberaudit.model import DomainAsset
from cyberaudit.territory import synthetic
from cyberaudit.territory.create import create_territory
from tests.lab.pipes import ROOT, env

pytestmark = pytest.mark.lab


@pytest.fixture
def knot(tmp_path):
    from tests.lab.conftest import free_dns_address
    from tests.lab.knot import KnotLab

    lab = KnotLab(tmp_path / "knot", free_dns_address("territory"))
    lab.add_zone("lab.", "")
    for name in ("a", "b", "c", "d"):
        lab.add_zone(f"{name}.lab.", '@ TXT "v=spf1 -all"\n')
    lab.start()
    yield lab
    lab.stop()


def territory(tmp_path):
    ms = [{"siren": synthetic.siren(300 + i), "name": f"Commune {n}", "kind": "commune"}
          for i, n in enumerate("abcd")]
    root = create_territory(tmp_path / "t", "Pays", ms)
    for m, n in zip(ms, "abcd", strict=True):
        ws = Workspace(root / "membres" / m["siren"])
        org = ws.load_organisation()
        org.inventory.domains = [DomainAsset(name=f"{n}.lab", scope=["dns"])]
        save_organisation(ws, org)
    return root, [m["siren"] for m in ms]


def scan(root, knot):
    done = subprocess.run([sys.executable, "-m", "cyberaudit", "scan", "--territory", str(root), "--nameserver",
                           knot.nameserver, "--checks", "dns", "--timeout", "2", "--format", "json"],
                          capture_output=True, text=True, env=env(), cwd=ROOT, timeout=300)
    assert "Traceback" not in done.stderr
    return done, {m["siren"]: m for m in json.loads(done.stdout)["members"]}


def test_links_in_member_folders_are_refused_per_member(tmp_path, knot):
    root, (a, b, c, d) = territory(tmp_path)
    members = root / "membres"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for s in (a, b):
        (members / s / "scans" / ".gitkeep").unlink(missing_ok=True)
        (members / s / "scans").rmdir()
    (members / a / "scans").symlink_to(elsewhere)  # out of the repository
    (members / b / "scans").symlink_to(f"../{c}/scans")  # into another member
    (members / d / "answers.yaml").symlink_to(elsewhere / "secret.yaml")  # a read through a link
    (elsewhere / "secret.yaml").write_text("{}\n")
    _, by = scan(root, knot)
    assert by[a]["status"] == "failed" and "lien symbolique" in by[a]["reason"]
    assert by[b]["status"] == "failed" and "lien symbolique" in by[b]["reason"]
    assert by[c]["status"] == "ok"
    assert by[d]["status"] == "failed" and "answers.yaml" in by[d]["reason"]
    assert list(elsewhere.iterdir()) == [elsewhere / "secret.yaml"]  # nothing written outside
    saved = json.loads((members / c / "scans" / "latest.json").read_text())
    assert [r["target"] for r in saved["results"]] == ["c.lab"]  # C's own results, not B's


def test_a_lock_file_link_is_not_followed(tmp_path, knot):
    root, (a, b, c, d) = territory(tmp_path)
    target = tmp_path / "victim.txt"
    lock = root / "membres" / a / ".cyberaudit.lock"
    lock.unlink(missing_ok=True)
    lock.symlink_to(target)
    _, by = scan(root, knot)
    assert not target.exists()  # O_CREAT did not follow the link
    assert by[a]["status"] == "failed"
    assert by[b]["status"] == "ok"
