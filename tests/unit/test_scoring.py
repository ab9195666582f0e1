"""Scoring: worked examples of each rule (gate, weights, caps, coverage, re-assessment)."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest

from cyberaudit.assessment.scoring import GRADES, grade_for, rules, score
from cyberaudit.model import Assessment, Finding, Organisation, Text

ORG = Organisation(name="Commune test", siren="999999998", kind="commune")
T = Text(fr="titre", en="title")
WHEN = dt.datetime(2026, 3, 31, 9, 0, tzinfo=dt.UTC)


def f(fid, status, severity="medium", **kw) -> Finding:
    return Finding(id=fid, status=status, severity=severity, title=T, **kw)


def assess(findings, meta=None) -> Assessment:
    return Assessment(tool_version="test", organisation=ORG, findings=findings, generated_at=WHEN, meta=meta or {})


def profile(weights=None, essential=()):
    return SimpleNamespace(theme_weights=weights or {}, essential=list(essential))


def theme(s, name):
    return next(t for t in s.themes if t.theme == name)


def test_mss_gate_multiplies_by_share_of_essential_measures_done():
    # mail: one essential measure failed, one passed (rI = 1/2); recommended all passed (rR = 1)
    fs = [f("mail.dmarc.policy", "fail", "high"), f("mail.spf.policy", "pass", "high"),
          f("mail.dkim.present", "pass", "low")]
    s = score(assess(fs), profile(essential=["mail.dmarc.policy", "mail.spf.policy"]))
    mail = theme(s, "mail")
    assert mail.essential_ratio == 0.5 and mail.recommended_ratio == 1.0
    assert mail.score == 50.0  # (0.6 + 0.4 x 1) x 0.5
    # same results, nothing essential: a plain weighted mean (4 + 1) / (4 + 4 + 1)
    plain = theme(score(assess(fs), profile()), "mail")
    assert plain.score == pytest.approx(round(500 / 9, 1))


def test_recommended_measures_cannot_hide_missing_essentials():
    fs = [f("mail.dmarc.policy", "fail", "high")] + [f(f"mail.extra.m{i}", "pass", "critical") for i in range(20)]
    s = score(assess(fs), profile(essential=["mail.dmarc.policy"]))
    assert theme(s, "mail").score == 0.0


def test_essential_patterns_accept_globs():
    fs = [f("ports.rdp.exposed", "fail", "high"), f("ports.ssh.exposed", "pass", "high")]
    s = score(assess(fs), profile(essential=["ports.*.exposed"]))
    assert theme(s, "exposure").essential_measures == 2


def test_severity_weights_and_worst_result_per_measure():
    # one measure tested on two targets: its worst result counts, once
    fs = [f("tls.cert.expiry", "pass", "high", target="a.example"),
          f("tls.cert.expiry", "fail", "high", target="b.example"),
          f("tls.cert.key", "pass", "low")]
    s = score(assess(fs), profile())
    web = theme(s, "web")
    assert web.measures == 2
    assert web.score == 20.0  # (4 x 0 + 1 x 1) / (4 + 1)


def test_warn_uses_partial_answer_score_when_given():
    fs = [f("bcp.backup.tested", "warn", "medium", source="interview", theme="continuity",
            evidence={"answer": "partial", "score": 0.25})]
    assert theme(score(assess(fs), profile()), "continuity").score == 25.0


def test_unknown_errors_and_unanswered_are_coverage_not_zero():
    fs = [f("gov.dpo.designated", "pass", "high", source="interview", theme="governance"),
          f("trn.staff.trained", "warn", "high", source="interview", theme="awareness",
            evidence={"answer": "unknown"}),
          f("tls.cert.expiry", "error", "high")]
    meta = {"coverage": {"unanswered": {"sys.patch.policy": "systems"}, "not_scanned": ["mfa", "ports"]}}
    s = score(assess(fs, meta), profile())
    assert s.score == 100.0  # only what is known counts
    assert theme(s, "awareness").score is None  # unknown is not zero
    assert theme(s, "web").score is None  # error is not zero either
    assert theme(s, "awareness").counts.unknown == 1 and theme(s, "awareness").coverage == 0.0
    assert s.coverage.unknown == ["trn.staff.trained"]
    assert s.coverage.errors == ["tls.cert.expiry"]
    assert s.coverage.unanswered == ["sys.patch.policy"]
    assert s.coverage.not_scanned == ["mfa", "ports"]
    assert theme(s, "identity").not_scanned == ["mfa"] and theme(s, "exposure").not_scanned == ["ports"]
    assert s.coverage.ratio == 0.25  # 1 known out of 4
    assert s.reassess_months == 6  # good score but most of the picture unknown


def test_nothing_assessed_has_no_score_and_no_grade():
    s = score(assess([f("tls.cert.expiry", "error", "high")]), profile())
    assert s.score is None and s.grade is None and s.cap is None


def test_theme_weights_from_profile():
    fs = [f("ports.rdp.exposed", "fail", "high"), f("mail.dmarc.policy", "pass", "high")]
    assert score(assess(fs), profile()).score == 50.0
    assert score(assess(fs), profile({"exposure": 3})).score == 25.0
    assert score(assess(fs), profile({"exposure": 0})).score == 100.0  # a zero weight leaves the theme out


def test_critical_failure_caps_the_grade_and_names_the_finding():
    fs = [f(f"ports.service{i}.exposed", "pass", "critical") for i in range(30)]
    fs.append(f("ports.rdp.exposed", "fail", "critical", target="mairie.example"))
    s = score(assess(fs), profile())
    assert s.band_grade == "A" and s.grade == "D"
    assert s.cap is not None and s.cap.finding_id == "ports.rdp.exposed" and s.cap.target == "mairie.example"
    assert s.cap.rule == "critical_failure"


def test_failed_essential_high_caps_at_c_but_not_when_recommended():
    fs = [f(f"mail.check.m{i}", "pass", "critical") for i in range(30)] + [f("mail.dmarc.policy", "fail", "high")]
    assert score(assess(fs), profile()).grade == "A"
    capped = score(assess(fs), profile(essential=["mail.dmarc.policy", "mail.check.m*"]))
    assert capped.band_grade == "A" and capped.grade == "C"
    assert capped.cap.rule == "essential_high_failure" and capped.cap.finding_id == "mail.dmarc.policy"



def test_cap_is_only_reported_when_it_lowered_the_grade():
    fs = [f("ports.rdp.exposed", "fail", "critical")]
    s = score(assess(fs), profile())
    assert s.grade == "F" and s.band_grade == "F"
    assert s.cap is None and [c.rule for c in s.caps] == ["critical_failure"]


@pytest.mark.parametrize(("value", "grade"), [(100, "A"), (80, "A"), (79.9, "B"), (65, "B"), (50, "C"),
                                               (49.9, "D"), (35, "D"), (20, "E"), (19.9, "F"), (0, "F")])
def test_grade_bands(value, grade):
    assert grade_for(value) == grade


def test_reassessment_sooner_when_weak():
    strong = score(assess([f("mail.dmarc.policy", "pass", "high")]), profile())
    weak = score(assess([f("mail.dmarc.policy", "fail", "high")]), profile())
    assert strong.grade == "A" and strong.reassess_months == 24
    assert strong.reassess_by == dt.date(2028, 3, 31)
    assert weak.grade == "F" and weak.reassess_months == 3
    assert weak.reassess_by == dt.date(2026, 6, 30)  # 31 June does not exist


def test_score_is_json_serialisable_and_rules_are_data():
    s = score(assess([f("mail.dmarc.policy", "warn", "high")]), profile())
    data = json.loads(s.model_dump_json(by_alias=True))
    assert data["schema"] == "cyberaudit/score/v1" and data["score"] == 50.0
    r = rules()
    json.dumps(r)
    assert [c["id"] for c in r["caps"]] == ["critical_failure", "essential_high_failure"]
    assert set(r["reassess_months"]) == set(GRADES)
