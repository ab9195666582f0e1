from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_version(run_cli):
    from cyberaudit import __version__

    code, out, _ = run_cli("--version")
    assert code == 0 and out.strip() == f"cyberaudit {__version__}"


def test_help_is_french_by_default_and_english_on_demand(run_cli, monkeypatch):
    code, out, _ = run_cli("--help")
    assert code == 0
    assert "Audit de cybersécurité" in out and "Afficher cette aide" in out
    assert out.startswith("Utilisation : cyberaudit") and "Commandes :" in out and "Options :" in out
    assert "Options:" not in out and "[default" not in out and "env var" not in out
    code, out, _ = run_cli("report", "--help")
    assert "défaut : " in out and "[default" not in out and "Options :" in out
    code, out, _ = run_cli("--lang", "en", "--help")
    assert "Cybersecurity and GDPR auditor" in out and "Show this message" in out
    assert out.startswith("Usage: cyberaudit") and "Commands:" in out and "Options:" in out
    monkeypatch.setenv("CYBERAUDIT_LANG", "en")
    code, out, _ = run_cli("--help")
    assert "Cybersecurity and GDPR auditor" in out


def test_every_command_group_is_listed(run_cli):
    from cyberaudit.cli import COMMANDS

    _, out, _ = run_cli("--help")
    for _module, name, _fr, _en in COMMANDS:
        assert f"  {name} " in out


def test_usage_errors_exit_2_in_french(run_cli):
    code, out, err = run_cli("scan", "--bogus-option")
    assert code == 2
    assert "option inconnue" in err and "Traceback" not in err
    code, _, err = run_cli("--lang", "en", "scan", "--bogus-option")
    assert code == 2 and "No such option" in err


def test_console_script_entry_point_runs():
    proc = subprocess.run([sys.executable, "-m", "cyberaudit", "--version"], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith("cyberaudit ")


def test_the_quick_exit_keeps_exit_codes_and_atexit_handlers():
    """`run` (the console script and `python -m cyberaudit`) freezes the garbage collector before the
    interpreter exits: exit codes, flushed output and atexit handlers (temporary files) must survive it."""
    code = ("import atexit, sys; from cyberaudit.__main__ import run;"
            "atexit.register(lambda: print('atexit ran', flush=True));"
            "sys.argv = ['cyberaudit', *sys.argv[1:]]; sys.exit(run())")
    ok = subprocess.run([sys.executable, "-c", code, "--version"], capture_output=True, text=True, cwd=ROOT,
                        timeout=60)
    from cyberaudit import __version__

    assert ok.returncode == 0 and ok.stdout.splitlines() == [f"cyberaudit {__version__}", "atexit ran"]
    bad = subprocess.run([sys.executable, "-c", code, "scan", "--bogus-option"], capture_output=True, text=True,
                         cwd=ROOT, timeout=60)
    assert bad.returncode == 2 and bad.stdout.strip() == "atexit ran"
