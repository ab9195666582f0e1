"""Shared fixtures. Lab fixtures (real knot, nginx, nmap, sshd on loopback) live in tests/lab/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _french_by_default(monkeypatch):
    """Every test starts in French, with no language leaking from the environment."""
    from cyberaudit import i18n

    monkeypatch.delenv("CYBERAUDIT_LANG", raising=False)
    i18n.set_lang("fr")
    yield
    i18n._current = None


@pytest.fixture
def run_cli(capsys):
    """Run the CLI in-process: returns (exit_code, stdout, stderr)."""
    from cyberaudit.__main__ import main

    def _run(*args: str) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        cap = capsys.readouterr()
        return code, cap.out, cap.err

    return _run


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")
