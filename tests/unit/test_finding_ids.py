"""Finding IDs are permanent: every published probe-check and register-rule ID stays live or redirected."""

from __future__ import annotations

from pathlib import Path

SNAPSHOT = Path(__file__).with_name("finding_ids.txt")


def _published() -> list[str]:
    return [line.strip() for line in SNAPSHOT.read_text().splitlines() if line.strip() and not line.startswith("#")]


def test_published_ids_are_live_or_redirected():
    from cyberaudit.checks import REDIRECTS, load_all
    from cyberaudit.records.rules_meta import RULES as RECORDS
    from cyberaudit.register.rules_meta import RULES

    live = set(load_all()) | set(RULES) | set(RECORDS)
    gone = [i for i in _published() if i not in live and REDIRECTS.get(i) not in live]
    assert gone == [], "IDs removed without a redirect in cyberaudit.checks.REDIRECTS"


def test_new_ids_are_added_to_the_snapshot():
    from cyberaudit.checks import load_all
    from cyberaudit.records.rules_meta import RULES as RECORDS
    from cyberaudit.register.rules_meta import RULES

    missing = sorted((set(load_all()) | set(RULES) | set(RECORDS)) - set(_published()))
    assert missing == [], f"append these IDs to {SNAPSHOT.name}: {missing}"


def test_probe_ids_have_three_segments_and_a_family_prefix():
    from cyberaudit.checks import load_all
    from cyberaudit.probes import FAMILIES

    for cid in load_all():
        family, subject, test = cid.split(".")
        assert family in FAMILIES and subject and test, cid
