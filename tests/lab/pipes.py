"""Real-process helpers for output tests: a slow reader on a small (optionally non-blocking) pipe."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
F_SETPIPE_SZ = 1031


def env() -> dict:
    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONPATH=str(ROOT), CYBERAUDIT_LANG="fr")
    env.pop("COLUMNS", None)
    return env


def slow_read(args: list[str], *, nonblocking: bool, delay: float = 1.0, timeout: float = 120) -> tuple[int, bytes, str]:
    """Run `python -m cyberaudit ARGS` with stdout on a small pipe read only after `delay` seconds."""
    r, w = os.pipe()
    try:
        fcntl.fcntl(w, F_SETPIPE_SZ, 4096)
    except OSError:
        pass
    if nonblocking:
        os.set_blocking(w, False)
    proc = subprocess.Popen([sys.executable, "-m", "cyberaudit", *args], stdout=w, stderr=subprocess.PIPE,
                            env=env(), cwd=ROOT)
    os.close(w)
    time.sleep(delay)
    chunks = []
    with os.fdopen(r, "rb") as reader:
        while True:
            block = reader.read(1024)  # slowly, in small pieces
            if not block:
                break
            chunks.append(block)
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.wait(timeout)
    return proc.returncode, b"".join(chunks), err


def full_output(args: list[str]) -> bytes:
    done = subprocess.run([sys.executable, "-m", "cyberaudit", *args], capture_output=True, env=env(), cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout
