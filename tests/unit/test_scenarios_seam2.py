"""LOCAL RUNNER of s3-seam2 (drop at merge: tests/unit/test_scenarios.py by s3-seam replaces it).

Judges each scenario file tests/scenarios/<family>/<check.id>.<verdict>[.<n>].json of the families tls,
web, mfa, privacy and asserts that a finding with that check ID has that status; and that every check
those judges can emit has at least one passing and one non-passing scenario.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from cyberaudit.checks import REGISTRY, load_all

ROOT = Path(__file__).resolve().parents[1] / "scenarios"
FAMILIES = ("tls", "web", "mfa", "privacy")
# checks emitted by a family's judge whose ID names another family
EMITTED_BY = {"mail.starttls.supported": "tls"}
# checks whose judge never passes, with the reason
NEVER_PASS = dict.fromkeys(
    ("mfa.surface.vpn", "mfa.surface.webmail", "mfa.surface.admin", "mfa.surface.remote_desktop",
     "mfa.surface.cloud_suite"),
    "a detected login surface is at best a warn (confirm MFA there); its absence is mfa.surface.none; "
    "only the interview join (cyberaudit/joins.py) turns it into a pass")
FILES = sorted(p for f in FAMILIES for p in (ROOT / f).glob("*.json"))


def _parts(path: Path) -> tuple[str, str]:
    stem = path.name.removesuffix(".json").split(".")
    if stem[-1].isdigit():
        stem = stem[:-1]
    return ".".join(stem[:-1]), stem[-1]


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_scenario(path):
    cid, verdict = _parts(path)
    doc = json.loads(path.read_text("utf-8"))
    assert doc.get("note"), "a scenario says what it shows"
    judge = importlib.import_module(f"cyberaudit.checks.{path.parent.name}").judge
    found = [f for f in judge(doc["observation"]) if f.id == cid]
    assert any(f.status.value == verdict for f in found), [(f.status.value, f.evidence) for f in found]


def test_every_check_has_a_passing_and_a_non_passing_scenario():
    load_all()
    have: dict[str, set[str]] = {}
    for path in FILES:
        cid, verdict = _parts(path)
        have.setdefault(cid, set()).add(verdict)
    missing = {}
    for cid in REGISTRY:
        family = EMITTED_BY.get(cid, cid.split(".")[0])
        if family not in FAMILIES or cid.endswith(".probe.error"):
            continue
        got = have.get(cid, set())
        if ("pass" not in got and cid not in NEVER_PASS) or not got - {"pass"}:
            missing[cid] = sorted(got)
    assert missing == {}
