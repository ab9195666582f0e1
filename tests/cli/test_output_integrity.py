"""Every byte a command prints reaches a slow reader, or the run fails loudly (issue 12).

Real processes and real pipes: the reader sleeps before reading, the pipe is made small (4 KiB) and
non-blocking on the writer's side (what an event loop may leave behind), and PYTHONUNBUFFERED=1 is set
as in CI images. Python's unbuffered streams used to drop what a write could not take at once.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.lab.pipes import ROOT, env, full_output, slow_read


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo") / "ws"
    done = subprocess.run([sys.executable, "-m", "cyberaudit", "demo", "-o", str(root), "-f", "json"],
                          capture_output=True, env=env(), cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    return root


@pytest.mark.parametrize("args", [
    ["schema"],
    ["register", "export", "-w", "{ws}", "-f", "json"],
    ["register", "export", "-w", "{ws}", "-f", "md"],
    ["register", "export", "-w", "{ws}", "-f", "csv"],
    ["register", "check", "-w", "{ws}"],  # Rich console output
    ["checklists", "coverage"],  # Rich tables, 25 KB
])
def test_every_byte_reaches_a_slow_reader_on_a_non_blocking_pipe(args, demo_ws):
    args = [a.replace("{ws}", str(demo_ws)) for a in args]
    expected = full_output(args)
    assert len(expected) > 4096  # more than the pipe holds: the writer has to wait for the reader
    code, got, err = slow_read(args, nonblocking=True)
    assert code == 0, err
    assert len(got) == len(expected) and got == expected, (len(got), len(expected), err)


def test_a_closed_output_fails_loudly_not_silently(tmp_path):
    """stdout on a full device: non-zero exit and a plain message, no traceback."""
    if not Path("/dev/full").exists():
        pytest.skip("/dev/full missing")
    with open("/dev/full", "wb") as full:
        done = subprocess.run([sys.executable, "-m", "cyberaudit", "schema"], stdout=full, stderr=subprocess.PIPE,
                              env=env(), cwd=ROOT, timeout=60)
    err = done.stderr.decode()
    assert done.returncode == 4, err
    assert "sortie standard" in err and "Traceback" not in err


@pytest.mark.parametrize("args", [["schema"], ["checklists", "coverage"]])
def test_a_reader_that_leaves_early_stops_the_tool_quietly(args):
    """`cyberaudit … | head`: exit 0, nothing on stderr (not exit 1, which means a threshold)."""
    proc = subprocess.Popen([sys.executable, "-m", "cyberaudit", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env(), cwd=ROOT)
    proc.stdout.read(100)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(60) == 0, err
    assert err == ""
