"""Bad organisation.yaml files give exit 2 with file and line, and nothing is written."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

GOOD = """\
# A comment a person wrote
schema: cyberaudit/organisation/v1
name: Commune de Test
siren: '732829320'
kind: commune
population: 1200
inventory:
  domains:
    - name: exemple.fr
"""


def _ws(tmp_path: Path, text: str) -> Path:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "organisation.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return ws


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


CASES = [
    ("syntax", GOOD.replace("population: 1200", "population: [1200"), 7, "YAML"),
    ("siren", GOOD.replace("'732829320'", "'123456789'"), 4, "SIREN"),
    ("kind", GOOD.replace("kind: commune", "kind: metropole-galactique"), 5, "metropole-galactique"),
    ("dash", GOOD.replace("exemple.fr", "'-oN /tmp/x'"), 9, "-oN /tmp/x"),
    ("dots", GOOD.replace("exemple.fr", "a..b"), 9, "a..b"),
    ("unknown-field", GOOD + "colour: blue\n", 10, "colour"),
    ("ports-unauthorised", GOOD + "    - name: autre.fr\n      scope: [dns, ports]\n", 10, "authorized_by"),
]


@pytest.mark.parametrize("case,text,line,needle", CASES, ids=[c[0] for c in CASES])
def test_bad_organisation_exit_2_with_file_and_line(tmp_path, run_cli, case, text, line, needle):
    ws = _ws(tmp_path, text)
    before = _snapshot(ws)
    code, out, err = run_cli("scan", "--workspace", ws, "--checks", "dns")
    assert code == 2, (out, err)
    flat = " ".join(err.split())
    assert f"organisation.yaml:{line}" in flat, flat
    assert needle in flat
    assert "Traceback" not in err
    assert _snapshot(ws) == before  # nothing written, nothing lost


def test_idn_domain_is_accepted_and_normalised(tmp_path):
    from cyberaudit.disk.workspace import Workspace

    ws = _ws(tmp_path, GOOD.replace("exemple.fr", "mairie-évry.fr"))
    org = Workspace(ws).load_organisation()
    assert org.inventory.domains[0].name == "xn--mairie-vry-h7a.fr"


def test_missing_workspace_is_exit_2(tmp_path, run_cli):
    code, _, err = run_cli("scan", "--workspace", tmp_path / "nowhere")
    assert code == 2
    assert "organisation.yaml" in err


def test_error_messages_follow_lang(tmp_path, run_cli):
    ws = _ws(tmp_path, GOOD.replace("'732829320'", "'123456789'"))
    code, _, err = run_cli("--lang", "en", "scan", "--workspace", ws)
    assert code == 2
    assert "checksum" in err and "Erreur" not in err
    code, _, err = run_cli("scan", "--workspace", ws)
    assert "clé de contrôle" in err


def test_debug_shows_traceback_only_when_asked(tmp_path):
    import subprocess
    import sys

    ws = _ws(tmp_path, GOOD.replace("'732829320'", "'123456789'"))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    plain = subprocess.run([sys.executable, "-m", "cyberaudit", "scan", "--workspace", str(ws)],
                           capture_output=True, text=True, env=env)
    debug = subprocess.run([sys.executable, "-m", "cyberaudit", "--debug", "scan", "--workspace", str(ws)],
                           capture_output=True, text=True, env=env)
    assert plain.returncode == 2 and "Traceback" not in plain.stderr
    assert debug.returncode != 0 and "Traceback" in debug.stderr
