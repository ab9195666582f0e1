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


def test_a_scan_without_only_imports_only_the_judges_it_runs():
    """`scan --checks tls` without --only does not import every family's judges (ports, mfa, ... cost a
    third of a single-host TLS scan's start-up); --only still checks its words against every check."""
    code = (
        "import sys; from cyberaudit.cli.scan_run import parse_only;"
        "print(parse_only(None), 'cyberaudit.checks.mfa' in sys.modules, 'cyberaudit.checks.ports' in sys.modules);"
        "print(parse_only('tls,mail.spf'), 'cyberaudit.checks.mfa' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split("\n")[:2] == ["[] False False", "['tls', 'mail.spf'] True"]


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


def _package_imports(path: Path) -> set[str]:
    """Absolute names of every cyberaudit module `path` imports, relative imports resolved."""
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    package = parts[:-1] if parts[-1] != "__init__" else parts[:-1]
    if parts[-1] == "__init__":
        package = parts[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("cyberaudit"))
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                base = (node.module or "").split(".")
            else:
                base = package[: len(package) - (node.level - 1)] + ((node.module or "").split(".") if node.module else [])
            if base and base[0] == "cyberaudit":
                mod = ".".join(base)
                names.add(mod)
                names.update(f"{mod}.{a.name}" for a in node.names)
    return names


def _library_files():
    return sorted((ROOT / "cyberaudit").rglob("*.py"))


def test_only_the_cli_imports_the_cli():
    offenders = {}
    for path in _library_files():
        rel = path.relative_to(ROOT / "cyberaudit")
        if rel.parts[0] == "cli" or rel.name == "__main__.py":
            continue
        bad = sorted(m for m in _package_imports(path) if m == "cyberaudit.cli" or m.startswith("cyberaudit.cli."))
        if bad:
            offenders[str(rel)] = bad
    assert offenders == {}, f"library modules importing the CLI layer: {offenders}"


def test_checks_import_nothing_from_probes():
    offenders = {}
    for path in sorted((ROOT / "cyberaudit" / "checks").rglob("*.py")):
        bad = sorted(m for m in _package_imports(path) if m.startswith("cyberaudit.probes"))
        if bad:
            offenders[path.name] = bad
    assert offenders == {}, f"judges importing probes: {offenders}"


def test_package_root_stays_small():
    root_modules = sorted(p.name for p in (ROOT / "cyberaudit").glob("*.py"))
    assert len(root_modules) <= 15, root_modules


def test_layer_rules_see_a_violation(tmp_path):
    """Positive control: the import walker resolves relative imports, so a violation would be seen."""
    probe = ROOT / "cyberaudit" / "checks" / "_layer_probe_tmp.py"
    probe.write_text("from ..probes import pipeline\nfrom ..cli.ui import safe\n", encoding="utf-8")
    try:
        found = _package_imports(probe)
    finally:
        probe.unlink()
    assert "cyberaudit.probes.pipeline" in found and "cyberaudit.cli.ui" in found
