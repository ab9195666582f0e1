"""Joins: interview answers confirm or refute probe findings, keeping both pieces of evidence."""

from __future__ import annotations

import datetime as dt

import pytest

from cyberaudit.assessment.joins import apply, index
from cyberaudit.content.loader import load_content
from cyberaudit.content.model import Question
from cyberaudit.model import Answer, Finding, Severity, Status, Text

AT = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def content():
    return load_content()


def probe(fid: str, status: Status = Status.WARN, target: str = "vpn.exemple.fr", **evidence) -> Finding:
    return Finding(id=fid, status=status, severity=Severity.HIGH, title=Text(fr="Portail", en="Portal"),
                   detail=Text(fr="Fortinet SSL-VPN trouvé.", en="Fortinet SSL-VPN found."),
                   evidence={"product": "Fortinet SSL-VPN", "url": f"https://{target}/remote/login", **evidence},
                   target=target, source="probe", theme="identity")


def A(value) -> Answer:
    return Answer(value=value, by="Marie", at=AT)


def test_index_lists_the_mfa_questions(content):
    idx = index(content)
    assert [q.id for q, rel in idx["mfa.surface.vpn"]] == ["iam.mfa.vpn"]
    assert idx["mfa.surface.webmail"][0][1] == "confirms"


@pytest.mark.parametrize("value, status", [("yes", Status.PASS), ("no", Status.FAIL), ("partial", Status.WARN),
                                           ("unknown", Status.WARN)])
def test_confirm_turns_warn_into_verdict(content, value, status):
    (out,) = apply([probe("mfa.surface.vpn")], {"iam.mfa.vpn": A(value)}, content)
    assert out.status is status
    assert out.evidence["product"] == "Fortinet SSL-VPN"  # probe evidence kept
    assert out.evidence["interview"]["question"] == "iam.mfa.vpn"
    assert out.evidence["interview"]["answer"] == value
    assert out.evidence["interview"]["by"] == "Marie"
    assert out.evidence["interview"]["probe_status"] == "warn"
    assert "Fortinet SSL-VPN trouvé." in out.detail.fr and "Entretien" in out.detail.fr


def test_not_applicable_answer_is_ignored(content):
    f = probe("mfa.surface.remote_desktop")
    assert apply([f], {"iam.mfa.remote_desktop": A("na")}, content) == [f]


def test_only_warn_or_confirmable_fail_probe_findings_change(content):
    answers = {"iam.mfa.remote_desktop": A("yes")}
    rdp_open = probe("mfa.surface.remote_desktop", Status.FAIL)
    assert apply([rdp_open], answers, content) == [rdp_open]
    confirmable = probe("mfa.surface.remote_desktop", Status.FAIL, confirmable=True)
    assert apply([confirmable], answers, content)[0].status is Status.PASS
    passed = probe("mfa.surface.remote_desktop", Status.PASS)
    assert apply([passed], answers, content) == [passed]


def test_no_answer_or_unrelated_finding_is_unchanged(content):
    f = probe("mfa.surface.vpn")
    other = probe("mail.dmarc.policy")
    assert apply([f, other], {}, content) == [f, other]
    assert apply([other], {"iam.mfa.vpn": A("yes")}, content) == [other]


def test_every_target_of_a_surface_is_joined(content):
    fs = [probe("mfa.surface.webmail", target="mail.a.fr"), probe("mfa.surface.webmail", target="owa.b.fr")]
    out = apply(fs, {"iam.mfa.webmail": A("yes")}, content)
    assert [f.status for f in out] == [Status.PASS, Status.PASS]
    assert [f.target for f in out] == ["mail.a.fr", "owa.b.fr"]


def test_interview_finding_records_the_probe_side(content):
    from cyberaudit.interview.engine import finding_for

    q = content.questions["iam.mfa.vpn"]
    inter = finding_for(q, A("yes"))
    out = apply([probe("mfa.surface.vpn"), inter], {"iam.mfa.vpn": A("yes")}, content)
    assert out[1].evidence["probe"] == [{"id": "mfa.surface.vpn", "target": "vpn.exemple.fr", "status": "warn",
                                         "relation": "confirms"}]


def test_refutes_and_applicable_filter(content):
    extra = Question.model_validate({
        "id": "net.exposure.none_claimed", "theme": "exposure",
        "title": {"fr": "t", "en": "t"}, "text": {"fr": "Aucun portail exposé ?", "en": "No exposed portal?"},
        "help": {"fr": "h", "en": "h"}, "severity": "high", "refs": ["anssi-hygiene:23"],
        "remediation": {"fr": "r", "en": "r"}, "effort": "low", "owner": "it_provider",
        "refutes": ["mfa.surface.admin"]})

    class C:
        questions = {**content.questions, extra.id: extra}

    f = probe("mfa.surface.admin")
    (out,) = apply([f], {extra.id: A("yes")}, C)
    assert out.status is Status.FAIL and out.evidence["interview"]["relation"] == "refutes"
    # a refute and a confirm on the same finding: fail wins
    (both,) = apply([f], {extra.id: A("yes"), "iam.mfa.admin": A("yes")}, C)
    assert both.status is Status.FAIL
    (filtered,) = apply([f], {extra.id: A("yes")}, C, applicable_ids=set())
    assert filtered == f
