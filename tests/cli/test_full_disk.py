"""A full disk is the user's problem, said plainly (exit 4), never an internal error (issue 12).

Real processes on a real, small tmpfs filled up to a chosen margin (needs root and mount(8); skipped
with the reason otherwise).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.lab.pipes import ROOT, env


def cli(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cyberaudit", *map(str, args)], capture_output=True, text=True,
                          env=env(), cwd=cwd or ROOT, timeout=300)


@pytest.fixture
def small_disk(tmp_path):
    """`mount, fill = small_disk`: a 4 MiB tmpfs; `fill(leave_bytes)` leaves that much free."""
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root and mount(8)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")

    def fill(leave: int) -> None:
        st = os.statvfs(mount)
        free = st.f_bavail * st.f_frsize
        with open(mount / "filler", "ab") as fh:
            fh.write(b"\0" * max(0, free - leave))

    try:
        yield mount, fill
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo") / "ws"
    done = cli("demo", "-o", root, "-f", "json")
    assert done.returncode == 0, done.stderr
    for f in (root / "reports").glob("rapport-*"):
        f.unlink()
    return root


def test_scan_on_a_full_disk_still_prints_the_result_and_says_what_was_not_saved(small_disk):
    mount, fill = small_disk
    ws = mount / "ws"
    ws.mkdir()
    fill(0)
    # 127.0.0.1:9 refuses at once: every check is `error`, fast, offline
    done = cli("scan", "ville.lab", "--checks", "dns", "--nameserver", "127.0.0.1:9", "--timeout", "0.5",
               "--format", "json", "-w", ws)
    assert done.returncode == 4, done.stderr
    assert json.loads(done.stdout)["results"][0]["target"] == "ville.lab"  # the result reached stdout
    assert "latest.json" in done.stderr and "Traceback" not in done.stderr and "interne" not in done.stderr
    assert "espace libre" in done.stderr
    assert not list(ws.rglob("*.tmp"))


def test_report_writes_every_format_or_none(small_disk, demo):
    mount, fill = small_disk
    ws = mount / "ws"
    shutil.copytree(demo, ws)
    sizes = {}
    first = cli("report", "-w", ws, "-f", "html,md,json", "-o", demo.parent / "sizes")
    assert first.returncode == 0, first.stderr
    for f in (demo.parent / "sizes").iterdir():
        sizes[f.suffix] = f.stat().st_size
    assessment = (ws / "assessment.json").stat().st_size
    # room for the assessment, the HTML and the Markdown, not for the JSON as well
    fill(assessment + sizes[".html"] + sizes[".md"] + 64 * 1024)
    assert sizes[".json"] > 64 * 1024
    done = cli("report", "-w", ws, "-f", "html,md,json")
    assert done.returncode == 4, done.stderr
    assert "Traceback" not in done.stderr and "interne" not in done.stderr
    left = sorted(p.name for p in (ws / "reports").iterdir() if p.name != ".gitkeep")
    assert left == [], left  # not HTML and Markdown without JSON


def test_register_export_and_import_on_a_full_disk_are_plain_errors(small_disk, demo, tmp_path):
    mount, fill = small_disk
    ws = mount / "ws"
    shutil.copytree(demo, ws)
    out = mount / "registre.json"
    out.write_text("ancien\n")
    export = tmp_path / "registre.csv"
    assert cli("register", "export", "-w", ws, "-f", "csv", "-o", export).returncode == 0
    fill(0)
    done = cli("register", "export", "-w", ws, "-f", "json", "-o", out)
    assert done.returncode == 4, done.stderr
    assert str(out) in done.stderr and "Traceback" not in done.stderr
    assert out.read_text() == "ancien\n"  # the old file is untouched
    before = sorted(p.name for p in (ws / "register").glob("*.yaml"))
    done = cli("register", "import", "-w", ws, export)
    assert done.returncode == 4, done.stderr
    assert "Traceback" not in done.stderr and "interne" not in done.stderr
    assert not list(ws.rglob("*.tmp"))
    after = {p.name: p.read_text() for p in (ws / "register").glob("*.yaml")}
    assert set(before) <= set(after) and all(after[n] for n in before)  # nothing already there was lost


def test_assess_answers_on_a_full_disk_is_a_plain_error(small_disk, demo, tmp_path):
    mount, fill = small_disk
    ws = mount / "ws"
    shutil.copytree(demo, ws)
    answers = tmp_path / "answers.yaml"
    answers.write_text(Path(demo / "answers.yaml").read_text())
    (ws / "answers.yaml").unlink()
    fill(0)
    done = cli("assess", "-w", ws, "--answers", answers)
    assert done.returncode == 4, done.stderr
    assert "answers.yaml" in done.stderr and "Traceback" not in done.stderr
