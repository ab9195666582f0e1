"""The family judges are pure functions of an observation: judging never changes the observation, the same
observation always gives the same findings, and a saved (JSON) observation judges like the live one."""

from __future__ import annotations

import copy
import importlib
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "scenarios"
# every MFA scenario (its judge once completed the observation's entries in place), a third of the others
FILES = sorted((ROOT / "mfa").glob("*.json")) + sorted(
    p for f in ("tls", "web", "privacy") for p in (ROOT / f).glob("*.json"))[::3]


def _summary(findings) -> list[tuple]:
    return [(f.id, f.target, f.status.value, f.severity.value, json.dumps(f.evidence, sort_keys=True, default=str))
            for f in findings]


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_judging_leaves_the_observation_unchanged_and_repeats(path):
    obs = json.loads(path.read_text("utf-8"))["observation"]
    before = copy.deepcopy(obs)
    judge = importlib.import_module(f"cyberaudit.checks.{path.parent.name}").judge
    first = _summary(judge(obs))
    assert obs == before
    assert _summary(judge(json.loads(json.dumps(obs)))) == first
