"""Scenario files (as ComplianceAsCode does): one family observation each, named by the verdict it must get.

    tests/scenarios/<family>/<check.id>.<pass|fail|warn|error|info>[.<n>].json
    {"observation": {...one family observation...}, "note": "what it shows"}

Each file is judged by today's judge of its family; the findings with that check ID must include one
with that status. Every registered check of a family that has a folder has at least one passing and one
non-passing scenario, except the checks listed in ONE_SIDED with the reason. Checks made from one
function and data rows (a `template`, e.g. the ports table) are covered by scenarios of any of their rows.
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest

from cyberaudit.checks import JUDGES, REGISTRY, emitting_family, judge_observation, load_all

FOLDER = Path(__file__).resolve().parents[1] / "scenarios"
NAME = re.compile(r"^(?P<id>[a-z]+\.[a-z0-9_]+\.[a-z0-9_]+)\.(?P<verdict>pass|fail|warn|error|info)(?:\.\d+)?\.json$")
FILES = sorted(FOLDER.glob("*/*.json"))

# check ID or template -> why it has no passing or no non-passing scenario
ONE_SIDED = {
    "probe.error": "says a probe could not complete (crash, deadline): it is only ever error",
    "ports.exposed": "emitted only for an open port (fail); a closed port gives no finding of it, its passing "
                     "side is ports.risky.none",
    "ports.other.open": "lists the open ports outside the risky table for review: always info",
    **dict.fromkeys(
        ("mfa.surface.vpn", "mfa.surface.webmail", "mfa.surface.admin", "mfa.surface.remote_desktop",
         "mfa.surface.cloud_suite"),
        "a detected login surface is at best a warn (confirm MFA there); its absence is mfa.surface.none; "
        "only the interview join turns it into a pass"),
}


def _key(cid: str) -> str:
    info = REGISTRY[cid]
    return info.template or cid


def _judge(family: str, obs: dict) -> list:
    """The family's judge itself (a crash fails the test); a recorded probe error through the judge step."""
    if "probe_error" in obs:
        return judge_observation(family, obs, "scenario.example")
    return importlib.import_module(JUDGES[family]).judge(obs)


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_scenario_gets_its_verdict(path):
    load_all()
    m = NAME.match(path.name)
    assert m, f"{path.name}: expected <check.id>.<verdict>[.<n>].json"
    family = path.parent.name
    assert family in JUDGES, f"{path.parent}: not a probe family"
    cid, verdict = m["id"], m["verdict"]
    assert cid in REGISTRY, f"{path.name}: {cid} is not a registered check"
    assert emitting_family(REGISTRY[cid]) == family, f"{path.name}: {cid} is judged by another family"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) == {"observation", "note"} and data["note"].strip(), f"{path.name}: observation and note"
    found = [f for f in _judge(family, data["observation"]) if f.id == cid]
    assert verdict in {f.status.value for f in found}, (
        f"{path.name}: {cid} judged {[f.status.value for f in found] or 'not emitted'}, scenario says {verdict}")


def test_every_check_of_a_family_with_scenarios_passes_and_fails_somewhere():
    registry = load_all()
    families = sorted({p.parent.name for p in FILES})
    assert {"dns", "mail", "ports"} <= set(families)
    verdicts: dict[str, set[str]] = {}
    for path in FILES:
        m = NAME.match(path.name)
        if m and m["id"] in registry:
            verdicts.setdefault(_key(m["id"]), set()).add(m["verdict"])
    missing = []
    for family in families:
        keys = {_key(cid) for cid, info in registry.items() if emitting_family(info) == family}
        for key in sorted(keys):
            seen = verdicts.get(key, set())
            ok = bool(seen) if key in ONE_SIDED else "pass" in seen and bool(seen - {"pass"})
            if not ok:
                missing.append(f"{family}: {key} has {sorted(seen) or 'no scenario'}")
    assert missing == [], "checks without a passing and a non-passing scenario:\n" + "\n".join(missing)


def test_one_sided_checks_really_are_one_sided():
    """The exemptions name real checks or templates, and no scenario contradicts them."""
    registry = load_all()
    keys = {_key(cid) for cid in registry}
    assert set(ONE_SIDED) <= keys
    for path in FILES:
        m = NAME.match(path.name)
        if m and _key(m["id"]) in ONE_SIDED:
            assert m["verdict"] != "pass", f"{path.name}: listed as never passing"


def test_starttls_reservations_are_words_not_codes():
    """The certificate problems of a STARTTLS finding read as French (or English) words, not check codes."""
    from cyberaudit.checks import judge_observation

    seen = 0
    for path in sorted((Path(__file__).parents[1] / "scenarios" / "tls").glob("mail.starttls.supported.*.json")):
        for f in judge_observation("tls", json.loads(path.read_text("utf-8"))["observation"], "x"):
            problems = f.evidence.get("certificate_problems") if f.id == "mail.starttls.supported" else None
            if f.detail is None or not problems:
                continue
            seen += 1
            for code in problems:
                assert not re.search(rf"\b{code}\b", f.detail.fr), (path.name, f.detail.fr)
            assert "certificat à un autre nom" in f.detail.fr and "certificate for another name" in f.detail.en
    assert seen >= 2  # the warn and the binding-fail scenarios


@pytest.mark.parametrize("reason, fr", [("no DNSKEY", "aucune clé DNSKEY publiée"),
                                        ("DNSKEY without DS at the parent", "aucun DS chez le parent"),
                                        ("commune.example is not signed", "commune.example n'est pas signée")])
def test_insecure_dnssec_reason_reads_in_french(reason, fr):
    """The probe records why a zone is insecure as an English fact; the French detail words it."""
    from cyberaudit.checks.dns_dnssec import judge_dnssec

    f = judge_dnssec("commune.example", {"state": "insecure", "reason": reason, "chain": ["example."]})
    assert f.status.value == "fail" and fr in f.detail.fr and reason not in f.detail.fr
    assert f.evidence["reason"] == reason  # the fact itself is kept as observed
