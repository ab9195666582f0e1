"""`.ci/run` stops only what it or the package installation started (issue 12)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

CI_RUN = Path(__file__).resolve().parents[2] / ".ci" / "run"


def commands(text: str) -> list[list[str]]:
    """The words of every command of the script (comments dropped), split at ; && || | and newlines."""
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0] if not line.lstrip().startswith("#") else ""
        for part in re.split(r";|&&|\|\||\||\$\(|\(|\)", line):
            try:
                words = shlex.split(part)
            except ValueError:
                words = part.split()
            if words:
                out.append(words)
    return out


def test_no_process_is_stopped_by_its_name():
    used = {words[0] for words in commands(CI_RUN.read_text())}
    assert not used & {"pkill", "killall", "pgrep", "skill", "fuser"}, used & {"pkill", "killall", "pgrep"}


def test_kill_only_reads_pids_from_pid_files():
    text = CI_RUN.read_text()
    for words in commands(text):
        if words[0] == "kill":
            assert all(w.startswith("$") or w.startswith('"$') or w.startswith("-") for w in words[1:]), words
    assert "service" in text and ".pid" in text


def test_script_is_valid_bash():
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash not installed")
    done = subprocess.run([bash, "-n", str(CI_RUN)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
