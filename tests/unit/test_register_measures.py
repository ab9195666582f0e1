"""rgpd.activity.security_measures: measures linked by ID are resolved and confronted with the assessment."""

from __future__ import annotations

import datetime as dt

from cyberaudit.model import Finding, Organisation, Status, Text
from cyberaudit.register import rules
from cyberaudit.register.model import Activity

ORG = Organisation(name="T", siren="732829320", kind="commune")
TODAY = dt.date(2026, 11, 20)
KNOWN = {"bcp.backup.offline", "tls.cert.expiry", "iam.mfa.webmail"}


def act(measures, assets=()):
    return Activity.model_validate({"id": "T-001", "name": "Portail famille", "security_measures": measures,
                                    "assets": list(assets)})


def finding(fid, status, target=None, source="interview"):
    return Finding(id=fid, status=status, severity="high", title=Text(fr="x", en="x"), target=target, source=source)


def judge(activity, evidence=(), known=KNOWN):
    out = rules.check([activity], ORG, today=TODAY, evidence_findings=list(evidence), known_ids=known)
    (f,) = [f for f in out if f.id == "rgpd.activity.security_measures"]
    return f


def test_no_measure_is_a_warning():
    assert judge(act([])).status is Status.WARN


def test_known_ids_and_references_pass():
    f = judge(act([{"id": "bcp.backup.offline"}, {"id": "anssi-hygiene:37"}, {"description": "armoire fermée"}]),
              [finding("bcp.backup.offline", "pass")])
    assert f.status is Status.PASS and f.evidence["unknown_ids"] == []


def test_unknown_id_is_a_warning():
    f = judge(act([{"id": "bcp.backup.offlien"}]))
    assert f.status is Status.WARN and f.evidence["unknown_ids"] == ["bcp.backup.offlien"]


def test_measure_contradicted_by_the_interview_fails():
    f = judge(act([{"id": "bcp.backup.offline", "status": "in_place"}]), [finding("bcp.backup.offline", "fail")])
    assert f.status is Status.FAIL and f.evidence["contradicted"] == ["bcp.backup.offline=fail"]


def test_probe_finding_counts_only_on_the_activity_assets():
    measure = [{"id": "tls.cert.expiry"}]
    elsewhere = [finding("tls.cert.expiry", "fail", target="autre.example", source="probe")]
    here = [finding("tls.cert.expiry", "fail", target="famille.example", source="probe")]
    assert judge(act(measure, ["famille.example"]), elsewhere).status is Status.PASS
    f = judge(act(measure, ["famille.example"]), here)
    assert f.status is Status.FAIL and f.evidence["contradicted"] == ["tls.cert.expiry=fail@famille.example"]


def test_planned_measure_is_not_a_contradiction():
    f = judge(act([{"id": "iam.mfa.webmail", "status": "planned"}]), [finding("iam.mfa.webmail", "fail")])
    assert f.status is Status.PASS


def test_without_evidence_or_known_ids_only_presence_is_judged():
    out = rules.check([act([{"id": "whatever.is.this"}])], ORG, today=TODAY)
    (f,) = [f for f in out if f.id == "rgpd.activity.security_measures"]
    assert f.status is Status.PASS
