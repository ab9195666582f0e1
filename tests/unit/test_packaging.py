"""The wheel carries the content folders (checklists, profiles, reports) and the package data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_contains_content(tmp_path):
    try:
        import hatchling  # noqa: F401
    except ImportError:
        pytest.skip("hatchling not installed (pip install hatchling)")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheel = next(tmp_path.glob("cyberaudit-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for folder in ("checklists", "profiles", "reports"):
        shipped = sorted(p.name for p in (ROOT / folder).glob("*") if p.is_file())
        for name in shipped:
            assert f"cyberaudit/_content/{folder}/{name}" in names, f"{folder}/{name} missing from the wheel"
    assert "cyberaudit/data/demo/organisation.yaml" in names
    assert "cyberaudit/data/demo/observations.jsonl" in names  # the demo's recorded observations
    assert any(n.startswith("cyberaudit-") and n.endswith("entry_points.txt") for n in names)
