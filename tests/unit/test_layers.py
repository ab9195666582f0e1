"""Architecture rules: the CLI starts light; pure modules import no network library."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ["pydantic", "dns", "cryptography", "nmap", "jinja2", "weasyprint", "openpyxl", "httpx"]
NETWORK = {"socket", "ssl", "dns", "subprocess", "nmap", "asyncio", "httpx", "urllib.request"}


def test_cli_help_imports_no_heavy_module():
    code = (
        "import sys; from cyberaudit.cli import build_app; import typer;"
        "typer.main.get_command(build_app());"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "", f"heavy modules imported by the CLI at start-up: {out.stdout.strip()}"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_pure_modules_do_no_network_io():
    pkg = ROOT / "cyberaudit"
    pure = [pkg / "scoring.py", pkg / "interview.py", pkg / "joins.py", pkg / "register" / "rules.py",
            pkg / "register" / "dpia.py", *sorted((pkg / "checks").glob("*.py")),
            *sorted((pkg / "report").glob("*.py")), *sorted((pkg / "mailsec").glob("*.py"))]
    assert sum(p.exists() for p in pure) >= 10, "pure modules moved: update this list"
    offenders = {}
    for path in pure:
        if not path.exists():
            continue
        bad = {m for m in _imports(path) if m in NETWORK or m.split(".")[0] in {"dns", "nmap", "httpx"}}
        if bad:
            offenders[str(path.relative_to(ROOT))] = sorted(bad)
    assert offenders == {}
