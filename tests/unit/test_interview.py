"""The pure interview engine: applicability, conditions, next question, answers -> findings."""

from __future__ import annotations

import datetime as dt

import pytest

from cyberaudit.content.loader import load_content
from cyberaudit.interview.engine import applicable, finding_for, findings, next_unanswered, progress
from cyberaudit.model import Answer, Status

AT = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def content():
    return load_content()


def A(value, **kw) -> Answer:
    return Answer(value=value, at=AT, by="Test", **kw)


def test_first_question_and_progress(content):
    commune = content.profile("commune")
    q = next_unanswered(content, commune, {})
    assert q.id == "gov.dpo.designated"
    p = progress(content, commune, {}, q)
    assert p["index"] == 1 and p["theme_index"] == 1 and p["answered"] == 0
    assert p["total"] == len(applicable(content, commune, {}))


def test_conditions_hide_and_reveal_follow_up_questions(content):
    commune = content.profile("commune")
    base = {q.id for q in applicable(content, commune, {})}
    assert "gov.dpo.declared" not in base  # needs the DPO question answered
    yes = {q.id for q in applicable(content, commune, {"gov.dpo.designated": A("yes")})}
    assert {"gov.dpo.declared", "gov.dpo.means", "trn.dpo.trained"} <= yes
    no = {q.id for q in applicable(content, commune, {"gov.dpo.designated": A("no")})}
    assert "gov.dpo.declared" not in no
    # VPN: the MFA question is only asked when a VPN is used
    assert "iam.mfa.vpn" not in {q.id for q in applicable(content, commune, {"iam.remote.vpn": A("na")})}
    assert "iam.mfa.vpn" in {q.id for q in applicable(content, commune, {"iam.remote.vpn": A("partial")})}


def test_chained_condition_needs_its_parent_to_apply(content):
    commune = content.profile("commune")
    # priv.location.transfers depends on priv.location.region, which depends on priv.location.known
    answers = {"priv.location.known": A("no"), "priv.location.region": A("mixed")}
    ids = {q.id for q in applicable(content, commune, answers)}
    assert "priv.location.region" not in ids and "priv.location.transfers" not in ids
    answers["priv.location.known"] = A("yes")
    ids = {q.id for q in applicable(content, commune, answers)}
    assert "priv.location.transfers" in ids


def test_next_unanswered_skips_answered_and_filters_theme(content):
    commune = content.profile("commune")
    answers = {"gov.dpo.designated": A("no")}
    assert next_unanswered(content, commune, answers).id == "gov.cyber.measures"
    q = next_unanswered(content, commune, answers, theme="continuity")
    assert q.theme == "continuity" and q.id == "bcp.backup.policy"
    everything = {q.id: A("unknown") for q in applicable(content, commune, {})}
    # answering every question (re-evaluated until stable) ends the interview
    for _ in range(5):
        for q in applicable(content, commune, everything):
            everything.setdefault(q.id, A("unknown"))
    assert next_unanswered(content, commune, everything) is None


@pytest.mark.parametrize("value, status", [("yes", Status.PASS), ("partial", Status.WARN), ("no", Status.FAIL),
                                           ("unknown", Status.WARN)])
def test_yesno_statuses(content, value, status):
    q = content.questions["bcp.backup.offline"]
    f = finding_for(q, A(value, note="copie sur disque"))
    assert f.status is status and f.id == "bcp.backup.offline" and f.source == "interview"
    assert f.theme == "continuity" and f.severity.value == "critical"
    assert f.evidence["answer"] == value and f.evidence["by"] == "Test" and f.evidence["note"] == "copie sur disque"
    assert ("score" in f.evidence) is (value != "unknown")
    assert "anssi-hygiene:37" in f.references


def test_na_and_invalid_values_give_no_finding(content):
    assert finding_for(content.questions["sys.wifi.separation"], A("na")) is None
    assert finding_for(content.questions["bcp.backup.offline"], A("na")) is None  # na not allowed there
    assert finding_for(content.questions["bcp.backup.offline"], A("maybe")) is None


def test_choice_number_and_date_scoring(content):
    freq = content.questions["bcp.backup.frequency"]
    assert finding_for(freq, A("daily")).status is Status.PASS
    assert finding_for(freq, A("weekly")).status is Status.WARN
    assert finding_for(freq, A("none")).status is Status.FAIL
    count = content.questions["sys.eol.unsupported_count"]
    assert finding_for(count, A(0)).status is Status.PASS
    assert finding_for(count, A("2")).status is Status.WARN
    assert finding_for(count, A(12)).status is Status.FAIL
    assert finding_for(count, A(-1)) is None and finding_for(count, A("beaucoup")) is None
    assert finding_for(count, A(2)).detail.fr == "Réponse : 2 équipement(s)"
    restore = content.questions["bcp.backup.restore_tested"]
    assert finding_for(restore, A("2026-01-10")).status is Status.PASS  # 142 days before AT
    assert finding_for(restore, A(dt.date(2025, 1, 10))).status is Status.WARN
    assert finding_for(restore, A("2019-01-10")).status is Status.FAIL
    assert finding_for(restore, A("2019-01-10"), today=dt.date(2019, 2, 1)).status is Status.PASS


def test_findings_only_for_applicable_answered_questions(content):
    commune = content.profile("commune")
    answers = {
        "gov.dpo.designated": A("no"),
        "gov.dpo.declared": A("yes"),  # not applicable once the DPO question says no
        "sys.wifi.separation": A("na"),
        "bcp.backup.offline": A("unknown"),
        "gov.risk.analysis": A("no"),
    }
    got = {f.id: f.status for f in findings(content, commune, answers)}
    assert got == {"gov.dpo.designated": Status.FAIL, "bcp.backup.offline": Status.WARN,
                   "gov.risk.analysis": Status.FAIL}
    small = {f.id for f in findings(content, content.profile("petite-commune"), answers)}
    assert "gov.risk.analysis" not in small  # skipped by the small-commune profile


def test_english_labels(content):
    f = finding_for(content.questions["bcp.backup.frequency"], A("weekly"))
    assert f.detail.fr == "Réponse : Chaque semaine" and f.detail.en == "Answer: Weekly"
